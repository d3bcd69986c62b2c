#!/usr/bin/env python3
"""Writes rope.json: golden cases for the `rope` position plugin of @archzoo/positional.

Computed in float64 numpy, following the formulation of HF transformers rather than the plugin's
own code: full-width cos/sin arrays and a rotation helper.
  half pairing: models/llama/modeling_llama.py rotate_half / apply_rotary_pos_emb, with
    cos = cat(freqs, freqs); partial rotary as models/gpt_neox (rotate the first R dims).
  interleaved pairing: models/gptj/modeling_gptj.py rotate_every_two, with cos and sin repeated
    per pair (repeat_interleave); partial rotary_dim as GPT-J.
  Linear scaling: modeling_rope_utils.py _compute_linear_scaling_rope_parameters (inv_freq / factor).
  Llama 3.1 scaling: modeling_rope_utils.py _compute_llama3_parameters.
Inverse frequencies are theta^(-2i/R) (Su et al. 2021, arXiv 2104.09864).
Run: python3 gen_rope.py  (numpy only; rewrites rope.json next to this script).
"""
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)


def f32(array):
    return np.asarray(array, dtype=np.float32).astype(np.float64)


def tensor(array):
    array = np.asarray(array, dtype=np.float64)
    return {"shape": list(array.shape), "data": [float(v) for v in array.reshape(-1)]}


def inverse_frequencies(rotary_dim, theta, scaling=None):
    inv_freq = 1.0 / theta ** (np.arange(0, rotary_dim, 2, dtype=np.float64) / rotary_dim)
    if scaling is None:
        return inv_freq
    if scaling["scaling"] == "linear":
        return inv_freq / scaling["scaling_factor"]
    factor = scaling["scaling_factor"]
    low = scaling["low_freq_factor"]
    high = scaling["high_freq_factor"]
    old_context = scaling["original_max_position_embeddings"]
    low_freq_wavelen = old_context / low
    high_freq_wavelen = old_context / high
    wavelen = 2 * math.pi / inv_freq
    scaled = np.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    smooth = (old_context / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * scaled / factor + smooth * scaled
    is_medium = ~(wavelen < high_freq_wavelen) & ~(wavelen > low_freq_wavelen)
    return np.where(is_medium, smoothed, scaled)


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def rotate_every_two(x):
    x1 = x[..., ::2]
    x2 = x[..., 1::2]
    return np.stack([-x2, x1], axis=-1).reshape(x.shape)


def apply_rope(x, positions, rotary_dim, theta, pairing, scaling=None):
    freqs = np.outer(positions, inverse_frequencies(rotary_dim, theta, scaling))  # [T, R/2]
    if pairing == "half":
        emb = np.concatenate([freqs, freqs], axis=-1)
        rotate = rotate_half
    else:
        emb = np.repeat(freqs, 2, axis=-1)
        rotate = rotate_every_two
    cos, sin = np.cos(emb), np.sin(emb)
    x_rot, x_pass = x[..., :rotary_dim], x[..., rotary_dim:]
    return np.concatenate([x_rot * cos + rotate(x_rot) * sin, x_pass], axis=-1)


def rope_case(name, options, head_dim, seq, start, heads=2, kv_heads=1):
    theta = options.get("theta", 10000.0)
    fraction = options.get("rotary_fraction", 1.0)
    pairing = options.get("pairing", "half")
    scaling = options if options.get("scaling") in ("linear", "llama3") else None
    rotary_dim = int(round(head_dim * fraction))
    q = f32(rng.normal(size=(1, heads, seq, head_dim)))
    k = f32(rng.normal(size=(1, kv_heads, seq, head_dim)))
    positions = np.arange(start, start + seq, dtype=np.float64)
    return {
        "name": name,
        "call": "rotate",
        "options": options,
        "dims": {"d_model": heads * head_dim, "n_heads": heads, "n_kv_heads": kv_heads, "head_dim": head_dim},
        "start": start,
        "inputs": {"q": tensor(q), "k": tensor(k)},
        "params": {},
        "expected": {
            "q": tensor(apply_rope(q, positions, rotary_dim, theta, pairing, scaling)),
            "k": tensor(apply_rope(k, positions, rotary_dim, theta, pairing, scaling)),
        },
    }


LLAMA31 = {
    "theta": 500000.0,
    "scaling": "llama3",
    "scaling_factor": 8.0,
    "low_freq_factor": 1.0,
    "high_freq_factor": 4.0,
    "original_max_position_embeddings": 8192,
}

# With R = 8 and theta 500000 the wavelengths are about 6.3, 167, 4443 and 118000 positions, so
# the Llama 3.1 case covers all three bands (kept, smoothed, divided by 8) around 2048 and 8192.
wavelengths = 2 * math.pi / inverse_frequencies(8, LLAMA31["theta"])
assert wavelengths[1] < 2048 < wavelengths[2] < 8192 < wavelengths[3], wavelengths

fixture = {
    "generator": "gen_rope.py",
    "source": "float64 numpy RoPE in the HF transformers formulation: rotate_half (llama, gpt_neox) and rotate_every_two (gptj) with full-width cos/sin, _compute_llama3_parameters for Llama 3.1 scaling",
    "cases": [
        rope_case("half pairing, full rotary", {"pairing": "half"}, head_dim=8, seq=4, start=0),
        rope_case("half pairing, half of the dims from start 3", {"pairing": "half", "rotary_fraction": 0.5}, head_dim=8, seq=3, start=3),
        rope_case("interleaved pairing, full rotary", {"pairing": "interleaved"}, head_dim=8, seq=4, start=0),
        rope_case("interleaved pairing, a quarter of the dims as GPT-J", {"pairing": "interleaved", "rotary_fraction": 0.25}, head_dim=16, seq=3, start=2),
        rope_case("theta 500000 without scaling", {"theta": 500000.0}, head_dim=8, seq=3, start=5000),
        rope_case("Llama 3.1 scaling from position 5000", dict(LLAMA31), head_dim=8, seq=3, start=5000),
        rope_case("linear scaling by 8 from position 40", {"theta": 1000000.0, "scaling": "linear", "scaling_factor": 8.0}, head_dim=8, seq=3, start=40),
        rope_case("Llama 3.1 scaling, interleaved, 4 kv heads", dict(LLAMA31, pairing="interleaved"), head_dim=8, seq=2, start=9000, heads=4, kv_heads=4),
    ],
}

with open(os.path.join(HERE, "rope.json"), "w") as handle:
    json.dump(fixture, handle, indent=1)
    handle.write("\n")
