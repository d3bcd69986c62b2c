# Legend: B batch, T sequence, S keys, D model width, H heads, K head dim, F FFN width, V vocabulary.
"""PyTorch reference decoders for the side-by-side benchmark, and a JSON-lines worker around them.

The tiny LLaMA has pre-norm RMSNorm, rotary positions with half-split pairing, SwiGLU, no biases
and an untied output. The tiny GPT-3 has pre-norm LayerNorm with biases, learned absolute
positions, a tanh-GELU MLP and attention projections with biases, a tied output, and dense and
banded layers alternating. Both are written from these descriptions, with the same parameter
tensors as the archzoo configs they are compared with. They are a measuring stick, not part of
archzoo.

Run as `/usr/bin/python3 bench/pytorch_models.py serve`: the worker reads one JSON request per
line on stdin and writes one JSON reply per line on stdout, so a benchmark driver can keep one
process alive and time only the work. `count-params CONFIG_JSON` prints the parameter count.
Needs python3-torch (Debian's 1.13 was used); nothing here downloads anything.
"""

import ctypes
import json
import math
import platform
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn


class RMSNorm(nn.Module):
    """x / sqrt(mean(x^2) + eps) * weight over the last axis, without centring or bias."""

    def __init__(self, width, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(width))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    """Map each dim i < K/2 to -x[i + K/2] and each dim i >= K/2 to x[i - K/2]."""
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rope_tables(head_dim, theta, start, length):
    """Return cos and sin [T, K] for positions start..start+T-1, each pair (i, i + K/2) sharing an angle."""
    inverse = theta ** (-torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)
    angles = torch.arange(start, start + length, dtype=torch.float64)[:, None] * inverse[None, :]
    angles = torch.cat((angles, angles), dim=-1)
    return angles.cos().float(), angles.sin().float()


def attention_mask(queries, keys, query_start, window):
    """Return the boolean [T, S] of visible keys: key j <= query i, and i - j < window when window is set."""
    query_pos = torch.arange(query_start, query_start + queries)[:, None]
    key_pos = torch.arange(keys)[None, :]
    visible = key_pos <= query_pos
    if window is not None:
        visible = visible & (query_pos - key_pos < window)
    return visible


class SelfAttention(nn.Module):
    """Causal multi-head attention with an optional sliding window and a per-layer KV cache."""

    def __init__(self, d_model, n_heads, bias, window=None, rope_theta=None):
        super().__init__()
        self.n_heads = n_heads
        self.head_dim = d_model // n_heads
        self.window = window
        self.rope_theta = rope_theta
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.o_proj = nn.Linear(d_model, d_model, bias=bias)

    def split_heads(self, x):
        """[B, T, D] -> [B, H, T, K]."""
        batch, seq, _ = x.shape
        return x.view(batch, seq, self.n_heads, self.head_dim).transpose(1, 2)

    def forward(self, x, start=0, cache=None):
        """[B, T, D] -> [B, T, D]. `cache` is a dict whose "k" and "v" [B, H, S, K] grow in place."""
        batch, seq, d_model = x.shape
        q = self.split_heads(self.q_proj(x))
        k = self.split_heads(self.k_proj(x))
        v = self.split_heads(self.v_proj(x))
        if self.rope_theta is not None:
            cos, sin = rope_tables(self.head_dim, self.rope_theta, start, seq)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
        if cache is not None:
            if "k" in cache:
                k = torch.cat((cache["k"], k), dim=2)
                v = torch.cat((cache["v"], v), dim=2)
            cache["k"], cache["v"] = k, v
        scores_bhts = (q * (1.0 / math.sqrt(self.head_dim))) @ k.transpose(-1, -2)
        visible = attention_mask(seq, k.shape[2], start, self.window)
        scores_bhts = scores_bhts.masked_fill(~visible, float("-inf"))
        out = scores_bhts.softmax(dim=-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(batch, seq, d_model))


