// Legend: B batch, T sequence, V vocabulary.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { initialValues, Model, modelParamSpecs, type ModelConfig, readSafetensors, type ResolvedConfig, resolveConfig, type TensorValues, tf } from '@archzoo/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { archzooToHfConfig, exportHfCheckpoint } from './export.js';
import { loadHfCheckpoint, paramTensors } from './load.js';
import { hfRegistry } from './registry.js';

const registry = hfRegistry();
const folders: string[] = [];
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const LLAMA: ModelConfig = {
  vocab_size: 50,
  d_model: 16,
  n_layers: 2,
  n_heads: 4,
  n_kv_heads: 2,
  d_ff: 24,
  context_length: 32,
  norm: { type: 'rmsnorm', eps: 1e-5 },
  position: { type: 'rope', theta: 10000 },
  attention: { type: 'causal' },
  ffn: { type: 'swiglu' },
};

// Windows of 4 on the even layers, shorter than the 12 test tokens, and soft-caps small enough
// to bend random logits.
const GEMMA2: ModelConfig = {
  ...LLAMA,
  n_layers: 4,
  head_dim: 8,
  d_ff: 32,
  norm: { type: 'rmsnorm', eps: 1e-6, unit_offset: true },
  attention: { type: 'causal', query_pre_attn_scalar: 12 },
  ffn: { type: 'geglu', gelu: 'tanh' },
  block: { placement: 'sandwich' },
  stability: [{ type: 'attn_softcap', cap: 2 }, { type: 'final_softcap', cap: 5 }, { type: 'embedding_scale' }],
  tie_embeddings: true,
  layer_pattern: [{ attention: { window: 4 } }, {}],
};

const OLMO2: ModelConfig = {
  ...LLAMA,
  norm: { type: 'rmsnorm', eps: 1e-6 },
  position: { type: 'rope', theta: 500000 },
  block: { placement: 'reordered' },
  stability: [
    { type: 'z_loss', coefficient: 1e-5 },
    { type: 'qk_norm', scope: 'projection', eps: 1e-6 },
  ],
};

const GPT2: ModelConfig = {
  vocab_size: 50,
  d_model: 16,
  n_layers: 2,
  n_heads: 4,
  d_ff: 64,
  context_length: 32,
  norm: { type: 'layernorm', eps: 1e-5 },
  position: { type: 'learned' },
  attention: { type: 'causal', qkv_bias: true, out_bias: true },
  ffn: { type: 'mlp', activation: 'gelu_tanh', bias: true },
  tie_embeddings: true,
};

// q/k/v biases with full attention on layer 0 and windows of 4 tokens on layers 1 and 2, as qwen2
// slides the layers from max_window_layers on.
const QWEN2_PARTIAL_WINDOWS: ModelConfig = {
  ...LLAMA,
  n_layers: 3,
  attention: { type: 'causal', qkv_bias: true },
  layer_pattern: [{}, { attention: { window: 4 } }, { attention: { window: 4 } }],
};

const Z_LOSS = { type: 'z_loss', coefficient: 1e-4 };

const GPT2_DROPOUT = { embedding: 0.1, attention: 0.2, residual: 0.3 };

const TOKENS = [3, 41, 7, 0, 19, 49, 22, 5, 5, 30, 11, 2];

function randomParams(resolved: ResolvedConfig): Map<string, TensorValues> {
  // Ones- or zeros-initialised norm weights would hide a swap between two norms, so every tensor is random.
  const noisy = { ...resolved, init_std: 0.5 };
  return new Map(
    modelParamSpecs(resolved, registry).map((spec, i) => [spec.name, { shape: spec.shape, data: initialValues({ ...spec, init: { kind: 'normal' } }, noisy, i) }]),
  );
}

async function roundTrip(config: ModelConfig) {
  const folder = mkdtempSync(join(tmpdir(), 'archzoo-export-'));
  folders.push(folder);
  const resolved = resolveConfig(config, registry);
  const params = randomParams(resolved);
  await exportHfCheckpoint(folder, resolved, params, registry);
  return { folder, resolved, params, loaded: await loadHfCheckpoint(folder, registry) };
}

