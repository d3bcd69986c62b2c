"""Reference logits for every block layout of core's model assembly, computed with PyTorch.

The tiny model uses the semantics of the test fixture plugins in plugins.ts: RMS norm with a
gain (eps 1e-6), no positions, a bias-free ReLU MLP, and causal multi-head attention with one
fused [D, 3*H*K] q/k/v projection. Weights are random, named as archzoo names them.

Run with Debian's Python, which has python3-torch:
    /usr/bin/python3 packages/core/src/__fixtures__/generate_layouts.py
It rewrites layouts.json beside this script.
"""
import json
import os

import torch

torch.manual_seed(0)
V, D, L, H, F, EPS = 11, 8, 2, 2, 12, 1e-6
K = D // H
TOKENS = [[1, 5, 2, 9, 3], [4, 4, 0, 10, 7]]


def rms(x, w):
    return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + EPS) * w


def attention(x, p):
    b, t, _ = x.shape
    q, k, v = (x @ p["qkv.weight"]).split(H * K, dim=-1)
    q, k, v = (z.view(b, t, H, K).transpose(1, 2) for z in (q, k, v))
    scores = q @ k.transpose(-1, -2) / K**0.5
    mask = torch.ones(t, t).tril()
    scores = scores + (1 - mask) * -1e9
    out = scores.softmax(-1) @ v
    return out.transpose(1, 2).reshape(b, t, H * K) @ p["o.weight"]


def mlp(x, p):
    return torch.relu(x @ p["fc_in.weight"]) @ p["fc_out.weight"]


def norm_names(placement, layout):
    if layout == "parallel_shared_norm":
        return ["attn_norm"]
    if layout == "parallel_two_norms":
        return ["attn_norm", "ffn_norm"]
    return {
        "pre": ["attn_norm", "ffn_norm"],
        "post": ["attn_norm", "ffn_norm"],
        "sandwich": ["attn_norm", "attn_post_norm", "ffn_norm", "ffn_post_norm"],
        "reordered": ["attn_post_norm", "ffn_post_norm"],
    }[placement]


def make_params(block, tie):
    params = {"embed.weight": torch.randn(V, D)}
    if block["embedding_norm"]:
        params["embed_norm.weight"] = 1 + 0.1 * torch.randn(D)
    for i in range(L):
        for name in norm_names(block["placement"], block["layout"]):
            params[f"layers.{i}.{name}.weight"] = 1 + 0.1 * torch.randn(D)
        params[f"layers.{i}.attn.qkv.weight"] = 0.3 * torch.randn(D, 3 * H * K)
        params[f"layers.{i}.attn.o.weight"] = 0.3 * torch.randn(H * K, D)
        params[f"layers.{i}.ffn.fc_in.weight"] = 0.3 * torch.randn(D, F)
        params[f"layers.{i}.ffn.fc_out.weight"] = 0.3 * torch.randn(F, D)
    if block["final_norm"]:
        params["final_norm.weight"] = 1 + 0.1 * torch.randn(D)
    if not tie:
        params["lm_head.weight"] = 0.3 * torch.randn(D, V)
    return params


def forward(params, block, tie):
    x = params["embed.weight"][torch.tensor(TOKENS)]
    if block["embedding_norm"]:
        x = rms(x, params["embed_norm.weight"])
    for i in range(L):
        scope = lambda prefix: {k[len(prefix) + 1:]: v for k, v in params.items() if k.startswith(prefix + ".")}
        attn_p, ffn_p = scope(f"layers.{i}.attn"), scope(f"layers.{i}.ffn")
        n = lambda name, h: rms(h, params[f"layers.{i}.{name}.weight"])
        placement, layout = block["placement"], block["layout"]
        if layout == "parallel_shared_norm":
            h = n("attn_norm", x)
            x = x + attention(h, attn_p) + mlp(h, ffn_p)
        elif layout == "parallel_two_norms":
            x = x + attention(n("attn_norm", x), attn_p) + mlp(n("ffn_norm", x), ffn_p)
        elif placement == "pre":
            x = x + attention(n("attn_norm", x), attn_p)
            x = x + mlp(n("ffn_norm", x), ffn_p)
        elif placement == "post":
            x = n("attn_norm", x + attention(x, attn_p))
            x = n("ffn_norm", x + mlp(x, ffn_p))
        elif placement == "sandwich":
            x = x + n("attn_post_norm", attention(n("attn_norm", x), attn_p))
            x = x + n("ffn_post_norm", mlp(n("ffn_norm", x), ffn_p))
        elif placement == "reordered":
            x = x + n("attn_post_norm", attention(x, attn_p))
            x = x + n("ffn_post_norm", mlp(x, ffn_p))
    if block["final_norm"]:
        x = rms(x, params["final_norm.weight"])
    head = params["embed.weight"].T if tie else params["lm_head.weight"]
    return x @ head


CASES = [
    ("pre", "serial", True, False, False),
    ("post", "serial", False, False, False),
    ("sandwich", "serial", True, False, True),
    ("reordered", "serial", True, False, False),
    ("pre", "parallel_shared_norm", True, False, False),
    ("pre", "parallel_two_norms", True, True, False),
]
cases = []
for placement, layout, final_norm, embedding_norm, tie in CASES:
    block = {"placement": placement, "layout": layout, "final_norm": final_norm, "embedding_norm": embedding_norm}
    params = make_params(block, tie)
    with torch.no_grad():
        logits = forward(params, block, tie)
    cases.append({
        "block": block,
        "tie_embeddings": tie,
        "params": {k: {"shape": list(v.shape), "values": v.flatten().tolist()} for k, v in params.items()},
        "logits": logits.flatten().tolist(),
    })

out = {"dims": {"vocab_size": V, "d_model": D, "n_layers": L, "n_heads": H, "d_ff": F}, "tokens": TOKENS, "cases": cases}
with open(os.path.join(os.path.dirname(__file__), "layouts.json"), "w") as f:
    json.dump(out, f)
    f.write("\n")
