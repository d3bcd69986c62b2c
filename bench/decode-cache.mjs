// Legend: T sequence (prompt plus generated tokens).
/**
 * Times greedy decoding of a tiny LLaMA-like model (d_model 128, 4 layers, 4 heads, GPT-2
 * vocabulary) with the KV cache and with full recomputation, at contexts of 256 and 1024 tokens:
 * the prompt fills the context but for the last NEW_TOKENS positions. Prints milliseconds per
 * generated token and the speed-up of the cache. Build first: `pnpm build`, then
 * `node bench/decode-cache.mjs [--backend NAME]`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const ENTRIES = ['core', 'norms', 'positional', 'attention', 'activations'];

const NEW_TOKENS = 16;
const CONTEXTS = [256, 1024];

async function load() {
  const modules = {};
  for (const name of ENTRIES) {
    const file = join(ROOT, 'packages', name, 'dist', 'index.js');
    if (!existsSync(file)) throw new Error(`${file} is missing; run \`pnpm build\` first`);
    modules[name] = await import(file);
  }
  return modules;
}

function timeDecoding(core, model, params, prompt, useCache) {
  // One warm-up token compiles kernels and fills the mask and RoPE tables outside the timer.
  core.generate(model, params, prompt.slice(0, 8), { maxTokens: 1, temperature: 0, useCache });
  const started = performance.now();
  const tokens = core.generate(model, params, prompt, { maxTokens: NEW_TOKENS, temperature: 0, useCache });
  return { tokens, msPerToken: (performance.now() - started) / NEW_TOKENS };
}

async function main() {
  const { core, norms, positional, attention, activations } = await load();
  const backendFlag = process.argv.indexOf('--backend');
  const backend = await core.selectBackend(backendFlag > 0 ? process.argv[backendFlag + 1] : undefined);
  const registry = new core.Registry([...norms.norms, ...positional.positional, ...attention.attentions, ...activations.ffns]);
  console.log(`backend ${backend.name}; ${NEW_TOKENS} greedy tokens per run`);

  for (const context of CONTEXTS) {
    const config = core.resolveConfig(
      {
        vocab_size: 50257,
        d_model: 128,
        n_layers: 4,
        n_heads: 4,
        d_ff: 352,
        context_length: context,
        norm: { type: 'rmsnorm' },
        position: { type: 'rope' },
        attention: { type: 'causal' },
        ffn: { type: 'swiglu' },
      },
      registry,
    );
    const model = new core.Model(config, registry);
    const params = core.initParams(model.specs, config, 1);
    const rng = new core.Rng(context);
    const prompt = Array.from({ length: context - NEW_TOKENS }, () => rng.nextInt(50257));

    const cached = timeDecoding(core, model, params, prompt, true);
    const uncached = timeDecoding(core, model, params, prompt, false);
    const same = cached.tokens.join() === uncached.tokens.join();
    console.log(
      `context ${context}: cached ${cached.msPerToken.toFixed(1)} ms/token, uncached ${uncached.msPerToken.toFixed(1)} ms/token, ` +
        `speed-up ${(uncached.msPerToken / cached.msPerToken).toFixed(1)}x, same tokens: ${same}`,
    );
    for (const tensor of params.values()) tensor.dispose();
  }
}

await main();
