// Legend: B batch, T sequence, D model width, V vocabulary.
/**
 * The archzoo side of the benchmarks: loads the built packages (run `pnpm build` first), builds
 * the tiny LLaMA and tiny GPT-3 configs, and times training steps, square matrix products and
 * greedy decoding with a KV cache. Every timer here covers only the work, never set-up.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

const DIST_ENTRIES = {
  core: 'packages/core/dist/index.js',
  data: 'packages/data/dist/index.js',
  llama: 'recipes/llama/dist/index.js',
  attention: 'packages/attention/dist/index.js',
  activations: 'packages/activations/dist/index.js',
  norms: 'packages/norms/dist/index.js',
  positional: 'packages/positional/dist/index.js',
};

/** Built recipes that the benchmarks use when present, and replace with an inline config when not. */
const OPTIONAL_DIST_ENTRIES = {
  gpt3: 'recipes/gpt3/dist/index.js',
};

/** Imports the built archzoo packages. A missing build raises an error that names `pnpm build`. */
export async function loadArchzoo() {
  const modules = {};
  for (const [name, path] of Object.entries(DIST_ENTRIES)) {
    const file = join(REPO_ROOT, path);
    if (!existsSync(file)) throw new Error(`${path} is missing; run \`pnpm build\` in ${REPO_ROOT} first`);
    modules[name] = await import(file);
  }
  for (const [name, path] of Object.entries(OPTIONAL_DIST_ENTRIES)) {
    const file = join(REPO_ROOT, path);
    if (existsSync(file)) modules[name] = await import(file);
  }
  return modules;
}

/** Returns the tiny LLaMA config of the llama recipe (d_model 128, 4 layers, 4 heads, d_ff 352, context 128). */
export function llamaTinyConfig(az) {
  return az.llama.llama.scales.tiny.model;
}

/**
 * Returns an inline tiny GPT-3 config at the tiny LLaMA's size: pre-norm LayerNorm (eps 1e-5) with biases, learned
 * positions, a 4x tanh-GELU MLP with biases, biased attention projections, tied embeddings, and
 * dense and banded (sliding window) attention alternating, the dense layer first.
 */
export function inlineGpt3TinyConfig({ window = 64 } = {}) {
  return {
    vocab_size: 50257,
    d_model: 128,
    n_layers: 4,
    n_heads: 4,
    d_ff: 512,
    context_length: 128,
    norm: { type: 'layernorm', eps: 1e-5 },
    position: { type: 'learned' },
    attention: { type: 'causal', qkv_bias: true, out_bias: true },
    ffn: { type: 'mlp', activation: 'gelu_tanh', bias: true },
    block: { placement: 'pre', layout: 'serial', final_norm: true },
    tie_embeddings: true,
    layer_pattern: [{}, { attention: { window } }],
  };
}

/**
 * Returns the tiny GPT-3 config and where it comes from: the gpt3 recipe's tiny scale when that
 * recipe is built, else the inline config.
 */
export function gpt3TinyConfig(az) {
  const tiny = az.gpt3?.gpt3?.scales?.tiny?.model;
  if (tiny) return { config: tiny, source: 'the gpt3 recipe, tiny scale' };
  return { config: inlineGpt3TinyConfig(), source: 'inline (no built gpt3 recipe)' };
}

/** Builds a registry of every manifest the two configs name. */
export function benchRegistry(az) {
  const { Registry } = az.core;
  return new Registry([...az.llama.llama.plugins, az.norms.layernorm, az.positional.learned, az.activations.mlp]);
}

/**
 * Reads the dimensions the PyTorch models need from a resolved archzoo config, so both sides
 * build the same architecture. `window` is the sliding window of the banded layers, if any.
 */
export function pytorchDims(resolved) {
  const { dims } = resolved;
  const windows = resolved.layers.map((slots) => slots.attention.window).filter((window) => window !== undefined);
  const out = {
    vocab_size: dims.vocab_size,
    d_model: dims.d_model,
    n_layers: dims.n_layers,
    n_heads: dims.n_heads,
    d_ff: dims.d_ff,
    context_length: dims.context_length,
    norm_eps: resolved.norm.eps,
  };
  if (windows.length) out.window = windows[0];
  if (resolved.position.type === 'rope') out.rope_theta = resolved.position.theta;
  return out;
}

/** Draws a seeded batch of random tokens in [0, vocab); the benchmarks reuse it for every step. */
export function randomBatch(core, batchSize, seqLen, vocabSize, seed = 1) {
  const rng = new core.Rng(seed);
  const size = batchSize * seqLen;
  const inputs = new Int32Array(size);
  const targets = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    inputs[i] = rng.nextInt(vocabSize);
    targets[i] = rng.nextInt(vocabSize);
  }
  return { inputs, targets, batchSize, seqLen };
}

