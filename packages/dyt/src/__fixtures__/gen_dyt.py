#!/usr/bin/env python3
"""Writes dyt.json: golden cases for @archzoo/dyt (norm slot, id "dyt").

The expected values are computed here in float64 numpy, independently of TensorFlow.js.
TODO: replace reference() with the published formula of the plugin and name its source in
"source" below. As generated, it computes the starting math of src/dyt.ts.
Inputs and parameters are rounded to float32 first, so the plugin receives exactly these values.
Run: python3 gen_dyt.py  (numpy only; rewrites dyt.json next to this script).
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(1234)


def f32(array):
    return np.asarray(array, dtype=np.float32).astype(np.float64)


def tensor(array):
    array = np.asarray(array, dtype=np.float64)
    return {"shape": list(array.shape), "data": [float(v) for v in array.reshape(-1)]}


def normal(*shape, std=1.0):
    return f32(rng.normal(0.0, std, size=shape))


def reference(x, weight, options):
    return x * weight


def case(name, options, shape):
    x = normal(*shape)
    weight = normal(shape[-1], std=0.3) + 1.0
    return {
        "name": name,
        "options": options,
        "dims": {"d_model": shape[-1]},
        "inputs": {"x": tensor(x)},
        "params": {"weight": tensor(weight)},
        "expected": {"y": tensor(reference(x, weight, options))},
    }


CASES = [case("defaults", {}, [2, 3, 8])]

fixture = {
    "generator": "gen_dyt.py",
    "source": "TODO: what reference() implements and from which paper or file",
    "cases": CASES,
}

with open(os.path.join(HERE, "dyt.json"), "w") as handle:
    json.dump(fixture, handle, indent=1)
    handle.write("\n")