class SwiGLU(nn.Module):
    """(silu(x W_gate) * (x W_up)) W_down, without biases."""

    def __init__(self, d_model, d_ff):
        super().__init__()
        self.gate_proj = nn.Linear(d_model, d_ff, bias=False)
        self.up_proj = nn.Linear(d_model, d_ff, bias=False)
        self.down_proj = nn.Linear(d_ff, d_model, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class GeluMLP(nn.Module):
    """gelu_tanh(x W_in + b_in) W_out + b_out, the GPT-2 MLP."""

    def __init__(self, d_model, d_ff):
        super().__init__()
        self.fc_in = nn.Linear(d_model, d_ff)
        self.fc_out = nn.Linear(d_ff, d_model)

    def forward(self, x):
        return self.fc_out(F.gelu(self.fc_in(x), approximate="tanh"))


class Block(nn.Module):
    """Pre-norm block: x + attn(norm(x)), then + ffn(norm(.))."""

    def __init__(self, attn_norm, attn, ffn_norm, ffn):
        super().__init__()
        self.attn_norm = attn_norm
        self.attn = attn
        self.ffn_norm = ffn_norm
        self.ffn = ffn

    def forward(self, x, start=0, cache=None):
        x = x + self.attn(self.attn_norm(x), start, cache)
        return x + self.ffn(self.ffn_norm(x))


class Decoder(nn.Module):
    """Token embedding, optional learned positions, pre-norm blocks, final norm, output projection."""

    def __init__(self, vocab_size, d_model, blocks, final_norm, context_length=None, tied=False):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.position = nn.Embedding(context_length, d_model) if context_length is not None else None
        self.layers = nn.ModuleList(blocks)
        self.final_norm = final_norm
        self.lm_head = None if tied else nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, tokens_bt, start=0, caches=None):
        """tokens [B, T] int64 -> logits [B, T, V]."""
        x = self.embed(tokens_bt)
        if self.position is not None:
            x = x + self.position.weight[start : start + tokens_bt.shape[1]]
        for i, layer in enumerate(self.layers):
            x = layer(x, start, None if caches is None else caches[i])
        x = self.final_norm(x)
        return x @ self.embed.weight.t() if self.lm_head is None else self.lm_head(x)


def build_llama(dims):
    """LLaMA: RMSNorm (eps 1e-6), RoPE (base 10000, half-split), SwiGLU, no biases, untied."""
    d_model, eps = dims["d_model"], dims.get("norm_eps", 1e-6)
    blocks = [
        Block(
            RMSNorm(d_model, eps),
            SelfAttention(d_model, dims["n_heads"], bias=False, rope_theta=dims.get("rope_theta", 10000.0)),
            RMSNorm(d_model, eps),
            SwiGLU(d_model, dims["d_ff"]),
        )
        for _ in range(dims["n_layers"])
    ]
    return Decoder(dims["vocab_size"], d_model, blocks, RMSNorm(d_model, eps))


def build_gpt3(dims):
    """GPT-3: LayerNorm (eps 1e-5) with biases, learned positions, GELU MLP, biases, tied output.

    Layers with an odd index attend within a sliding window of `window` keys (the query included).
    """
    d_model, eps, window = dims["d_model"], dims.get("norm_eps", 1e-5), dims.get("window")
    blocks = [
        Block(
            nn.LayerNorm(d_model, eps=eps),
            SelfAttention(d_model, dims["n_heads"], bias=True, window=window if i % 2 == 1 else None),
            nn.LayerNorm(d_model, eps=eps),
            GeluMLP(d_model, dims["d_ff"]),
        )
        for i in range(dims["n_layers"])
    ]
    return Decoder(dims["vocab_size"], d_model, blocks, nn.LayerNorm(d_model, eps=eps), context_length=dims["context_length"], tied=True)


BUILDERS = {"llama": build_llama, "gpt3": build_gpt3}

# Projections that write into the residual stream; archzoo scales their init by 1/sqrt(2L) as GPT-2.
RESIDUAL_PROJECTIONS = ("o_proj", "down_proj", "fc_out")


