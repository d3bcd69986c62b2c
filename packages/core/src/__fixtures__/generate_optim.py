"""Reference values for core's optimizer, schedule and loss tests, computed with PyTorch.

Run with Debian's Python, which has python3-torch and python3-numpy:
    /usr/bin/python3 packages/core/src/__fixtures__/generate_optim.py
It rewrites optim.json beside this script.
"""
import json
import math
import os

import torch

torch.manual_seed(0)
out = {}

# AdamW: two parameters, one with weight decay and one without, five steps of fixed gradients.
w0 = torch.tensor([[0.5, -1.0, 2.0], [0.1, 0.0, -0.3]])
b0 = torch.tensor([0.2, -0.4])
grads = [
    (torch.tensor([[0.1, -0.2, 0.3], [0.0, 0.5, -0.5]]) * (k + 1), torch.tensor([0.3, -0.1]) / (k + 1))
    for k in range(5)
]
lrs = [1e-2, 2e-2, 3e-2, 2e-2, 1e-2]
w = w0.clone().requires_grad_(True)
b = b0.clone().requires_grad_(True)
opt = torch.optim.AdamW(
    [{"params": [w], "weight_decay": 0.1}, {"params": [b], "weight_decay": 0.0}],
    lr=1e-2, betas=(0.9, 0.95), eps=1e-8,
)
trajectory = []
for (gw, gb), lr in zip(grads, lrs):
    for group in opt.param_groups:
        group["lr"] = lr
    w.grad = gw.clone()
    b.grad = gb.clone()
    opt.step()
    trajectory.append({"w": w.detach().flatten().tolist(), "b": b.detach().tolist()})
out["adamw"] = {
    "w0": w0.flatten().tolist(), "w_shape": list(w0.shape), "b0": b0.tolist(),
    "grads": [{"w": gw.flatten().tolist(), "b": gb.tolist()} for gw, gb in grads],
    "lrs": lrs, "betas": [0.9, 0.95], "eps": 1e-8, "weight_decay": 0.1,
    "trajectory": trajectory,
}

# Cross-entropy and log-sum-exp of random logits, one ignored row (label -100).
logits = torch.randn(4, 7) * 3
labels = torch.tensor([3, 0, 6, -100])
loss_rows = torch.nn.functional.cross_entropy(logits, labels, reduction="none", ignore_index=-100)
lse = torch.logsumexp(logits, dim=1)
logits_g = logits.clone().requires_grad_(True)
# d/dlogits of sum(loss_rows) + 0.5 * sum(lse^2): covers both cross-entropy and a z-loss-like term.
objective = torch.nn.functional.cross_entropy(logits_g, labels, reduction="sum", ignore_index=-100) + 0.5 * (
    torch.logsumexp(logits_g, dim=1) ** 2
).sum()
objective.backward()
out["cross_entropy"] = {
    "logits": logits.flatten().tolist(), "shape": list(logits.shape), "labels": [3, 0, 6, -1],
    "loss": loss_rows.tolist(), "lse": lse.tolist(), "grad": logits_g.grad.flatten().tolist(),
}

# Global-norm clipping as torch.nn.utils.clip_grad_norm_ computes it.
g1 = torch.tensor([3.0, 4.0])
g2 = torch.tensor([[12.0]])
params = [torch.zeros(2, requires_grad=True), torch.zeros(1, 1, requires_grad=True)]
params[0].grad, params[1].grad = g1.clone(), g2.clone()
norm = torch.nn.utils.clip_grad_norm_(params, max_norm=5.0)
out["clip"] = {"norm": float(norm), "g1": params[0].grad.tolist(), "g2": params[1].grad.flatten().tolist(), "max_norm": 5.0}

with open(os.path.join(os.path.dirname(__file__), "optim.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
