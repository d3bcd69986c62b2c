"""Writes causal.json (golden cases of the causal attention plugin in the @archzoo/testkit fixture
format, computed in numpy float64) and masks.json (visibility matrices of each mask pattern).

Run from this folder: python3 make_attention_fixtures.py
Head grouping follows HF transformers `repeat_kv` (models/llama/modeling_llama.py): key/value
head g serves query heads g*R .. g*R+R-1 with R = n_heads / n_kv_heads. Masks are built from
the set definitions of Child et al. 2019 (arXiv 1904.10509), not from the TypeScript code:
strided A(1) = {max(0, i-l) .. i}, A(2) = {j : (i-j) mod l = 0}; fixed A(1) = {j : floor(j/l) =
floor(i/l)}, A(2) = {j : j mod l in {l-c .. l-1}}; causal j <= i throughout.
"""
import json

import numpy as np

rng = np.random.default_rng(20240602)
B, T, D, H, K = 2, 6, 8, 4, 3


def tensor(a):
    return {"shape": list(a.shape), "data": [float(v) for v in np.asarray(a).reshape(-1)]}


def visible(t, window=None, sparse=None, block=None, c=None):
    allowed = np.zeros((t, t), dtype=bool)
    for i in range(t):
        keys = set(range(0, i + 1))
        if window is not None:
            keys &= set(range(i - window + 1, i + 1))
        if sparse == "strided":
            a1 = set(range(max(0, i - block), i + 1))
            a2 = {j for j in range(t) if (i - j) % block == 0}
            keys &= a1 | a2
        if sparse == "fixed":
            a1 = {j for j in range(t) if j // block == i // block}
            a2 = {j for j in range(t) if j % block in range(block - c, block)}
            keys &= a1 | a2
        for j in keys:
            allowed[i, j] = True
    return allowed


def attention(x, p, n_kv, scale, allowed, qkv_bias=False, out_bias=False):
    def lin(name, inp, bias):
        out = inp @ p[name + ".weight"]
        return out + p[name + ".bias"] if bias else out

    b, t, _ = x.shape
    q = lin("q_proj", x, qkv_bias).reshape(b, t, H, K).transpose(0, 2, 1, 3)
    k = lin("k_proj", x, qkv_bias).reshape(b, t, n_kv, K).transpose(0, 2, 1, 3)
    v = lin("v_proj", x, qkv_bias).reshape(b, t, n_kv, K).transpose(0, 2, 1, 3)
    k = np.repeat(k, H // n_kv, axis=1)
    v = np.repeat(v, H // n_kv, axis=1)
    scores = (q @ k.transpose(0, 1, 3, 2)) * scale
    scores = np.where(allowed[None, None], scores, -np.inf)
    probs = np.exp(scores - scores.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    out = (probs @ v).transpose(0, 2, 1, 3).reshape(b, t, H * K)
    return lin("o_proj", out, out_bias)


x = rng.normal(0.0, 1.0, size=(B, T, D))
cases = []


def case(name, n_kv, options, scale, allowed):
    qkv_bias = options.get("qkv_bias", False)
    out_bias = options.get("out_bias", False)
    p = {
        "q_proj.weight": rng.normal(0.0, 0.5, size=(D, H * K)),
        "k_proj.weight": rng.normal(0.0, 0.5, size=(D, n_kv * K)),
        "v_proj.weight": rng.normal(0.0, 0.5, size=(D, n_kv * K)),
        "o_proj.weight": rng.normal(0.0, 0.5, size=(H * K, D)),
    }
    if qkv_bias:
        p["q_proj.bias"] = rng.normal(0.0, 0.5, size=(H * K,))
        p["k_proj.bias"] = rng.normal(0.0, 0.5, size=(n_kv * K,))
        p["v_proj.bias"] = rng.normal(0.0, 0.5, size=(n_kv * K,))
    if out_bias:
        p["o_proj.bias"] = rng.normal(0.0, 0.5, size=(D,))
    y = attention(x, p, n_kv, scale, allowed, qkv_bias, out_bias)
    cases.append(
        {
            "name": name,
            "options": options,
            "dims": {"d_model": D, "n_heads": H, "n_kv_heads": n_kv, "head_dim": K, "context_length": 16},
            "inputs": {"x": tensor(x)},
            "params": {k: tensor(v) for k, v in p.items()},
            "expected": {"y": tensor(y)},
        }
    )


inv_sqrt_k = 1.0 / np.sqrt(K)
case("mha", 4, {}, inv_sqrt_k, visible(T))
case("gqa", 2, {}, inv_sqrt_k, visible(T))
case("mqa", 1, {}, inv_sqrt_k, visible(T))
case("gqa_window2", 2, {"window": 2}, inv_sqrt_k, visible(T, window=2))
case("mha_window1", 4, {"window": 1}, inv_sqrt_k, visible(T, window=1))
case("gqa_query_pre_attn_scalar", 2, {"query_pre_attn_scalar": 7}, 1.0 / np.sqrt(7.0), visible(T))
case("mha_no_scale", 4, {"score_scale": "none"}, 1.0, visible(T))
case("gqa_biases", 2, {"qkv_bias": True, "out_bias": True}, inv_sqrt_k, visible(T))
case("gqa_strided", 2, {"sparse": "strided", "sparse_block": 2}, inv_sqrt_k, visible(T, sparse="strided", block=2))
case("mha_fixed", 4, {"sparse": "fixed", "sparse_block": 3, "sparse_c": 1}, inv_sqrt_k, visible(T, sparse="fixed", block=3, c=1))

MASK_SPECS = {
    "causal": {},
    "window3": {"window": 3},
    "strided3": {"sparse": "strided", "block": 3},
    "fixed4c2": {"sparse": "fixed", "block": 4, "c": 2},
    "window5_fixed3c1": {"window": 5, "sparse": "fixed", "block": 3, "c": 1},
    "window4_strided3": {"window": 4, "sparse": "strided", "block": 3},
}
# Rows as strings of 0/1 keep the file readable: row i, column j is 1 when query i attends to key j.
masks = {
    name: {"spec": spec, "rows": ["".join(str(int(v)) for v in row) for row in visible(12, **spec)]}
    for name, spec in MASK_SPECS.items()
}

SOURCE = (
    "numpy float64 causal attention with HF repeat_kv head grouping; masks from the set definitions "
    "of Child et al. 2019 (arXiv 1904.10509) and the sliding window 0 <= i - j < window"
)
with open("causal.json", "w") as f:
    json.dump({"generator": "make_attention_fixtures.py", "source": SOURCE, "cases": cases}, f)
    f.write("\n")
with open("masks.json", "w") as f:
    json.dump({"generator": "make_attention_fixtures.py", "source": SOURCE, "masks": masks}, f, indent=1)
    f.write("\n")
