"""Writes tiny random Hugging Face model folders and their expected logits for the parity tests.

Each forward pass below is a PyTorch transcription of the eager path of the matching transformers
modeling file (src/transformers/models/<type>/modeling_<type>.py): LlamaRMSNorm, rotate_half and
apply_rotary_pos_emb, repeat_kv, eager_attention_forward, the decoder layers and the LM head.
transformers itself is not installable here, so these transcriptions are the reference; they use
the HF tensor names and layouts (nn.Linear weights [out, in], GPT-2 Conv1D weights [in, out] with
c_attn fused as q | k | v), and write config.json plus model.safetensors the way save_pretrained does.

Run with a Python that has PyTorch (tested with 1.13):
    python3 generate_hf_fixtures.py
It rewrites the folders under hf-models/ beside this file. The seed is fixed, so reruns give the
same files.
"""

import json
import math
import os
import struct

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "hf-models")
TOKENS = [5, 17, 3, 88, 42, 0, 61, 7, 29, 96, 13, 50]
DTYPE_NAMES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}


# ---------------------------------------------------------------- safetensors writer


def tensor_bytes(tensor):
    tensor = tensor.contiguous()
    if tensor.dtype == torch.bfloat16:
        return tensor.view(torch.int16).numpy().astype("<i2").tobytes()
    if tensor.dtype == torch.float16:
        return tensor.numpy().astype("<f2").tobytes()
    return tensor.numpy().astype("<f4").tobytes()


def write_safetensors(path, tensors):
    """Writes {name: tensor} as safetensors: u64 header length, JSON header padded with spaces to 8 bytes, data."""
    header, chunks, offset = {}, [], 0
    for name, tensor in tensors.items():
        data = tensor_bytes(tensor)
        header[name] = {"dtype": DTYPE_NAMES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as handle:
        handle.write(struct.pack("<Q", len(text)))
        handle.write(text)
        for chunk in chunks:
            handle.write(chunk)


def save_folder(name, config, tensors, logits, description, dtype=torch.float32, shards=1):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        os.remove(os.path.join(folder, old))
    stored = {key: value.to(dtype) for key, value in tensors.items()}
    if shards == 1:
        write_safetensors(os.path.join(folder, "model.safetensors"), stored)
    else:
        names = list(stored)
        weight_map = {}
        for shard in range(shards):
            file = f"model-{shard + 1:05d}-of-{shards:05d}.safetensors"
            part = names[shard::shards]
            write_safetensors(os.path.join(folder, file), {key: stored[key] for key in part})
            weight_map.update({key: file for key in part})
        with open(os.path.join(folder, "model.safetensors.index.json"), "w") as handle:
            json.dump({"metadata": {"total_size": sum(t.numel() * t.element_size() for t in stored.values())}, "weight_map": weight_map}, handle, indent=2)
    with open(os.path.join(folder, "config.json"), "w") as handle:
        json.dump(config, handle, indent=2)
    expected = {
        "description": description,
        "generator": "generate_hf_fixtures.py (PyTorch transcription of the transformers forward pass, float32)",
        "tokens": TOKENS,
        "logits": [[float(v) for v in row] for row in logits],
    }
    with open(os.path.join(folder, "expected.json"), "w") as handle:
        json.dump(expected, handle)


# ---------------------------------------------------------------- shared pieces (modeling_llama.py)


def rms_norm(x, weight, eps):
    """LlamaRMSNorm / Olmo2RMSNorm: weight * (x * rsqrt(mean(x^2) + eps))."""
    variance = x.pow(2).mean(-1, keepdim=True)
    return weight * (x * torch.rsqrt(variance + eps))


def gemma_rms_norm(x, weight, eps):
    """Gemma2RMSNorm: x * rsqrt(mean(x^2) + eps) * (1 + weight)."""
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * (1.0 + weight)


def layer_norm(x, weight, bias, eps):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), weight, bias, eps)


def default_inv_freq(head_dim, theta):
    return 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))