def build(arch, dims, std=0.02):
    """Build a model initialised as archzoo initialises it: matrices and embeddings from N(0, std),
    residual projections from N(0, std / sqrt(2 * n_layers)), biases 0 and norm weights 1.

    The init matters for speed, not only for the loss: with torch's default N(0, 1) embedding, the
    tied logits are so large that the softmax gradients underflow to subnormal floats, and matrix
    products over subnormals were tens of times slower.
    """
    model = BUILDERS[arch](dims)
    residual_std = std / math.sqrt(2 * dims["n_layers"])
    for name, module in model.named_modules():
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, 0.0, residual_std if name.endswith(RESIDUAL_PROJECTIONS) else std)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)
    return model


def count_params(model):
    return sum(p.numel() for p in model.parameters())


# archzoo stores embedding tables as [rows, D] like torch, but projections as [in, out] for x @ W,
# where torch.nn.Linear stores [out, in].
UNTRANSPOSED = ("embed.weight", "position.weight")


def load_archzoo_weights(model, path, names):
    """Load archzoo parameters into `model`.

    `path` contains float32 values in the order of `names`, a list of {"name", "shape"}. The
    archzoo names equal the state-dict names of these modules.
    """
    values = torch.from_file(path, size=sum(math.prod(entry["shape"]) for entry in names), dtype=torch.float32)
    state, offset = {}, 0
    for entry in names:
        size = math.prod(entry["shape"])
        tensor = values[offset : offset + size].reshape(entry["shape"])
        offset += size
        state[entry["name"]] = tensor.t() if tensor.dim() == 2 and entry["name"] not in UNTRANSPOSED else tensor
    model.load_state_dict(state, strict=True)