/** Returns the logits [T, V] of `TOKENS`, flattened. */
function logitsOf(resolved: ResolvedConfig, params: ReadonlyMap<string, TensorValues>): Float32Array {
  const tensors = paramTensors(params);
  const tokensBT = tf.tensor2d(TOKENS, [1, TOKENS.length], 'int32');
  const logitsBTV = new Model(resolved, registry).logitsFor(tensors, tokensBT);
  const data = logitsBTV.dataSync() as Float32Array;
  tf.dispose([tokensBT, logitsBTV, ...tensors.values()]);
  return data;
}

function bytesOf(data: Float32Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Picks the parts of a resolved config that set the computed function. Stability plugins are compared
 * as a set, because import lists them in its own order, and z-loss is left out: it is a training
 * loss term that config.json has no field for.
 */
function architectureOf(resolved: ResolvedConfig) {
  const stability = resolved.stability.filter((options) => options.type !== 'z_loss').sort((a, b) => a.type.localeCompare(b.type));
  return { dims: resolved.dims, norm: resolved.norm, position: resolved.position, block: resolved.block, tie: resolved.tie_embeddings, stability, layers: resolved.layers };
}

function readHfConfig(folder: string) {
  return JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
}

async function readHeader(folder: string): Promise<Record<string, { shape: number[] }>> {
  const bytes = readFileSync(join(folder, 'model.safetensors'));
  return JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8'));
}

describe('export then import', () => {
  const LLAMA_CASES: Array<[string, ModelConfig, string]> = [
    ['llama', LLAMA, 'llama'],
    ['tied llama with Llama 3.1 scaling', { ...LLAMA, tie_embeddings: true, position: { type: 'rope', scaling: 'llama3', scaling_factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 16 } }, 'llama'],
    ['qwen2 biases', { ...LLAMA, attention: { type: 'causal', qkv_bias: true } }, 'qwen2'],
    ['mistral window', { ...LLAMA, attention: { type: 'causal', window: 8 } }, 'mistral'],
    ['qwen2 windows from layer 1 on', QWEN2_PARTIAL_WINDOWS, 'qwen2'],
    ['qwen2 window on every layer', { ...LLAMA, attention: { type: 'causal', qkv_bias: true, window: 8 } }, 'qwen2'],
    ['llama with attention dropout', { ...LLAMA, dropout: { attention: 0.1 } }, 'llama'],
  ];
  const CASES: Array<[string, ModelConfig, string]> = [
    ...LLAMA_CASES,
    ['gemma2', GEMMA2, 'gemma2'],
    [
      'gemma2 without windows or caps, untied, with biases',
      { ...GEMMA2, attention: { type: 'causal', query_pre_attn_scalar: 8, qkv_bias: true, out_bias: true }, stability: [{ type: 'embedding_scale' }], tie_embeddings: false, layer_pattern: [] },
      'gemma2',
    ],
    ['olmo2', OLMO2, 'olmo2'],
    ['tied olmo2 with linear scaling', { ...OLMO2, tie_embeddings: true, position: { type: 'rope', theta: 500000, scaling: 'linear', scaling_factor: 2 } }, 'olmo2'],
    ['gpt2', GPT2, 'gpt2'],
    ['untied gpt2 with exact GELU', { ...GPT2, tie_embeddings: false, ffn: { type: 'mlp', activation: 'gelu', bias: true } }, 'gpt2'],
    ['llama with z-loss', { ...LLAMA, stability: [Z_LOSS] }, 'llama'],
    ['gemma2 with z-loss', { ...GEMMA2, stability: [...GEMMA2.stability!, Z_LOSS] }, 'gemma2'],
    ['gpt2 with z-loss and dropout', { ...GPT2, stability: [Z_LOSS], dropout: GPT2_DROPOUT }, 'gpt2'],
  ];
  for (const [name, config, modelType] of CASES) {
    it(`is the identity: ${name}`, async () => {
      const { folder, resolved, params, loaded } = await roundTrip(config);
      expect(loaded.modelType).toBe(modelType);
      expect(readHfConfig(folder).model_type).toBe(modelType);
      expect(architectureOf(loaded.resolved)).toEqual(architectureOf(resolved));
      expect(loaded.resolved.dropout.attention).toBe(resolved.dropout.attention);
      expect([...loaded.params.keys()]).toEqual([...params.keys()]);
      for (const [param, values] of params) {
        expect(loaded.params.get(param)!.shape, param).toEqual(values.shape);
        expect(bytesOf(loaded.params.get(param)!.data).equals(bytesOf(values.data)), `${param} is bitwise equal`).toBe(true);
      }
      // Same weights, same float32 computation on the same backend: the logits match bit for bit.
      const expectedTV = logitsOf(resolved, params);
      expect(expectedTV.every(Number.isFinite)).toBe(true);
      expect(bytesOf(logitsOf(loaded.resolved, loaded.params)).equals(bytesOf(expectedTV))).toBe(true);
    });
  }

  // The importer writes these configs in the same form they were given, so even the layer
  // pattern and the stability list come back as they were.
  for (const [name, config] of LLAMA_CASES) {
    it(`keeps the whole config: ${name}`, async () => {
      const { resolved, loaded } = await roundTrip(config);
      expect(loaded.resolved).toEqual(resolved);
    });
  }
});

describe('exported files', () => {
  it('stores HF Linear weights as [out, in]', async () => {
    const { folder } = await roundTrip(LLAMA);
    const header = await readHeader(folder);
    expect(header['model.layers.0.self_attn.k_proj.weight']!.shape).toEqual([8, 16]);
    expect(header['lm_head.weight']!.shape).toEqual([50, 16]);
  });

  it('writes Gemma 2 fields as transformers reads them', async () => {
    const { folder } = await roundTrip(GEMMA2);
    const hf = readHfConfig(folder);
    expect(hf.architectures).toEqual(['Gemma2ForCausalLM']);
    expect(hf.hidden_activation).toBe('gelu_pytorch_tanh');
    expect(hf.head_dim).toBe(8);
    expect(hf.query_pre_attn_scalar).toBe(12);
    expect(hf.sliding_window).toBe(4);
    expect(hf.layer_types).toEqual(['sliding_attention', 'full_attention', 'sliding_attention', 'full_attention']);
    expect(hf.attn_logit_softcapping).toBe(2);
    expect(hf.final_logit_softcapping).toBe(5);
    expect(hf.tie_word_embeddings).toBe(true);
    expect(Object.keys(await readHeader(folder))).not.toContain('lm_head.weight');
  });

  it('turns Gemma 2 caps and windows off explicitly', async () => {
    const { folder } = await roundTrip({ ...GEMMA2, stability: [{ type: 'embedding_scale' }], layer_pattern: [] });
    const hf = readHfConfig(folder);
    // transformers defaults absent caps to 50 and 30, so null must be written.
    expect(hf.attn_logit_softcapping).toBeNull();
    expect(hf.final_logit_softcapping).toBeNull();
    expect(hf.layer_types).toEqual(['full_attention', 'full_attention', 'full_attention', 'full_attention']);
    // Versions that ignore layer_types slide the even layers by a window that spans the context.
    expect(hf.sliding_window).toBe(32);
  });

  it('stores Gemma 2 norm weights as the raw w of (1 + w)', async () => {
    const { folder, params } = await roundTrip(GEMMA2);
    const { tensors } = await readSafetensors(join(folder, 'model.safetensors'));
    for (const [hfName, name] of [
      ['model.layers.1.input_layernorm.weight', 'layers.1.attn_norm.weight'],
      ['model.layers.1.post_attention_layernorm.weight', 'layers.1.attn_post_norm.weight'],
      ['model.layers.1.pre_feedforward_layernorm.weight', 'layers.1.ffn_norm.weight'],
      ['model.layers.1.post_feedforward_layernorm.weight', 'layers.1.ffn_post_norm.weight'],
      ['model.norm.weight', 'final_norm.weight'],
    ] as const) {
      expect(tensors.get(hfName)!.data, hfName).toEqual(params.get(name)!.data);
    }
  });

  it('writes OLMo 2 QK-norm weights over the whole projections', async () => {
    const { folder } = await roundTrip(OLMO2);
    const header = await readHeader(folder);
    expect(header['model.layers.0.self_attn.q_norm.weight']!.shape).toEqual([16]);
    expect(header['model.layers.0.self_attn.k_norm.weight']!.shape).toEqual([8]);
    expect(header['model.layers.0.post_feedforward_layernorm.weight']!.shape).toEqual([16]);
    expect(Object.keys(header).some((name) => name.includes('input_layernorm'))).toBe(false);
    expect(readHfConfig(folder).architectures).toEqual(['Olmo2ForCausalLM']);
  });

  it('writes qwen2 windows from max_window_layers on', async () => {
    const { folder } = await roundTrip(QWEN2_PARTIAL_WINDOWS);
    const hf = readHfConfig(folder);
    expect(hf.use_sliding_window).toBe(true);
    expect(hf.sliding_window).toBe(4);
    expect(hf.max_window_layers).toBe(1);
    expect(hf.layer_types).toEqual(['full_attention', 'sliding_attention', 'sliding_attention']);
  });

  it('turns qwen2 windows off explicitly', async () => {
    const { folder } = await roundTrip({ ...LLAMA, attention: { type: 'causal', qkv_bias: true } });
    const hf = readHfConfig(folder);
    // Qwen2Config defaults sliding_window to 4096, so null must be written.
    expect(hf.use_sliding_window).toBe(false);
    expect(hf.sliding_window).toBeNull();
    expect(hf.layer_types).toEqual(['full_attention', 'full_attention']);
  });

  it('writes GPT-2 dropout, 0 when off', async () => {
    // GPT2Config defaults all three rates to 0.1, so a run without dropout must write 0.
    const off = readHfConfig((await roundTrip(GPT2)).folder);
    expect([off.embd_pdrop, off.attn_pdrop, off.resid_pdrop]).toEqual([0, 0, 0]);

    const { folder, loaded } = await roundTrip({ ...GPT2, dropout: GPT2_DROPOUT });
    const hf = readHfConfig(folder);
    expect([hf.embd_pdrop, hf.attn_pdrop, hf.resid_pdrop]).toEqual([0.1, 0.2, 0.3]);
    expect(loaded.resolved.dropout).toEqual(GPT2_DROPOUT);
  });

  it('writes attention_dropout for the RMSNorm layouts', async () => {
    for (const config of [LLAMA, GEMMA2, OLMO2]) {
      const withDropout = readHfConfig((await roundTrip({ ...config, dropout: { attention: 0.25 } })).folder);
      expect(withDropout.attention_dropout, withDropout.model_type).toBe(0.25);
      expect(readHfConfig((await roundTrip(config)).folder).attention_dropout).toBe(0);
    }
  });

  it('omits dropout that llama cannot express', async () => {
    // LlamaConfig has no field for them, and they change no weights and no inference logits.
    const { folder, loaded } = await roundTrip({ ...LLAMA, dropout: { embedding: 0.1, residual: 0.2 } });
    const dropoutFields = Object.keys(readHfConfig(folder)).filter((field) => field.includes('drop'));
    expect(dropoutFields).toEqual(['attention_dropout']);
    expect(loaded.resolved.dropout).toEqual({ embedding: 0, attention: 0, residual: 0 });
  });

  it('writes GPT-2 Conv1D weights as [in, out] under transformer.', async () => {
    const { folder, params } = await roundTrip({ ...GPT2, tie_embeddings: false });
    const { tensors } = await readSafetensors(join(folder, 'model.safetensors'));
    const cAttn = tensors.get('transformer.h.0.attn.c_attn.weight')!;
    expect(cAttn.shape).toEqual([16, 48]);
    // Row 0 of c_attn is row 0 of q_proj, then of k_proj, then of v_proj.
    const row0 = ['q_proj', 'k_proj', 'v_proj'].flatMap((proj) => [...params.get(`layers.0.attn.${proj}.weight`)!.data.subarray(0, 16)]);
    expect([...cAttn.data.subarray(0, 48)]).toEqual(row0);
    expect(tensors.get('transformer.h.0.mlp.c_fc.weight')!.shape).toEqual([16, 64]);
    expect(tensors.get('transformer.wpe.weight')!.shape).toEqual([32, 16]);
    // The LM head is an nn.Linear outside the base model.
    expect(tensors.get('lm_head.weight')!.shape).toEqual([50, 16]);
    const hf = readHfConfig(folder);
    expect(hf).toMatchObject({ architectures: ['GPT2LMHeadModel'], n_embd: 16, n_inner: 64, n_positions: 32, activation_function: 'gelu_new', tie_word_embeddings: false });
  });
});

describe('archzooToHfConfig', () => {
  /** Returns the message of the ConfigError `config` raises, checking that it is one line. */
  function rejection(config: ModelConfig): string {
    const resolved = resolveConfig(config, registry);
    try {
      archzooToHfConfig(resolved);
    } catch (error) {
      const message = (error as Error).message;
      expect((error as Error).name).toBe('ConfigError');
      expect(message).not.toContain('\n');
      return message;
    }
    throw new Error(`export accepted ${JSON.stringify(config)}`);
  }

  it('rejects a LLaMA config with another norm or RoPE pairing', () => {
    expect(rejection({ ...LLAMA, norm: { type: 'layernorm' } })).toMatch(/cannot export as a Hugging Face checkpoint: norm is .*layernorm/);
    expect(rejection({ ...LLAMA, position: { type: 'rope', pairing: 'interleaved' } })).toMatch(/position is/);
  });

  it('accepts z-loss in every layout', () => {
    for (const config of [LLAMA, GEMMA2, GPT2]) {
      const hf = archzooToHfConfig(resolveConfig({ ...config, stability: [...(config.stability ?? []), Z_LOSS] }, registry));
      expect(JSON.stringify(hf)).not.toContain('z_loss');
    }
  });

  it('rejects windows no layout expresses', () => {
    expect(rejection({ ...LLAMA, layer_pattern: [{}, { attention: { window: 8 } }] })).toMatch(
      /layer 1 has a sliding window of 8 tokens but layer 0 has no sliding window; mistral gives every layer the same window/,
    );
    expect(rejection({ ...LLAMA, layer_pattern: [{ attention: { window: 8 } }, { attention: { window: 6 } }] })).toMatch(
      /layer 1 has a sliding window of 6 tokens but layer 0 has a sliding window of 8 tokens/,
    );
    const qwen2Shrinking = { ...QWEN2_PARTIAL_WINDOWS, layer_pattern: [{}, { attention: { window: 4 } }, { attention: { window: 6 } }] };
    expect(rejection(qwen2Shrinking)).toMatch(/layer 2 has a sliding window of 6 tokens but layer 1 has a sliding window of 4 tokens; qwen2 gives every layer from max_window_layers \(1\) on the same window/);
    const qwen2WindowsFirst = { ...QWEN2_PARTIAL_WINDOWS, n_layers: 2, layer_pattern: [{ attention: { window: 4 } }, {}] };
    expect(rejection(qwen2WindowsFirst)).toMatch(/layer 1 has no sliding window but layer 0 has a sliding window of 4 tokens; qwen2/);
  });

  it('rejects windows with unsupported biases', () => {
    const allBiases = { ...LLAMA, attention: { type: 'causal', qkv_bias: true, out_bias: true, window: 8 } };
    expect(rejection(allBiases)).toMatch(/layer 0 has a sliding window of 8 tokens together with attention biases on q, k, v and o, but mistral has no biases/);
    expect(rejection({ ...LLAMA, attention: { type: 'causal', window: 8 }, ffn: { type: 'swiglu', bias: true } })).toMatch(/together with FFN biases/);
  });

  it('rejects per-layer attention dropout', () => {
    expect(rejection({ ...LLAMA, layer_pattern: [{ attention: { dropout: 0.1 } }, {}] })).toMatch(/attention.dropout differs between layers \(0.1, 0\)/);
  });

  it('rejects GPT-3 banded layers, naming layer and window', () => {
    const message = rejection({ ...GPT2, layer_pattern: [{}, { attention: { window: 8 } }] });
    expect(message).toBe(
      'cannot export as a Hugging Face checkpoint: layer 1 has a sliding window of 8 tokens, but Hugging Face gpt2 has no banded attention; ' +
        'export supports the model_types llama, mistral, qwen2, gemma2, olmo2, gpt2',
    );
  });

  it('lists banded layers compactly by window', () => {
    const pattern = [{}, { attention: { window: 8 } }, {}, { attention: { window: 4 } }];
    const message = rejection({ ...GPT2, n_layers: 24, layer_pattern: pattern });
    expect(message).toContain('layers 1, 5, 9, 13 and 2 more have a sliding window of 8 tokens and layers 3, 7, 11, 15 and 2 more have a sliding window of 4 tokens, but');
    expect(message.length).toBeLessThan(320);
  });

  it('rejects GPT-2 parts that gpt2 cannot name', () => {
    expect(rejection({ ...GPT2, ffn: { type: 'mlp', activation: 'silu', bias: true } })).toMatch(/ffn.activation is "silu", which gpt2's activation_function cannot name/);
    expect(rejection({ ...GPT2, n_kv_heads: 2 })).toMatch(/n_kv_heads is 2, but gpt2 has one key\/value head per query head \(4\)/);
    expect(rejection({ ...GPT2, norm: { type: 'layernorm', bias: false } })).toMatch(/not LayerNorm with a weight and a bias/);
  });

  it('rejects Gemma 2 windows off the even layers', () => {
    expect(rejection({ ...GEMMA2, layer_pattern: [{}, { attention: { window: 4 } }] })).toMatch(/layer 1 has a sliding window of 4 tokens, but gemma2 slides only the even layers/);
    expect(rejection({ ...GEMMA2, attention: { type: 'causal', window: 4 }, layer_pattern: [] })).toMatch(/layer 1 has a sliding window of 4 tokens/);
    const uneven = { ...GEMMA2, layer_pattern: [{ attention: { window: 4 } }, {}, { attention: { window: 6 } }, {}] };
    expect(rejection(uneven)).toMatch(/layer 2 has a sliding window of 6 tokens but layer 0 has a sliding window of 4 tokens/);
  });

  it('rejects Gemma 2 without the embedding scale or tanh GELU', () => {
    expect(rejection({ ...GEMMA2, stability: [] })).toMatch(/stability does not list embedding_scale/);
    expect(rejection({ ...GEMMA2, stability: [{ type: 'embedding_scale', scale: 2 }] })).toMatch(/embedding_scale.scale is 2, but gemma2 multiplies the embeddings by sqrt\(hidden_size\) = 4/);
    expect(rejection({ ...GEMMA2, ffn: { type: 'geglu' } })).toMatch(/ffn.gelu is "exact"/);
    expect(rejection({ ...GEMMA2, norm: { type: 'rmsnorm', eps: 1e-6 } })).toMatch(/not RMSNorm with the \(1 \+ w\) offset/);
    expect(rejection({ ...GEMMA2, d_model: 18 })).toMatch(/d_model \(18\) is not a multiple of n_heads \(4\)/);
  });

  it('rejects OLMo 2 without its QK-norm', () => {
    expect(rejection({ ...OLMO2, stability: [] })).toMatch(/stability does not list qk_norm/);
    expect(rejection({ ...OLMO2, stability: [{ type: 'qk_norm', scope: 'head', eps: 1e-6 }] })).toMatch(/olmo2 normalises the whole projections/);
    expect(rejection({ ...OLMO2, stability: [{ type: 'qk_norm', scope: 'projection', eps: 1e-5 }] })).toMatch(/with rms_norm_eps \(0.000001\)/);
    expect(rejection({ ...OLMO2, attention: { type: 'causal', qkv_bias: true } })).toMatch(/layer 0 has attention biases, but olmo2 has none/);
  });

  it('lists every layout when none fits', () => {
    const message = rejection({ ...LLAMA, block: { placement: 'post' } });
    expect(message).toMatch(/^cannot export as a Hugging Face checkpoint: block.placement "post" with position "rope" matches no layout; export supports llama, qwen2, mistral \(/);
    for (const modelType of ['gemma2 (', 'olmo2 (', 'gpt2 (']) expect(message).toContain(modelType);
  });
});