def llama3_inv_freq(inv_freq, scaling):
    """modeling_rope_utils._compute_llama3_parameters."""
    factor = scaling["factor"]
    low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
    old_context = scaling["original_max_position_embeddings"]
    low_wavelen, high_wavelen = old_context / low, old_context / high
    wavelen = 2 * math.pi / inv_freq
    inv_freq_llama = torch.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
    smooth = (old_context / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * inv_freq_llama / factor + smooth * inv_freq_llama
    is_medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
    return torch.where(is_medium, smoothed, inv_freq_llama)


def rope_cos_sin(inv_freq, seq):
    positions = torch.arange(seq).float()
    freqs = torch.outer(positions, inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2 :]
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary(q, k, cos, sin):
    return q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin


def repeat_kv(x, n_rep):
    batch, heads, seq, dim = x.shape
    if n_rep == 1:
        return x
    return x[:, :, None, :, :].expand(batch, heads, n_rep, seq, dim).reshape(batch, heads * n_rep, seq, dim)


def causal_mask(seq, window=None):
    """Additive mask: finfo.min where key j > query i, or where i - j >= window."""
    i = torch.arange(seq)[:, None]
    j = torch.arange(seq)[None, :]
    hidden = j > i
    if window is not None:
        hidden = hidden | (i - j >= window)
    return torch.where(hidden, torch.finfo(torch.float32).min, 0.0)


def linear(x, weights, name, bias=False):
    y = x @ weights[f"{name}.weight"].T
    return y + weights[f"{name}.bias"] if bias else y


def attention(x, w, prefix, cfg, inv_freq, scaling, mask, qkv_bias=False, out_bias=False, softcap=None, qk_norm_eps=None):
    """LlamaAttention.forward with eager_attention_forward (plus the Gemma 2 soft-cap and OLMo 2 QK-norm)."""
    batch, seq, _ = x.shape
    heads, kv_heads, head_dim = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
    q = linear(x, w, f"{prefix}.q_proj", qkv_bias)
    k = linear(x, w, f"{prefix}.k_proj", qkv_bias)
    v = linear(x, w, f"{prefix}.v_proj", qkv_bias)
    if qk_norm_eps is not None:
        q = rms_norm(q, w[f"{prefix}.q_norm.weight"], qk_norm_eps)
        k = rms_norm(k, w[f"{prefix}.k_norm.weight"], qk_norm_eps)
    q = q.view(batch, seq, heads, head_dim).transpose(1, 2)
    k = k.view(batch, seq, kv_heads, head_dim).transpose(1, 2)
    v = v.view(batch, seq, kv_heads, head_dim).transpose(1, 2)
    cos, sin = rope_cos_sin(inv_freq, seq)
    q, k = apply_rotary(q, k, cos, sin)
    k = repeat_kv(k, heads // kv_heads)
    v = repeat_kv(v, heads // kv_heads)
    scores = torch.matmul(q, k.transpose(2, 3)) * scaling
    if softcap is not None:
        scores = torch.tanh(scores / softcap) * softcap
    scores = scores + mask
    probs = torch.softmax(scores, dim=-1, dtype=torch.float32)
    out = torch.matmul(probs, v).transpose(1, 2).reshape(batch, seq, heads * head_dim)
    return linear(out, w, f"{prefix}.o_proj", out_bias)


def swiglu(x, w, prefix, bias=False):
    return linear(torch.nn.functional.silu(linear(x, w, f"{prefix}.gate_proj", bias)) * linear(x, w, f"{prefix}.up_proj", bias), w, f"{prefix}.down_proj", bias)


def gelu_tanh(x):
    return torch.nn.functional.gelu(x, approximate="tanh")


# ---------------------------------------------------------------- weights


def randn(generator, *shape, std=0.2):
    return torch.randn(*shape, generator=generator) * std


def llama_weights(cfg, generator, qkv_bias=False, norms=("input_layernorm", "post_attention_layernorm"), unit_offset=False, qk_norm=False, std=0.2):
    hidden, heads, kv, head_dim, ff = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"], cfg["intermediate_size"]
    norm_weight = (lambda n: randn(generator, n, std=0.3)) if unit_offset else (lambda n: 1 + randn(generator, n, std=0.1))
    w = {"model.embed_tokens.weight": randn(generator, cfg["vocab_size"], hidden, std=0.3 if unit_offset else 0.5)}
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}"
        for norm in norms:
            w[f"{p}.{norm}.weight"] = norm_weight(hidden)
        w[f"{p}.self_attn.q_proj.weight"] = randn(generator, heads * head_dim, hidden, std=std)
        w[f"{p}.self_attn.k_proj.weight"] = randn(generator, kv * head_dim, hidden, std=std)
        w[f"{p}.self_attn.v_proj.weight"] = randn(generator, kv * head_dim, hidden, std=std)
        w[f"{p}.self_attn.o_proj.weight"] = randn(generator, hidden, heads * head_dim, std=std)
        if qkv_bias:
            for name, width in (("q_proj", heads * head_dim), ("k_proj", kv * head_dim), ("v_proj", kv * head_dim)):
                w[f"{p}.self_attn.{name}.bias"] = randn(generator, width, std=0.1)
        if qk_norm:
            w[f"{p}.self_attn.q_norm.weight"] = norm_weight(heads * head_dim)
            w[f"{p}.self_attn.k_norm.weight"] = norm_weight(kv * head_dim)
        w[f"{p}.mlp.gate_proj.weight"] = randn(generator, ff, hidden, std=std)
        w[f"{p}.mlp.up_proj.weight"] = randn(generator, ff, hidden, std=std)
        w[f"{p}.mlp.down_proj.weight"] = randn(generator, hidden, ff, std=std)
    w["model.norm.weight"] = norm_weight(hidden)
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = randn(generator, cfg["vocab_size"], hidden, std=0.5)
    return w


def lm_head(h, w, cfg):
    weight = w["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else w["lm_head.weight"]
    return h @ weight.T


# ---------------------------------------------------------------- families


def llama_like_forward(cfg, w, qkv_bias=False, window=None):
    """LlamaModel / MistralModel / Qwen2Model forward followed by the LM head."""
    x = w["model.embed_tokens.weight"][torch.tensor([TOKENS])]
    inv_freq = default_inv_freq(cfg["head_dim"], cfg["rope_theta"])
    if cfg.get("rope_scaling"):
        inv_freq = llama3_inv_freq(inv_freq, cfg["rope_scaling"])
    mask = causal_mask(len(TOKENS), window)
    eps = cfg["rms_norm_eps"]
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}"
        h = rms_norm(x, w[f"{p}.input_layernorm.weight"], eps)
        x = x + attention(h, w, f"{p}.self_attn", cfg, inv_freq, cfg["head_dim"] ** -0.5, mask, qkv_bias=qkv_bias)
        h = rms_norm(x, w[f"{p}.post_attention_layernorm.weight"], eps)
        x = x + swiglu(h, w, f"{p}.mlp")
    return lm_head(rms_norm(x, w["model.norm.weight"], eps), w, cfg)[0]


def gemma2_forward(cfg, w):
    """Gemma2Model forward (sandwich norms, embedding normalizer, soft-caps) and Gemma2ForCausalLM's final soft-cap."""
    x = w["model.embed_tokens.weight"][torch.tensor([TOKENS])] * torch.tensor(cfg["hidden_size"] ** 0.5)
    inv_freq = default_inv_freq(cfg["head_dim"], cfg["rope_theta"])
    eps = cfg["rms_norm_eps"]
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}"
        is_sliding = not bool(layer % 2)
        mask = causal_mask(len(TOKENS), cfg["sliding_window"] if is_sliding else None)
        h = gemma_rms_norm(x, w[f"{p}.input_layernorm.weight"], eps)
        h = attention(h, w, f"{p}.self_attn", cfg, inv_freq, cfg["query_pre_attn_scalar"] ** -0.5, mask, softcap=cfg["attn_logit_softcapping"])
        x = x + gemma_rms_norm(h, w[f"{p}.post_attention_layernorm.weight"], eps)
        h = gemma_rms_norm(x, w[f"{p}.pre_feedforward_layernorm.weight"], eps)
        p_mlp = f"{p}.mlp"
        h = linear(gelu_tanh(linear(h, w, f"{p_mlp}.gate_proj")) * linear(h, w, f"{p_mlp}.up_proj"), w, f"{p_mlp}.down_proj")
        x = x + gemma_rms_norm(h, w[f"{p}.post_feedforward_layernorm.weight"], eps)
    logits = lm_head(gemma_rms_norm(x, w["model.norm.weight"], eps), w, cfg)
    cap = cfg["final_logit_softcapping"]
    return (torch.tanh(logits / cap) * cap)[0]


def olmo2_forward(cfg, w):
    """Olmo2Model forward: x + post_attention_layernorm(attn(x)), x + post_feedforward_layernorm(mlp(x))."""
    x = w["model.embed_tokens.weight"][torch.tensor([TOKENS])]
    inv_freq = default_inv_freq(cfg["head_dim"], cfg["rope_theta"])
    mask = causal_mask(len(TOKENS))
    eps = cfg["rms_norm_eps"]
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}"
        h = attention(x, w, f"{p}.self_attn", cfg, inv_freq, cfg["head_dim"] ** -0.5, mask, qk_norm_eps=eps)
        x = x + rms_norm(h, w[f"{p}.post_attention_layernorm.weight"], eps)
        x = x + rms_norm(swiglu(x, w, f"{p}.mlp"), w[f"{p}.post_feedforward_layernorm.weight"], eps)
    return lm_head(rms_norm(x, w["model.norm.weight"], eps), w, cfg)[0]


