"""Writes mlp.json, swiglu.json, geglu.json, reglu.json, glu.json, glu-bilinear.json and moe.json:
golden cases of the FFN plugins in the @archzoo/testkit fixture format.

Reference outputs are computed in float64 with numpy.

Run from this folder: python3 make_ffn_fixtures.py
The formulas follow the primary sources cited in each plugin: Vaswani et al. 2017 (MLP),
Shazeer 2020 (GLU variants), HF transformers modeling_mixtral.py (MoE routing and
load_balancing_loss_func).
"""
import json
import math

import numpy as np

rng = np.random.default_rng(20240601)
B, T, D, F = 2, 3, 4, 6
erf = np.vectorize(math.erf)


def gelu(x):
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


ACT = {
    "gelu": gelu,
    "gelu_tanh": gelu_tanh,
    "relu": lambda x: np.maximum(x, 0.0),
    "relu2": lambda x: np.maximum(x, 0.0) ** 2,
    "silu": lambda x: x * sigmoid(x),
    "sigmoid": sigmoid,
    "identity": lambda x: x,
}


def tensor(a):
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def normal(*shape, std=0.5):
    return rng.normal(0.0, std, size=shape)


x = normal(B, T, D, std=1.0)
cases = []


def add_case(name, options, params, expected):
    plugin = name.split("_")[0] if not name.startswith("glu_bilinear") else "glu_bilinear"
    cases.append(
        {
            "plugin": plugin,
            "name": name,
            "options": options,
            "dims": {"d_model": D, "d_ff": F},
            "inputs": {"x": tensor(x)},
            "params": {k: tensor(v) for k, v in params.items()},
            "expected": expected,
        }
    )


def mlp_case(name, activation, bias):
    p = {"fc_in.weight": normal(D, F), "fc_out.weight": normal(F, D)}
    if bias:
        p["fc_in.bias"] = normal(F)
        p["fc_out.bias"] = normal(D)
    h = x @ p["fc_in.weight"] + (p["fc_in.bias"] if bias else 0.0)
    y = ACT[activation](h) @ p["fc_out.weight"] + (p["fc_out.bias"] if bias else 0.0)
    add_case(name, {"activation": activation, "bias": bias}, p, {"y": tensor(y)})


def gated(p, xs, act, prefix=""):
    def lin(name, inp):
        out = inp @ p[prefix + name + ".weight"]
        if prefix + name + ".bias" in p:
            out = out + p[prefix + name + ".bias"]
        return out

    return lin("down_proj", ACT[act](lin("gate_proj", xs)) * lin("up_proj", xs))


def gated_params(bias, prefix=""):
    p = {
        prefix + "gate_proj.weight": normal(D, F),
        prefix + "up_proj.weight": normal(D, F),
        prefix + "down_proj.weight": normal(F, D),
    }
    if bias:
        p[prefix + "gate_proj.bias"] = normal(F)
        p[prefix + "up_proj.bias"] = normal(F)
        p[prefix + "down_proj.bias"] = normal(D)
    return p


def gated_case(name, options, act, bias):
    p = gated_params(bias)
    add_case(name, options, p, {"y": tensor(gated(p, x, act))})


for activation in ["gelu", "gelu_tanh", "relu", "relu2", "silu"]:
    mlp_case(f"mlp_{activation}", activation, True)
mlp_case("mlp_gelu_no_bias", "gelu", False)

gated_case("swiglu", {"bias": False}, "silu", False)
gated_case("swiglu_bias", {"bias": True}, "silu", True)
gated_case("geglu", {"bias": False, "gelu": "exact"}, "gelu", False)
gated_case("geglu_tanh", {"bias": False, "gelu": "tanh"}, "gelu_tanh", False)
gated_case("reglu", {"bias": False}, "relu", False)
gated_case("glu", {"bias": False}, "sigmoid", False)
gated_case("glu_bilinear", {"bias": False}, "identity", False)


def moe_case(name, n_experts, top_k, coef):
    p = {"router.weight": normal(D, n_experts, std=1.0)}
    for e in range(n_experts):
        p.update(gated_params(False, f"experts.{e}."))
    xs = x.reshape(B * T, D)
    logits = xs @ p["router.weight"]
    probs = np.exp(logits - logits.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    chosen = np.argsort(-probs, axis=-1)[:, :top_k]
    y = np.zeros_like(xs)
    for n in range(B * T):
        weights = probs[n, chosen[n]] / probs[n, chosen[n]].sum()
        for j, e in enumerate(chosen[n]):
            y[n] += weights[j] * gated(p, xs[n : n + 1], "silu", f"experts.{e}.")[0]
    mask = np.zeros((B * T, n_experts))
    for n in range(B * T):
        mask[n, chosen[n]] = 1.0
    aux = coef * n_experts * float(np.sum(mask.mean(0) * probs.mean(0)))
    options = {"n_experts": n_experts, "top_k": top_k, "expert": "swiglu", "aux_loss_coef": coef}
    add_case(name, options, p, {"y": tensor(y.reshape(B, T, D)), "aux": {"shape": [], "data": [aux]}})


moe_case("moe_top2", 4, 2, 0.02)
moe_case("moe_top1", 3, 1, 0.5)

SOURCE = (
    "numpy float64: MLP act(x W_in + b_in) W_out + b_out (Vaswani et al. 2017); GLU variants "
    "(act(x W_gate) * (x W_up)) W_down (Shazeer 2020, arXiv 2002.05202); MoE routing and aux loss "
    "as HF transformers models/mixtral/modeling_mixtral.py, with a per-token loop over experts"
)


for plugin in ["mlp", "swiglu", "geglu", "reglu", "glu", "glu_bilinear", "moe"]:
    chosen = [{k: v for k, v in c.items() if k != "plugin"} for c in cases if c["plugin"] == plugin]
    with open(plugin.replace("_", "-") + ".json", "w") as f:
        json.dump({"generator": "make_ffn_fixtures.py", "source": SOURCE, "cases": chosen}, f)
        f.write("\n")