/**
 * Returns the first B x T next-token pairs of the Brown corpus's training split, tokenized with
 * GPT-2 BPE (the token cache makes repeat runs fast), so both sides can train on real text.
 */
export async function brownBatch(az, batchSize, seqLen) {
  const corpus = await az.data.loadCorpus({ data: az.data.BROWN, tokenizer: 'gpt2' });
  const size = batchSize * seqLen;
  if (corpus.train.length < size + 1) throw new Error(`the Brown training split has ${corpus.train.length} tokens, fewer than ${size + 1}`);
  const inputs = Int32Array.from(corpus.train.subarray(0, size));
  const targets = Int32Array.from(corpus.train.subarray(1, size + 1));
  return { inputs, targets, batchSize, seqLen };
}

/** Returns the training hyperparameters of the comparison: AdamW (0.9, 0.95), weight decay 0.1, clip 1.0. */
export function benchTrainConfig(az, batchSize, seqLen) {
  return { ...az.llama.llama.scales.tiny.train, batch_size: batchSize, seq_len: seqLen, grad_accum_steps: 1, steps: 1_000_000, eval_batches: 0 };
}

/** Builds a Trainer over one fixed batch (random tokens unless `fixedBatch` is given). Its `step()` returns the seconds one optimizer step took. */
export function trainBench(az, registry, modelConfig, batchSize, seqLen, fixedBatch) {
  const { core } = az;
  const resolved = core.resolveConfig(modelConfig, registry);
  const model = new core.Model(resolved, registry);
  const batch = fixedBatch ?? randomBatch(core, batchSize, seqLen, resolved.dims.vocab_size);
  const data = { nextTrainBatch: () => batch, validationBatches: () => [] };
  const trainer = new core.Trainer(model, benchTrainConfig(az, batchSize, seqLen), data);
  return {
    resolved,
    params: core.costReport(resolved, registry).params,
    step() {
      const started = performance.now();
      const { loss } = trainer.trainStep();
      return { seconds: (performance.now() - started) / 1000, loss };
    },
    dispose: () => trainer.dispose(),
  };
}

/**
 * Times [n, n] x [n, n] float32 products on a synchronous backend (cpu-native) and returns the
 * mean seconds over `repeats` of them. There the product is complete when `tf.matMul` returns,
 * so, as in a training step, its values stay in the backend unless `read` is set. `dataSync()`
 * hands the values to the caller, and the output pool can then no longer reuse their buffer.
 */
export function timeMatmul(tf, n, repeats, { read = false } = {}) {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  const warmUp = tf.matMul(a, b);
  warmUp.dispose();
  // Not inside tf.tidy: tidy walks a returned typed array element by element.
  const started = performance.now();
  for (let i = 0; i < repeats; i++) {
    const product = tf.matMul(a, b);
    if (read) product.dataSync();
    product.dispose();
  }
  const seconds = (performance.now() - started) / 1000 / repeats;
  tf.dispose([a, b]);
  return seconds;
}

/**
 * Builds a model for greedy decoding through `Model.forward` with one KV cache per layer and `start`
 * set to each new position. `decode(n)` generates n tokens from a one-token prompt and returns
 * the seconds it took.
 */
export function decodeBench(az, registry, modelConfig, seed = 0) {
  const { core } = az;
  const { tf } = core;
  const resolved = core.resolveConfig(modelConfig, registry);
  const model = new core.Model(resolved, registry);
  const params = core.initParams(model.specs, resolved, seed);
  const { d_model: dModel, n_layers: nLayers } = resolved.dims;
  return {
    resolved,
    decode(newTokens, promptToken = 0) {
      const caches = Array.from({ length: nLayers }, () => ({ start: 0 }));
      const tokens = [];
      let token = promptToken;
      const started = performance.now();
      for (let position = 0; position < newTokens; position++) {
        token = tf.tidy(() => {
          const { hiddenBTD } = model.forward(params, tf.tensor2d([[token]], [1, 1], 'int32'), { start: position, caches });
          const logitsNV = model.logits(params, tf.reshape(hiddenBTD, [1, dModel]));
          return tf.argMax(logitsNV, -1).dataSync()[0];
        });
        tokens.push(token);
      }
      const seconds = (performance.now() - started) / 1000;
      for (const cache of caches) tf.dispose([cache.keys, cache.values].filter(Boolean));
      return { seconds, tokens };
    },
    dispose: () => tf.dispose([...params.values()]),
  };
}

/** Lists the BLAS shared libraries this Node process has loaded, from /proc/self/maps. */
export function loadedBlasLibraries() {
  try {
    const maps = readFileSync('/proc/self/maps', 'utf8');
    const paths = maps.split('\n').map((line) => line.trim().split(/\s+/).at(-1) ?? '');
    return [...new Set(paths.filter((path) => /blas/i.test(path) && path.includes('.so')))].sort();
  } catch {
    return [];
  }
}
