#!/usr/bin/env python3
"""Writes learned.json: golden cases for the `learned` position plugin of @archzoo/positional.

Learned absolute positions (GPT-2's wpe in HF transformers models/gpt2/modeling_gpt2.py): the
output is x + table[start:start + T], computed here in float64 numpy.
Run: python3 gen_learned.py  (numpy only; rewrites learned.json next to this script).
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(11)


def f32(array):
    return np.asarray(array, dtype=np.float32).astype(np.float64)


def tensor(array):
    array = np.asarray(array, dtype=np.float64)
    return {"shape": list(array.shape), "data": [float(v) for v in array.reshape(-1)]}


def learned_case(name, context_length, width, seq, start):
    table = f32(rng.normal(size=(context_length, width)))
    x = f32(rng.normal(size=(2, seq, width)))
    return {
        "name": name,
        "call": "embed",
        "dims": {"d_model": width, "context_length": context_length},
        "start": start,
        "inputs": {"x": tensor(x)},
        "params": {"weight": tensor(table)},
        "expected": {"x": tensor(x + table[start:start + seq])},
    }


fixture = {
    "generator": "gen_learned.py",
    "source": "float64 numpy x + table[start:start + T] (GPT-2 wpe, HF transformers modeling_gpt2.py)",
    "cases": [
        learned_case("rows from position 0", context_length=6, width=4, seq=3, start=0),
        learned_case("last rows of the table", context_length=6, width=4, seq=2, start=4),
    ],
}

with open(os.path.join(HERE, "learned.json"), "w") as handle:
    json.dump(fixture, handle, indent=1)
    handle.write("\n")