def gpt2_weights(cfg, generator):
    d, ff, n_pos = cfg["n_embd"], 4 * cfg["n_embd"], cfg["n_positions"]
    w = {"wte.weight": randn(generator, cfg["vocab_size"], d, std=0.5), "wpe.weight": randn(generator, n_pos, d, std=0.3)}
    for layer in range(cfg["n_layer"]):
        p = f"h.{layer}"
        for ln in ("ln_1", "ln_2"):
            w[f"{p}.{ln}.weight"] = 1 + randn(generator, d, std=0.1)
            w[f"{p}.{ln}.bias"] = randn(generator, d, std=0.1)
        # Older checkpoints carry the causal mask buffer; the importer must skip it.
        w[f"{p}.attn.bias"] = torch.tril(torch.ones(n_pos, n_pos)).view(1, 1, n_pos, n_pos)
        w[f"{p}.attn.c_attn.weight"] = randn(generator, d, 3 * d)
        w[f"{p}.attn.c_attn.bias"] = randn(generator, 3 * d, std=0.1)
        w[f"{p}.attn.c_proj.weight"] = randn(generator, d, d)
        w[f"{p}.attn.c_proj.bias"] = randn(generator, d, std=0.1)
        w[f"{p}.mlp.c_fc.weight"] = randn(generator, d, ff)
        w[f"{p}.mlp.c_fc.bias"] = randn(generator, ff, std=0.1)
        w[f"{p}.mlp.c_proj.weight"] = randn(generator, ff, d)
        w[f"{p}.mlp.c_proj.bias"] = randn(generator, d, std=0.1)
    w["ln_f.weight"] = 1 + randn(generator, d, std=0.1)
    w["ln_f.bias"] = randn(generator, d, std=0.1)
    return w


