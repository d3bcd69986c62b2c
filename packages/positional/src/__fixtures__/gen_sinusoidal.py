#!/usr/bin/env python3
"""Writes sinusoidal.json: golden cases for the `sinusoidal` position plugin of @archzoo/positional.

Vaswani et al. 2017 (arXiv 1706.03762), section 3.5: PE(pos, 2i) = sin(pos / 10000^(2i/d_model)),
PE(pos, 2i+1) = cos(pos / 10000^(2i/d_model)); the output is x + PE, in float64 numpy.
Run: python3 gen_sinusoidal.py  (numpy only; rewrites sinusoidal.json next to this script).
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(13)


def f32(array):
    return np.asarray(array, dtype=np.float32).astype(np.float64)


def tensor(array):
    array = np.asarray(array, dtype=np.float64)
    return {"shape": list(array.shape), "data": [float(v) for v in array.reshape(-1)]}


def encoding(positions, width, base):
    pe = np.zeros((len(positions), width))
    for i in range(0, width, 2):
        angle = positions / base ** (i / width)
        pe[:, i] = np.sin(angle)
        if i + 1 < width:
            pe[:, i + 1] = np.cos(angle)
    return pe


def sinusoidal_case(name, options, width, seq, start):
    x = f32(rng.normal(size=(2, seq, width)))
    positions = np.arange(start, start + seq, dtype=np.float64)
    return {
        "name": name,
        "call": "embed",
        "options": options,
        "dims": {"d_model": width, "n_heads": 1, "n_kv_heads": 1, "head_dim": width},
        "start": start,
        "inputs": {"x": tensor(x)},
        "params": {},
        "expected": {"x": tensor(x + encoding(positions, width, options.get("base", 10000.0)))},
    }


fixture = {
    "generator": "gen_sinusoidal.py",
    "source": "float64 numpy sinusoidal encodings of Vaswani et al. 2017, section 3.5 (sin on even dims, cos on odd dims), added to x",
    "cases": [
        sinusoidal_case("width 8 from position 0", {}, width=8, seq=4, start=0),
        sinusoidal_case("width 6 from position 37", {}, width=6, seq=3, start=37),
        sinusoidal_case("odd width 5 with base 100", {"base": 100.0}, width=5, seq=3, start=2),
    ],
}

with open(os.path.join(HERE, "sinusoidal.json"), "w") as handle:
    json.dump(fixture, handle, indent=1)
    handle.write("\n")
