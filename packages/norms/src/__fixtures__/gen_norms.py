#!/usr/bin/env python3
"""Writes layernorm.json and rmsnorm.json: golden cases for @archzoo/norms.

The expected values are computed here in float64 numpy, independently of TensorFlow.js, from the
published formulas:
  LayerNorm (Ba et al. 2016, arXiv 1607.06450; torch.nn.LayerNorm): biased variance, eps inside
    the square root, y = (x - mean) / sqrt(var + eps) * w + b; the Nemotron LayerNorm1P scale
    is (1 + w) (HF transformers models/nemotron/modeling_nemotron.py).
  RMSNorm (Zhang and Sennrich 2019, arXiv 1910.07467; HF LlamaRMSNorm):
    y = x / sqrt(mean(x^2) + eps) * w; Gemma scales by (1 + w) (HF GemmaRMSNorm).
Inputs and parameters are rounded to float32 first, so the plugin receives exactly these values.
Run: python3 gen_norms.py  (numpy only; rewrites both files next to this script).
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240607)


def f32(array):
    return np.asarray(array, dtype=np.float32).astype(np.float64)


def tensor(array):
    array = np.asarray(array, dtype=np.float64)
    return {"shape": list(array.shape), "data": [float(v) for v in array.reshape(-1)]}


def layernorm(x, eps, weight=None, bias=None, unit_offset=False):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    y = (x - mean) / np.sqrt(var + eps)
    if weight is not None:
        y = y * ((1.0 + weight) if unit_offset else weight)
    if bias is not None:
        y = y + bias
    return y


def rmsnorm(x, eps, weight, unit_offset=False):
    y = x / np.sqrt((x ** 2).mean(axis=-1, keepdims=True) + eps)
    return y * ((1.0 + weight) if unit_offset else weight)


def layernorm_case(name, options, shape, mean=0.0, std=1.0):
    affine = options.get("affine", True)
    bias = options.get("bias", True)
    unit_offset = options.get("unit_offset", False)
    width = shape[-1]
    x = f32(rng.normal(mean, std, size=shape))
    eps = options.get("eps", 1e-5)
    params = {}
    weight = b = None
    if affine:
        weight = f32(rng.normal(0.0 if unit_offset else 1.0, 0.3, size=width))
        params["weight"] = tensor(weight)
        if bias:
            b = f32(rng.normal(0.0, 0.3, size=width))
            params["bias"] = tensor(b)
    return {
        "name": name,
        "options": options,
        "dims": {"d_model": width},
        "inputs": {"x": tensor(x)},
        "params": params,
        "expected": {"y": tensor(layernorm(x, eps, weight, b, unit_offset))},
    }


def rmsnorm_case(name, options, shape, mean=0.0):
    unit_offset = options.get("unit_offset", False)
    width = shape[-1]
    x = f32(rng.normal(mean, 1.0, size=shape))
    weight = f32(rng.normal(0.0 if unit_offset else 1.0, 0.3, size=width))
    eps = options.get("eps", 1e-6)
    return {
        "name": name,
        "options": options,
        "dims": {"d_model": width},
        "inputs": {"x": tensor(x)},
        "params": {"weight": tensor(weight)},
        "expected": {"y": tensor(rmsnorm(x, eps, weight, unit_offset))},
    }


layernorm_fixture = {
    "generator": "gen_norms.py",
    "source": "float64 numpy LayerNorm: biased variance, eps inside the square root (Ba et al. 2016; torch.nn.LayerNorm), (1 + w) scale as HF NemotronLayerNorm1P",
    "cases": [
        layernorm_case("defaults with weight and bias", {}, [2, 3, 8]),
        # eps 0.5 is large enough that eps outside the square root, or added to the std, misses by far more than the tolerance.
        layernorm_case("eps 0.5 inside the square root", {"eps": 0.5}, [2, 3, 8], std=0.7),
        layernorm_case("no bias", {"bias": False}, [1, 4, 12]),
        layernorm_case("non-parametric as OLMo 1", {"affine": False}, [2, 2, 8]),
        layernorm_case("unit offset as Nemotron LayerNorm1P", {"unit_offset": True}, [2, 3, 8]),
        # A mean of 20 checks centring, because an implementation that skips it divides by the RMS instead.
        layernorm_case("inputs with mean 20", {}, [1, 3, 8], mean=20.0),
        layernorm_case("width 4 (per-head QK-norm)", {"bias": False}, [2, 2, 4]),
    ],
}

rmsnorm_fixture = {
    "generator": "gen_norms.py",
    "source": "float64 numpy RMSNorm: x / sqrt(mean(x^2) + eps) * w (Zhang and Sennrich 2019; HF LlamaRMSNorm), (1 + w) scale as HF GemmaRMSNorm",
    "cases": [
        rmsnorm_case("defaults", {}, [2, 3, 8]),
        rmsnorm_case("eps 0.5 inside the square root", {"eps": 0.5}, [2, 3, 8]),
        rmsnorm_case("unit offset as Gemma", {"unit_offset": True}, [2, 3, 8]),
        # A mean of 3 tells RMSNorm apart from LayerNorm, which would subtract it.
        rmsnorm_case("inputs with mean 3 are not centred", {}, [1, 2, 8], mean=3.0),
        rmsnorm_case("width 4 (per-head QK-norm)", {}, [2, 2, 4]),
    ],
}

for name, fixture in [("layernorm.json", layernorm_fixture), ("rmsnorm.json", rmsnorm_fixture)]:
    with open(os.path.join(HERE, name), "w") as handle:
        json.dump(fixture, handle, indent=1)
        handle.write("\n")
