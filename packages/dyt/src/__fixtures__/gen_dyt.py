#!/usr/bin/env python3
"""Writes dyt.json: golden cases for @archzoo/dyt (norm slot, id "dyt").

The expected values come from PyTorch in float64, independently of TensorFlow.js, with the DyT
formula of Zhu et al. 2025 ("Transformers without Normalization", arXiv 2503.10622):
  y = weight * tanh(alpha * x) + bias, alpha a learned scalar, weight and bias per channel.
Inputs and parameters are rounded to float32 first, so the plugin receives exactly these values.
Run: /usr/bin/python3 gen_dyt.py  (numpy and torch; rewrites dyt.json next to this script).
"""
import json
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20250313)


def f32(array):
    return np.asarray(array, dtype=np.float32).astype(np.float64)


def tensor(array):
    array = np.asarray(array, dtype=np.float64)
    return {"shape": list(array.shape), "data": [float(v) for v in array.reshape(-1)]}


def reference(x, alpha, weight, bias):
    as_torch = lambda array: torch.tensor(array, dtype=torch.float64)
    y = as_torch(weight) * torch.tanh(as_torch(alpha) * as_torch(x)) + as_torch(bias)
    return y.numpy()


def case(name, shape, alpha, x_std=1.0):
    width = shape[-1]
    x = f32(rng.normal(0.0, x_std, size=shape))
    alpha = f32([alpha])
    weight = f32(rng.normal(1.0, 0.3, size=width))
    bias = f32(rng.normal(0.0, 0.3, size=width))
    return {
        "name": name,
        "options": {},
        "dims": {"d_model": width},
        "inputs": {"x": tensor(x)},
        "params": {"alpha": tensor(alpha), "weight": tensor(weight), "bias": tensor(bias)},
        "expected": {"y": tensor(reference(x, alpha, weight, bias))},
    }


fixture = {
    "generator": "gen_dyt.py",
    "source": "float64 PyTorch DyT: weight * tanh(alpha * x) + bias (Zhu et al. 2025, arXiv 2503.10622)",
    "cases": [
        case("alpha 0.5 as initialised", [2, 3, 8], 0.5),
        # Inputs with std 6 push most of tanh into saturation, where y approaches bias +- weight.
        case("saturated inputs", [2, 3, 8], 1.3, x_std=6.0),
        case("a negative learned alpha", [1, 4, 8], -0.7),
        case("width 4 (per-head QK-norm)", [2, 2, 4], 0.8),
    ],
}

with open(os.path.join(HERE, "dyt.json"), "w") as handle:
    json.dump(fixture, handle, indent=1)
    handle.write("\n")
