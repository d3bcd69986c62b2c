/**
 * The golden-fixture generator a new plugin starts with: a Python script that computes the
 * generated starting math in float64 numpy and writes `<name>.json` in the testkit fixture format.
 * The contributor replaces `reference` (and the cases) when replacing the plugin's math.
 */
import type { SlotKind } from '@archzoo/core';

const HEADER = String.raw`#!/usr/bin/env python3
"""Writes {{name}}.json: golden cases for {{package}} ({{kind}} slot, id "{{id}}").

The expected values are computed here in float64 numpy, independently of TensorFlow.js.
TODO: replace reference() with the published formula of the plugin and name its source in
"source" below. As generated, it computes the starting math of src/{{name}}.ts.
Inputs and parameters are rounded to float32 first, so the plugin receives exactly these values.
Run: python3 gen_{{id}}.py  (numpy only; rewrites {{name}}.json next to this script).
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

`;

const BODIES: Readonly<Record<SlotKind, string>> = {
  norm: String.raw`
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
`,
  position: String.raw`
def reference(x, weight, start, options):
    return x + weight[start : start + x.shape[1]]


def case(name, options, shape, start, context_length=16):
    x = normal(*shape)
    weight = normal(context_length, shape[-1], std=0.3)
    return {
        "name": name,
        "call": "embed",
        "options": options,
        "dims": {"d_model": shape[-1], "context_length": context_length},
        "start": start,
        "inputs": {"x": tensor(x)},
        "params": {"weight": tensor(weight)},
        "expected": {"x": tensor(reference(x, weight, start, options))},
    }


CASES = [case("positions 3 to 6", {}, [2, 4, 8], start=3)]
`,
  ffn: String.raw`
def reference(x, up, down, options):
    hidden = x @ up
    return (hidden / (1.0 + np.exp(-hidden))) @ down


def case(name, options, shape, d_ff=16):
    x = normal(*shape)
    up = normal(shape[-1], d_ff, std=0.3)
    down = normal(d_ff, shape[-1], std=0.3)
    return {
        "name": name,
        "options": options,
        "dims": {"d_model": shape[-1], "d_ff": d_ff},
        "inputs": {"x": tensor(x)},
        "params": {"up.weight": tensor(up), "down.weight": tensor(down)},
        "expected": {"y": tensor(reference(x, up, down, options))},
    }


CASES = [case("defaults", {}, [2, 3, 8])]
`,
  attention: String.raw`
def reference(x, params, n_heads, n_kv_heads, head_dim, options):
    batch, seq, _ = x.shape

    def heads(y, count):
        return y.reshape(batch, seq, count, head_dim).transpose(0, 2, 1, 3)

    q = heads(x @ params["q_proj.weight"], n_heads)
    k = np.repeat(heads(x @ params["k_proj.weight"], n_kv_heads), n_heads // n_kv_heads, axis=1)
    v = np.repeat(heads(x @ params["v_proj.weight"], n_kv_heads), n_heads // n_kv_heads, axis=1)
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head_dim)
    scores = np.where(np.triu(np.ones((seq, seq), dtype=bool), 1), -np.inf, scores)
    probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    out = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, seq, n_heads * head_dim)
    return out @ params["o_proj.weight"]


def case(name, options, shape, n_heads=2, n_kv_heads=1, head_dim=4):
    d_model = shape[-1]
    x = normal(*shape)
    params = {
        "q_proj.weight": normal(d_model, n_heads * head_dim, std=0.3),
        "k_proj.weight": normal(d_model, n_kv_heads * head_dim, std=0.3),
        "v_proj.weight": normal(d_model, n_kv_heads * head_dim, std=0.3),
        "o_proj.weight": normal(n_heads * head_dim, d_model, std=0.3),
    }
    return {
        "name": name,
        "options": options,
        "dims": {"d_model": d_model, "n_heads": n_heads, "n_kv_heads": n_kv_heads, "head_dim": head_dim},
        "inputs": {"x": tensor(x)},
        "params": {key: tensor(value) for key, value in params.items()},
        "expected": {"y": tensor(reference(x, params, n_heads, n_kv_heads, head_dim, options))},
    }


CASES = [case("two query heads share one key/value head", {}, [2, 5, 8])]
`,
  stability: String.raw`
def reference(logits, options):
    return logits * options.get("scale", 0.5)


def case(name, options, rows=6, vocab=32):
    logits = normal(rows, vocab, std=2.0)
    return {
        "name": name,
        "call": "logits",
        "options": options,
        "dims": {"vocab_size": vocab},
        "inputs": {"logits": tensor(logits)},
        "expected": {"logits": tensor(reference(logits, options))},
    }


CASES = [case("defaults", {}), case("scale 0.25", {"scale": 0.25})]
`,
};

const FOOTER = String.raw`
fixture = {
    "generator": "gen_{{id}}.py",
    "source": "TODO: what reference() implements and from which paper or file",
    "cases": CASES,
}

with open(os.path.join(HERE, "{{name}}.json"), "w") as handle:
    json.dump(fixture, handle, indent=1)
    handle.write("\n")
`;

/** The generator script template of `kind`, with `{{...}}` placeholders. */
export function fixtureScriptTemplate(kind: SlotKind): string {
  return HEADER + BODIES[kind] + FOOTER;
}
