#!/usr/bin/env python3
"""Writes t5_relative.json: golden cases for the `t5_relative` position plugin of @archzoo/positional.

Buckets follow HF transformers models/t5/modeling_t5.py, T5Attention._relative_position_bucket
with bidirectional=False, written here in numpy: n = max(i - j, 0); n < num_buckets // 2 keeps its
own bucket; larger n maps to max_exact + int(log(n / max_exact) / log(max_distance / max_exact)
* (num_buckets - max_exact)), capped at num_buckets - 1. The bias is table[bucket, head],
arranged [H, T, S].
Run: python3 gen_t5_relative.py  (numpy only; rewrites t5_relative.json next to this script).
"""
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(17)


def f32(array):
    return np.asarray(array, dtype=np.float32).astype(np.float64)


def tensor(array):
    array = np.asarray(array, dtype=np.float64)
    return {"shape": list(array.shape), "data": [float(v) for v in array.reshape(-1)]}


def bucket(relative_position, num_buckets, max_distance):
    n = np.maximum(-relative_position, 0)
    max_exact = num_buckets // 2
    with np.errstate(divide="ignore"):
        large = max_exact + (np.log(n / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact))
    large = np.where(n < max_exact, 0, large).astype(np.int64)
    large = np.minimum(large, num_buckets - 1)
    return np.where(n < max_exact, n, large)


# T5 defaults (32 buckets, max distance 128): exact up to 15, then log-spaced, 31 from 128 on.
assert list(bucket(-np.array([0, 15, 16, 20, 32, 64, 127, 128, 500]), 32, 128)) == [0, 15, 16, 17, 21, 26, 31, 31, 31]


def t5_case(name, options, heads, seq, keys, start):
    num_buckets = options.get("num_buckets", 32)
    max_distance = options.get("max_distance", 128)
    table = f32(rng.normal(size=(num_buckets, heads)))
    query = np.arange(start, start + seq)[:, None]
    key = np.arange(keys)[None, :]
    buckets = bucket(key - query, num_buckets, max_distance)  # [T, S]
    bias = np.transpose(table[buckets], (2, 0, 1))  # [H, T, S]
    return {
        "name": name,
        "call": "bias",
        "options": options,
        "dims": {"d_model": heads * 4, "n_heads": heads, "n_kv_heads": heads, "head_dim": 4},
        "start": start,
        "params": {"weight": tensor(table)},
        "expected": {"bias": tensor(bias)},
    }


fixture = {
    "generator": "gen_t5_relative.py",
    "source": "float64 numpy causal T5 relative buckets (HF modeling_t5.py _relative_position_bucket, bidirectional=False) gathered from a random table",
    "cases": [
        t5_case("defaults, distances 0 to 5", {}, heads=2, seq=6, keys=6, start=0),
        t5_case("defaults, distances up to 200", {}, heads=2, seq=2, keys=201, start=199),
        t5_case("8 buckets up to distance 20", {"num_buckets": 8, "max_distance": 20}, heads=3, seq=3, keys=30, start=27),
    ],
}

with open(os.path.join(HERE, "t5_relative.json"), "w") as handle:
    json.dump(fixture, handle, indent=1)
    handle.write("\n")
