#!/usr/bin/env python3
"""Writes alibi.json: golden cases for the `alibi` position plugin of @archzoo/positional.

Slopes follow get_slopes of the ALiBi reference code (Press et al. 2022, arXiv 2108.12409),
written here from its description: for a power of two n the slopes are the geometric sequence
2^(-8/n), 2^(-16/n), ..., 2^(-8); otherwise the slopes of the closest smaller power of two c
followed by the 1st, 3rd, 5th, ... slopes of 2c. The bias of query position i and key j <= i is
-slope * (i - j); keys after the query get 0 (the causal mask removes them).
Run: python3 gen_alibi.py  (numpy only; rewrites alibi.json next to this script).
"""
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def tensor(array):
    array = np.asarray(array, dtype=np.float64)
    return {"shape": list(array.shape), "data": [float(v) for v in array.reshape(-1)]}


def slopes_power_of_2(n):
    start = 2 ** (-(2 ** -(math.log2(n) - 3)))
    return [start * start ** i for i in range(n)]


def slopes(n):
    if math.log2(n).is_integer():
        return slopes_power_of_2(n)
    closest = 2 ** math.floor(math.log2(n))
    return slopes_power_of_2(closest) + slopes(2 * closest)[0::2][: n - closest]


# Published values to check the formula against: 8 heads give 1/2, 1/4, ..., 1/256.
assert slopes(8) == [2.0 ** -k for k in range(1, 9)]
# 12 heads: the 8-head slopes, then 2^-0.5, 2^-1.5, 2^-2.5, 2^-3.5 from the 16-head sequence.
assert np.allclose(slopes(12), [2.0 ** -k for k in range(1, 9)] + [2.0 ** -(k + 0.5) for k in range(4)])


def alibi_case(name, heads, seq, keys, start):
    m = np.array(slopes(heads))[:, None, None]
    query = np.arange(start, start + seq)[None, :, None]
    key = np.arange(keys)[None, None, :]
    distance = query - key
    bias = np.where(distance > 0, -m * distance, 0.0)
    return {
        "name": name,
        "call": "bias",
        "dims": {"d_model": heads * 4, "n_heads": heads, "n_kv_heads": heads, "head_dim": 4},
        "start": start,
        "params": {},
        "expected": {"bias": tensor(bias)},
    }


fixture = {
    "generator": "gen_alibi.py",
    "source": "float64 numpy ALiBi slopes (Press et al. 2022 reference get_slopes, incl. head counts that are not a power of two) and bias -slope * (i - j)",
    "cases": [
        alibi_case("8 heads, 4 queries over 4 keys", heads=8, seq=4, keys=4, start=0),
        alibi_case("12 heads, 2 queries from position 5 over 7 keys", heads=12, seq=2, keys=7, start=5),
        alibi_case("6 heads, a single decoding step", heads=6, seq=1, keys=9, start=8),
    ],
}

with open(os.path.join(HERE, "alibi.json"), "w") as handle:
    json.dump(fixture, handle, indent=1)
    handle.write("\n")
