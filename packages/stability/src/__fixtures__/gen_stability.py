#!/usr/bin/python3
"""Writes the golden fixtures of @archzoo/stability, one JSON file per plugin.

Expected values are computed here in float64 numpy, independently of TensorFlow.js, from the
published formulas:
  z_loss (PaLM, Chowdhery et al. 2022, arXiv 2204.02311; allenai/OLMo-core
    src/olmo_core/nn/functional/cross_entropy_loss.py): coefficient * sum(w * lse^2) / count.
    Its gradient with respect to the logits is 2 * coefficient * w * lse * softmax(logits) / count.
  qk_norm: RMSNorm y = x / sqrt(mean(x^2) + eps) * w (HF LlamaRMSNorm), over each head of width K
    (HF Qwen3Attention; Gemma3Attention with the (1 + w) scale of Gemma3RMSNorm) or over the
    whole projection of width H*K or G*K (HF Olmo2Attention, OlmoeAttention).
  attn_softcap, final_softcap: cap * tanh(x / cap) (HF Gemma2Attention, Gemma2ForCausalLM).
  embedding_scale: x * sqrt(d_model), or x * scale (HF GemmaModel).
  logit_scale: logits * scale (HF CohereForCausalLM).
  qkv_clip: clamp(x, -clip, clip) on q, k and v (HF OlmoAttention, clip_qkv).
Inputs and parameters are rounded to float32 first, so the plugins receive exactly these values.
Run: /usr/bin/python3 gen_stability.py  (numpy only; rewrites the JSON files next to this script).
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20241204)

# The kit's test dims: d_model 16, 4 query heads, 2 key/value heads, head_dim 4, vocab 32.
HEADS, KV_HEADS, HEAD_DIM = 4, 2, 4


def f32(array):
    return np.asarray(array, dtype=np.float32).astype(np.float64)


def tensor(array):
    array = np.asarray(array, dtype=np.float64)
    return {"shape": list(array.shape), "data": [float(v) for v in array.reshape(-1)]}


def normal(shape, std=1.0, mean=0.0):
    return f32(rng.normal(mean, std, size=shape))


def logsumexp(x):
    peak = x.max(axis=-1, keepdims=True)
    return (peak + np.log(np.exp(x - peak).sum(axis=-1, keepdims=True)))[..., 0]


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def rmsnorm(x, weight, eps, unit_offset):
    y = x / np.sqrt((x ** 2).mean(axis=-1, keepdims=True) + eps)
    return y * ((1.0 + weight) if unit_offset else weight)


def write(name, fixture):
    with open(os.path.join(HERE, name), "w") as handle:
        json.dump(fixture, handle, indent=1)
        handle.write("\n")


# ---- z_loss -------------------------------------------------------------------------------

def z_loss(lse, weight, count, coefficient):
    return coefficient * (weight * lse ** 2).sum() / count


def z_loss_case(name, options, lse, weight):
    coefficient = options.get("coefficient", 1e-4)
    # The kit passes count = N - 1 with one zero weight, the padding row.
    count = len(lse) - 1
    assert (weight == 0).sum() == 1
    case = {
        "name": name,
        "call": "loss",
        "options": options,
        "inputs": {"logsumexp": tensor(lse)},
        "constants": {"weight": tensor(weight)},
        "expected": {"loss": tensor(z_loss(lse, weight, count, coefficient))},
    }
    return case


last_padded = np.array([1, 1, 1, 1, 1, 0], dtype=np.float64)
middle_padded = np.array([1, 1, 0, 1, 1, 1], dtype=np.float64)
write("z_loss.json", {
    "generator": "gen_stability.py",
    "source": "float64 numpy z-loss coefficient * sum(w * lse^2) / count (PaLM arXiv 2204.02311; OLMo-core cross_entropy_loss)",
    "cases": [
        z_loss_case("default coefficient 1e-4", {}, normal([6], 2.0, 5.0), last_padded),
        z_loss_case("OLMo 2 coefficient 1e-5", {"coefficient": 1e-5}, normal([6], 2.0, 5.0), last_padded),
        # A zero weight in the middle catches a hook that drops the last row instead of weighting.
        z_loss_case("padding in the middle is ignored", {"coefficient": 0.5}, normal([6], 1.0, 3.0), middle_padded),
        z_loss_case("coefficient 0 adds nothing", {"coefficient": 0}, normal([6], 1.0, 3.0), last_padded),
    ],
})

# Gradient with respect to the logits, through lse = logsumexp(logits).
logits = normal([5, 7], 2.0)
weight = np.array([1, 1, 0, 1, 1], dtype=np.float64)
count = int(weight.sum())
coefficient = 0.01
lse = logsumexp(logits)
gradient = 2 * coefficient * (weight * lse)[:, None] * softmax(logits) / count
# Cross-check the closed form with float64 central differences.
step = 1e-6
numeric = np.zeros_like(logits)
for index in np.ndindex(*logits.shape):
    plus, minus = logits.copy(), logits.copy()
    plus[index] += step
    minus[index] -= step
    numeric[index] = (z_loss(logsumexp(plus), weight, count, coefficient) - z_loss(logsumexp(minus), weight, count, coefficient)) / (2 * step)
assert np.allclose(numeric, gradient, rtol=1e-6, atol=1e-10)
write("z_loss_gradient.json", {
    "generator": "gen_stability.py",
    "source": "closed form d/dlogits of coefficient * sum(w * logsumexp(logits)^2) / count = 2 * coefficient * w * lse * softmax(logits) / count, checked against float64 central differences",
    "coefficient": coefficient,
    "count": count,
    "logits": tensor(logits),
    "weight": tensor(weight),
    "loss": z_loss(lse, weight, count, coefficient),
    "gradient": tensor(gradient),
})

# ---- qk_norm ------------------------------------------------------------------------------

def qk_norm(q, k, q_weight, k_weight, scope, eps, unit_offset):
    if scope == "projection":
        return rmsnorm(q, q_weight, eps, unit_offset), rmsnorm(k, k_weight, eps, unit_offset)
    batch, seq, _ = q.shape
    q_heads = q.reshape(batch, seq, HEADS, HEAD_DIM)
    k_heads = k.reshape(batch, seq, KV_HEADS, HEAD_DIM)
    return (
        rmsnorm(q_heads, q_weight, eps, unit_offset).reshape(q.shape),
        rmsnorm(k_heads, k_weight, eps, unit_offset).reshape(k.shape),
    )


def qk_norm_case(name, options, q, k, v, q_weight=None, k_weight=None):
    scope = options.get("scope", "head")
    unit_offset = options.get("unit_offset", False)
    eps = options.get("eps", 1e-6)
    q_width = HEAD_DIM if scope == "head" else HEADS * HEAD_DIM
    k_width = HEAD_DIM if scope == "head" else KV_HEADS * HEAD_DIM
    centre = 0.0 if unit_offset else 1.0
    q_weight = normal([q_width], 0.3, centre) if q_weight is None else q_weight
    k_weight = normal([k_width], 0.3, centre) if k_weight is None else k_weight
    q_out, k_out = qk_norm(q, k, q_weight, k_weight, scope, eps, unit_offset)
    return {
        "name": name,
        "call": "projections",
        "options": options,
        "inputs": {"q": tensor(q), "k": tensor(k), "v": tensor(v)},
        "params": {"q_norm.weight": tensor(q_weight), "k_norm.weight": tensor(k_weight)},
        "expected": {"q": tensor(q_out), "k": tensor(k_out), "v": tensor(v)},
    }


def projections(batch=2, seq=3):
    q = normal([batch, seq, HEADS * HEAD_DIM])
    k = normal([batch, seq, KV_HEADS * HEAD_DIM])
    v = normal([batch, seq, KV_HEADS * HEAD_DIM])
    return q, k, v


# Heads of very different scales (1, 4, 16, 64): per-head RMSNorm brings every head to RMS 1,
# while one RMS over the whole projection leaves the small heads near zero.
head_scales = np.repeat([1.0, 4.0, 16.0, 64.0], HEAD_DIM)
kv_scales = np.repeat([1.0, 32.0], HEAD_DIM)
scaled_q = f32(normal([2, 3, HEADS * HEAD_DIM]) * head_scales)
scaled_k = f32(normal([2, 3, KV_HEADS * HEAD_DIM]) * kv_scales)
scaled_v = normal([2, 3, KV_HEADS * HEAD_DIM])
write("qk_norm.json", {
    "generator": "gen_stability.py",
    "source": "float64 numpy RMSNorm of q and k per head (HF Qwen3Attention, Gemma3Attention) or over the whole projection (HF Olmo2Attention, OlmoeAttention)",
    "cases": [
        qk_norm_case("per head with unit weights", {"scope": "head"}, scaled_q, scaled_k, scaled_v, np.ones(HEAD_DIM), np.ones(HEAD_DIM)),
        qk_norm_case(
            "whole projection with unit weights",
            {"scope": "projection"},
            scaled_q,
            scaled_k,
            scaled_v,
            np.ones(HEADS * HEAD_DIM),
            np.ones(KV_HEADS * HEAD_DIM),
        ),
        qk_norm_case("per head as Qwen3", {"scope": "head"}, *projections()),
        qk_norm_case("per head with unit offset as Gemma 3", {"scope": "head", "unit_offset": True}, *projections()),
        qk_norm_case("whole projection as OLMo 2", {"scope": "projection"}, *projections()),
        # eps 0.5 is large enough that eps outside the square root misses by far more than the tolerance.
        qk_norm_case("eps 0.5 inside the square root", {"scope": "projection", "eps": 0.5}, *projections(1, 2)),
    ],
})

# ---- soft-capping -------------------------------------------------------------------------

def softcap(x, cap):
    return cap * np.tanh(x / cap)


def softcap_case(name, call, input_name, options, x, default_cap):
    cap = options.get("cap", default_cap)
    return {
        "name": name,
        "call": call,
        "options": options,
        "inputs": {input_name: tensor(x)},
        "expected": {input_name: tensor(softcap(x, cap))},
    }


# Scores spread over the whole tanh curve: small, near the cap, and far beyond it.
wide_scores = f32(rng.normal(0.0, 1.0, size=[1, HEADS, 3, 3]) * np.array([1.0, 30.0, 100.0, 1e4])[None, :, None, None])
write("attn_softcap.json", {
    "generator": "gen_stability.py",
    "source": "float64 numpy cap * tanh(scores / cap) (Gemma 2 attn_logit_softcapping 50; HF Gemma2Attention)",
    "cases": [
        softcap_case("default cap 50", "scores", "scores", {}, normal([2, HEADS, 3, 3], 20.0), 50),
        softcap_case("scores far beyond the cap", "scores", "scores", {}, wide_scores, 50),
        softcap_case("cap 5", "scores", "scores", {"cap": 5}, normal([1, HEADS, 2, 4], 4.0), 5),
    ],
})

wide_logits = f32(rng.normal(0.0, 1.0, size=[4, 8]) * np.array([1.0, 10.0, 60.0, 1e5])[:, None])
write("final_softcap.json", {
    "generator": "gen_stability.py",
    "source": "float64 numpy cap * tanh(logits / cap) (Gemma 2 final_logit_softcapping 30; HF Gemma2ForCausalLM)",
    "cases": [
        softcap_case("default cap 30", "logits", "logits", {}, normal([6, 8], 15.0), 30),
        softcap_case("logits far beyond the cap", "logits", "logits", {}, wide_logits, 30),
        softcap_case("cap 2", "logits", "logits", {"cap": 2}, normal([3, 5], 2.0), 2),
    ],
})

# ---- scales and clipping ------------------------------------------------------------------

def scale_case(name, call, input_name, options, x, scale, dims=None):
    case = {
        "name": name,
        "call": call,
        "options": options,
        "inputs": {input_name: tensor(x)},
        "expected": {input_name: tensor(x * scale)},
    }
    if dims is not None:
        case["dims"] = dims
    return case


write("embedding_scale.json", {
    "generator": "gen_stability.py",
    "source": "float64 numpy x * sqrt(d_model) unless a scale is given (HF GemmaModel normalizer)",
    "cases": [
        scale_case("default sqrt(d_model) for d_model 16", "embedding", "x", {}, normal([2, 3, 16]), np.sqrt(16.0)),
        scale_case("default sqrt(d_model) for d_model 12", "embedding", "x", {}, normal([1, 2, 12]), np.sqrt(12.0), {"d_model": 12, "n_heads": 2}),
        scale_case("explicit scale 0.5", "embedding", "x", {"scale": 0.5}, normal([1, 2, 16]), 0.5),
    ],
})

write("logit_scale.json", {
    "generator": "gen_stability.py",
    "source": "float64 numpy logits * scale (HF CohereForCausalLM logit_scale; 0.0625 is CohereConfig's default)",
    "cases": [
        scale_case("default scale 0.0625", "logits", "logits", {}, normal([4, 8], 10.0), 0.0625),
        scale_case("Command R+ scale 0.8333", "logits", "logits", {"scale": 0.8333}, normal([3, 5], 10.0), np.float64(np.float32(0.8333))),
    ],
})


def clip_case(name, options, q, k, v):
    clip = options.get("clip", 8)
    return {
        "name": name,
        "call": "projections",
        "options": options,
        "inputs": {"q": tensor(q), "k": tensor(k), "v": tensor(v)},
        "expected": {name_: tensor(np.clip(x, -clip, clip)) for name_, x in [("q", q), ("k", k), ("v", v)]},
    }


write("qkv_clip.json", {
    "generator": "gen_stability.py",
    "source": "float64 numpy clamp(x, -clip, clip) of q, k and v (OLMo 1.7 / 0424 clip_qkv 8; HF OlmoAttention)",
    "cases": [
        clip_case("default clip 8", {}, normal([2, 3, 16], 8.0), normal([2, 3, 8], 8.0), normal([2, 3, 8], 8.0)),
        clip_case("clip 0.5", {"clip": 0.5}, normal([1, 2, 16]), normal([1, 2, 8]), normal([1, 2, 8])),
    ],
})