class TrainBench:
    """A model, its AdamW and one fixed batch (random tokens unless given), for timing one training step at a time."""

    def __init__(self, arch, dims, batch_size, seq_len, seed, inputs=None, targets=None):
        torch.manual_seed(seed)
        self.model = build(arch, dims)
        self.vocab_size = dims["vocab_size"]
        # Weight decay on matrices and embeddings only, as archzoo decays them (not norms or biases).
        decay = [p for p in self.model.parameters() if p.dim() >= 2]
        no_decay = [p for p in self.model.parameters() if p.dim() < 2]
        self.optimizer = torch.optim.AdamW(
            [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
            lr=3e-4,
            betas=(0.9, 0.95),
            eps=1e-8,
        )
        if inputs is None:
            self.inputs = torch.randint(0, self.vocab_size, (batch_size, seq_len))
            self.targets = torch.randint(0, self.vocab_size, (batch_size, seq_len))
        else:
            self.inputs = torch.tensor(inputs).reshape(batch_size, seq_len)
            self.targets = torch.tensor(targets).reshape(batch_size, seq_len)

    def step(self):
        """Run forward, cross-entropy, backward, global-norm clipping at 1.0 and AdamW; return the loss."""
        logits_btv = self.model(self.inputs)
        loss = F.cross_entropy(logits_btv.reshape(-1, self.vocab_size), self.targets.reshape(-1))
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        return loss.item()


@torch.no_grad()
def greedy_decode(model, n_layers, prompt_token, new_tokens):
    """Generate `new_tokens` tokens greedily with a per-layer KV cache, one position per forward."""
    caches = [{} for _ in range(n_layers)]
    token = torch.tensor([[prompt_token]])
    out = []
    for position in range(new_tokens):
        logits = model(token, start=position, caches=caches)
        next_token = int(logits[0, -1].argmax())
        out.append(next_token)
        token = torch.tensor([[next_token]])
    return out


def openblas():
    """Return the OpenBLAS library this process loaded (through libblas.so.3) and its path, or (None, None)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "openblas" in line and ".so" in line}
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_num_threads.restype = ctypes.c_int
            return lib, path
        except (OSError, AttributeError):
            continue
    return None, None


class Worker:
    def __init__(self):
        # One small product makes torch load its BLAS, so /proc/self/maps shows which one.
        torch.randn(64, 64) @ torch.randn(64, 64)
        self.blas, self.blas_path = openblas()
        self.benches = {}
        self.decoders = {}

    def set_threads(self, threads):
        torch.set_num_threads(threads)
        if self.blas is not None:
            self.blas.openblas_set_num_threads(threads)

    def info(self, _request):
        return {
            "torch": torch.__version__,
            "python": platform.python_version(),
            "config": torch.__config__.show(),
            "torch_threads": torch.get_num_threads(),
            "blas_library": self.blas_path,
            "blas_config": self.blas.openblas_get_config().decode() if self.blas else None,
            "blas_threads": self.blas.openblas_get_num_threads() if self.blas else None,
        }

    def threads(self, request):
        self.set_threads(int(request["threads"]))
        return {"torch_threads": torch.get_num_threads(), "blas_threads": self.blas.openblas_get_num_threads() if self.blas else None}

    def build_train(self, request):
        bench = TrainBench(
            request["arch"],
            request["dims"],
            request["batch_size"],
            request["seq_len"],
            request.get("seed", 0),
            request.get("inputs"),
            request.get("targets"),
        )
        self.benches[request["name"]] = bench
        return {"params": count_params(bench.model)}

    def train(self, request):
        bench = self.benches[request["name"]]
        seconds, losses = [], []
        for _ in range(int(request.get("steps", 1))):
            started = time.perf_counter()
            losses.append(bench.step())
            seconds.append(time.perf_counter() - started)
        return {"seconds": seconds, "losses": losses}

    def matmul(self, request):
        n, repeats = int(request["n"]), int(request.get("repeats", 1))
        a, b = torch.randn(n, n), torch.randn(n, n)
        a @ b
        started = time.perf_counter()
        for _ in range(repeats):
            torch.mm(a, b)
        return {"seconds": (time.perf_counter() - started) / repeats}

    def build_decoder(self, request):
        torch.manual_seed(request.get("seed", 0))
        model = build(request["arch"], request["dims"]).eval()
        self.decoders[request["name"]] = (model, request["dims"]["n_layers"])
        return {"params": count_params(model)}

    def decode(self, request):
        model, n_layers = self.decoders[request["name"]]
        started = time.perf_counter()
        tokens = greedy_decode(model, n_layers, int(request.get("prompt_token", 0)), int(request["tokens"]))
        return {"seconds": time.perf_counter() - started, "tokens": len(tokens)}

    def loss_from_weights(self, request):
        """Compute the cross-entropy of one batch under weights written by archzoo."""
        model = BUILDERS[request["arch"]](request["dims"])
        load_archzoo_weights(model, request["weights_path"], request["names"])
        inputs = torch.tensor(request["inputs"])
        targets = torch.tensor(request["targets"])
        with torch.no_grad():
            logits_btv = model(inputs)
            loss = F.cross_entropy(logits_btv.reshape(-1, logits_btv.shape[-1]), targets.reshape(-1))
        return {"loss": loss.item()}

    def count_params(self, request):
        return {"params": count_params(BUILDERS[request["arch"]](request["dims"]))}


def serve():
    worker = Worker()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        op = request.get("op")
        if op == "quit":
            break
        handler = getattr(worker, op, None) if isinstance(op, str) and not op.startswith("_") else None
        try:
            if handler is None:
                raise ValueError(f"unknown op {op!r}")
            reply = {"ok": True, **handler(request)}
        except Exception as error:  # The driver reports the failed request, so the worker keeps serving.
            reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


def main(argv):
    if len(argv) >= 1 and argv[0] == "serve":
        serve()
    elif len(argv) == 2 and argv[0] == "count-params":
        request = json.loads(argv[1])
        print(count_params(BUILDERS[request["arch"]](request["dims"])))
    else:
        sys.exit("usage: pytorch_models.py serve | count-params '{\"arch\": \"llama\", \"dims\": {...}}'")


if __name__ == "__main__":
    main(sys.argv[1:])