def gpt2_forward(cfg, w):
    """GPT2Model forward (Conv1D: x @ W + b; c_attn split into q, k, v) with the tied LM head."""
    seq, d, heads = len(TOKENS), cfg["n_embd"], cfg["n_head"]
    head_dim, eps = d // heads, cfg["layer_norm_epsilon"]
    conv1d = lambda x, name: x @ w[f"{name}.weight"] + w[f"{name}.bias"]
    x = w["wte.weight"][torch.tensor([TOKENS])] + w["wpe.weight"][:seq]
    mask = causal_mask(seq)
    for layer in range(cfg["n_layer"]):
        p = f"h.{layer}"
        h = layer_norm(x, w[f"{p}.ln_1.weight"], w[f"{p}.ln_1.bias"], eps)
        q, k, v = conv1d(h, f"{p}.attn.c_attn").split(d, dim=2)
        q, k, v = (t.view(1, seq, heads, head_dim).transpose(1, 2) for t in (q, k, v))
        scores = torch.matmul(q, k.transpose(-1, -2)) / torch.full([], head_dim**0.5) + mask
        out = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(1, seq, d)
        x = x + conv1d(out, f"{p}.attn.c_proj")
        h = layer_norm(x, w[f"{p}.ln_2.weight"], w[f"{p}.ln_2.bias"], eps)
        x = x + conv1d(gelu_tanh(conv1d(h, f"{p}.mlp.c_fc")), f"{p}.mlp.c_proj")
    return (layer_norm(x, w["ln_f.weight"], w["ln_f.bias"], eps) @ w["wte.weight"].T)[0]


def base_config(model_type, **extra):
    cfg = {
        "model_type": model_type,
        "vocab_size": 97,
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "head_dim": 8,
        "max_position_embeddings": 64,
        "rms_norm_eps": 1e-6,
        "rope_theta": 10000.0,
        "hidden_act": "silu",
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
    }
    cfg.update(extra)
    return cfg


def main():
    generator = torch.Generator().manual_seed(20241204)

    llama = base_config(
        "llama",
        architectures=["LlamaForCausalLM"],
        rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
        rope_theta=500000.0,
    )
    llama_w = llama_weights(llama, generator)
    save_folder("llama", llama, llama_w, llama_like_forward(llama, llama_w), "LLaMA, GQA 4/2, Llama 3.1 RoPE scaling, untied")
    save_folder("llama-sharded", llama, llama_w, llama_like_forward(llama, llama_w), "the llama fixture in two shards", shards=2)
    for name, dtype in (("llama-f16", torch.float16), ("llama-bf16", torch.bfloat16)):
        rounded = {key: value.to(dtype).float() for key, value in llama_w.items()}
        save_folder(name, llama, llama_w, llama_like_forward(llama, rounded), f"the llama fixture stored as {DTYPE_NAMES[dtype]}", dtype=dtype)

    mistral = base_config("mistral", architectures=["MistralForCausalLM"], num_key_value_heads=1, sliding_window=5)
    mistral_w = llama_weights(mistral, generator)
    save_folder("mistral", mistral, mistral_w, llama_like_forward(mistral, mistral_w, window=5), "Mistral, MQA, sliding window 5 < 12 tokens")

    qwen2 = base_config("qwen2", architectures=["Qwen2ForCausalLM"], tie_word_embeddings=True, use_sliding_window=False, sliding_window=None, rope_theta=1000000.0)
    qwen2_w = llama_weights(qwen2, generator, qkv_bias=True)
    save_folder("qwen2", qwen2, qwen2_w, llama_like_forward(qwen2, qwen2_w, qkv_bias=True), "Qwen2, GQA, q/k/v biases, tied")

    gemma2 = base_config(
        "gemma2",
        architectures=["Gemma2ForCausalLM"],
        num_hidden_layers=3,
        head_dim=16,
        hidden_activation="gelu_pytorch_tanh",
        query_pre_attn_scalar=24,
        sliding_window=4,
        attn_logit_softcapping=2.0,
        final_logit_softcapping=5.0,
        tie_word_embeddings=True,
    )
    del gemma2["hidden_act"]
    gemma2_w = llama_weights(gemma2, generator, norms=("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm"), unit_offset=True, std=0.4)
    save_folder(
        "gemma2",
        gemma2,
        gemma2_w,
        gemma2_forward(gemma2, gemma2_w),
        "Gemma 2, head_dim 16 with hidden 32, query_pre_attn_scalar 24, window 4 on layers 0 and 2, soft-caps 2 and 5",
    )

    olmo2 = base_config("olmo2", architectures=["Olmo2ForCausalLM"], rms_norm_eps=1e-5)
    olmo2_w = llama_weights(olmo2, generator, norms=("post_attention_layernorm", "post_feedforward_layernorm"), qk_norm=True)
    save_folder("olmo2", olmo2, olmo2_w, olmo2_forward(olmo2, olmo2_w), "OLMo 2, reordered norms, whole-projection QK-norm")

    gpt2 = {
        "model_type": "gpt2",
        "architectures": ["GPT2LMHeadModel"],
        "vocab_size": 97,
        "n_embd": 32,
        "n_layer": 2,
        "n_head": 4,
        "n_positions": 32,
        "n_inner": None,
        "activation_function": "gelu_new",
        "layer_norm_epsilon": 1e-5,
    }
    gpt2_w = gpt2_weights(gpt2, generator)
    save_folder("gpt2", gpt2, gpt2_w, gpt2_forward(gpt2, gpt2_w), "GPT-2, Conv1D weights, fused c_attn, tied, with attn.bias buffers")

    # How far each soft-cap binds in the Gemma 2 fixture: the logits change when it is removed.
    capped = gemma2_forward(gemma2, gemma2_w)
    for field, off in (("attn_logit_softcapping", 1e9), ("final_logit_softcapping", 1e9)):
        change = (capped - gemma2_forward(dict(gemma2, **{field: off}), gemma2_w)).abs().max()
        print(f"gemma2: removing {field} changes the logits by up to {float(change):.3f} (max |logit| {float(capped.abs().max()):.3f})")


if __name__ == "__main__":
    main()
