import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CheckpointError, ConfigError, readSafetensors, writeSafetensors } from '@archzoo/core';
import { afterEach, describe, expect, it } from 'vitest';

import { hfToArchzooConfig, loadHfCheckpoint } from './load.js';

const LLAMA = fileURLToPath(new URL('./__fixtures__/hf-models/llama', import.meta.url));
const GEMMA2 = fileURLToPath(new URL('./__fixtures__/hf-models/gemma2', import.meta.url));
const QWEN2 = fileURLToPath(new URL('./__fixtures__/hf-models/qwen2', import.meta.url));
const GPT2 = fileURLToPath(new URL('./__fixtures__/hf-models/gpt2', import.meta.url));
const OLMO2_MODEL = fileURLToPath(new URL('./__fixtures__/hf-models/olmo2', import.meta.url));

/** The fields every family requires. The config classes' defaults fill in the rest. */
const REQUIRED = { vocab_size: 50, hidden_size: 32, num_attention_heads: 4, num_hidden_layers: 2, intermediate_size: 48, max_position_embeddings: 8192 };

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function copyOf(source: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'archzoo-hf-'));
  folders.push(folder);
  cpSync(source, folder, { recursive: true });
  return folder;
}

/** Rewrites the folder's model.safetensors through `edit`, which may change the tensor map. */
async function editWeights(folder: string, edit: (tensors: Map<string, { shape: number[]; data: Float32Array }>) => void): Promise<void> {
  const path = join(folder, 'model.safetensors');
  const tensors = new Map([...(await readSafetensors(path)).tensors].map(([name, t]) => [name, { shape: t.shape, data: t.data }]));
  edit(tensors);
  await writeSafetensors(path, tensors);
}

describe('hfToArchzooConfig', () => {
  it('rejects an unsupported model_type', () => {
    expect(() => hfToArchzooConfig({ model_type: 'bert' })).toThrow(ConfigError);
    expect(() => hfToArchzooConfig({ model_type: 'bert' })).toThrow(/supported model_types: llama, mistral, qwen2, gemma2, olmo2, gpt2/);
  });

  it('places Gemma 2 windows on even layers', () => {
    const hf = JSON.parse(readFileSync(join(GEMMA2, 'config.json'), 'utf8'));
    const config = hfToArchzooConfig(hf);
    expect(config.layer_pattern).toEqual([{ attention: { window: 4 } }, {}, { attention: { window: 4 } }]);
    expect(config.attention.query_pre_attn_scalar).toBe(24);
    expect(config.stability).toEqual([{ type: 'embedding_scale' }, { type: 'attn_softcap', cap: 2 }, { type: 'final_softcap', cap: 5 }]);
  });

  it('follows layer_types when config.json lists them', () => {
    const hf = JSON.parse(readFileSync(join(GEMMA2, 'config.json'), 'utf8'));
    const config = hfToArchzooConfig({ ...hf, layer_types: ['full_attention', 'sliding_attention', 'full_attention'] });
    expect(config.layer_pattern).toEqual([{}, { attention: { window: 4 } }, {}]);
  });

  it('slides Qwen2 layers from max_window_layers on', () => {
    const hf = JSON.parse(readFileSync(join(QWEN2, 'config.json'), 'utf8'));
    const config = hfToArchzooConfig({ ...hf, use_sliding_window: true, sliding_window: 6, max_window_layers: 1 });
    expect(config.layer_pattern).toEqual([{}, { attention: { window: 6 } }]);
    expect(hfToArchzooConfig(hf).layer_pattern).toEqual([]);
  });

  it('reads GPT-2 dropout rates', () => {
    const hf = JSON.parse(readFileSync(join(GPT2, 'config.json'), 'utf8'));
    expect(hfToArchzooConfig(hf).dropout).toEqual({ embedding: 0.1, attention: 0.1, residual: 0.1 });
    expect(hfToArchzooConfig({ ...hf, embd_pdrop: 0, attn_pdrop: 0.05, resid_pdrop: 0.2 }).dropout).toEqual({ embedding: 0, attention: 0.05, residual: 0.2 });
    expect(() => hfToArchzooConfig({ ...hf, resid_pdrop: 1 })).toThrow(/config.json: resid_pdrop must be a dropout probability from 0 to 0.99, got 1/);
  });

  it('reads attention_dropout', () => {
    const hf = JSON.parse(readFileSync(join(QWEN2, 'config.json'), 'utf8'));
    expect(hfToArchzooConfig(hf).dropout).toEqual({ attention: 0 });
    expect(hfToArchzooConfig({ ...hf, attention_dropout: 0.1 }).dropout).toEqual({ attention: 0.1 });
  });

  it('rejects a bad field with its name', () => {
    expect(() => hfToArchzooConfig({ model_type: 'llama', hidden_size: 'wide' })).toThrow(/config.json: hidden_size must be a positive integer, got "wide"/);
    expect(() => hfToArchzooConfig({ model_type: 'llama', hidden_size: 8, num_attention_heads: 2, num_hidden_layers: 1, vocab_size: 5, intermediate_size: 4, max_position_embeddings: 8, rope_scaling: { rope_type: 'yarn' } })).toThrow(
      /rope_scaling.rope_type must be "default", "linear" or "llama3"/,
    );
  });
});

describe('defaults of absent fields', () => {
  // Expected values are the defaults of transformers' config classes: Gemma2Config, LlamaConfig,
  // MistralConfig, Qwen2Config and Olmo2Config.
  it('follows Gemma2Config', () => {
    const config = hfToArchzooConfig({ model_type: 'gemma2', ...REQUIRED });
    expect(config.head_dim).toBe(256);
    expect(config.n_kv_heads).toBe(4);
    expect(config.attention.query_pre_attn_scalar).toBe(256);
    expect(config.stability).toEqual([{ type: 'embedding_scale' }, { type: 'attn_softcap', cap: 50 }, { type: 'final_softcap', cap: 30 }]);
    expect(config.layer_pattern).toEqual([{ attention: { window: 4096 } }, {}]);
    expect(config.norm).toEqual({ type: 'rmsnorm', eps: 1e-6, unit_offset: true });
    expect(config.tie_embeddings).toBe(true);
  });

  it('turns Gemma 2 caps and window off on null', () => {
    const config = hfToArchzooConfig({ model_type: 'gemma2', ...REQUIRED, attn_logit_softcapping: null, final_logit_softcapping: null, sliding_window: null });
    expect(config.stability).toEqual([{ type: 'embedding_scale' }]);
    expect(config.layer_pattern).toEqual([]);
  });

  it('follows the LLaMA-family config classes', () => {
    // 64 query heads, so that "one key/value head per query head" differs from Qwen2Config's 32.
    const CASES: Array<[string, number, number, boolean]> = [
      ['llama', 64, 1e-6, false],
      ['mistral', 8, 1e-6, false],
      ['qwen2', 32, 1e-6, false],
      ['olmo2', 64, 1e-5, false],
    ];
    for (const [modelType, kvHeads, eps, tied] of CASES) {
      const config = hfToArchzooConfig({ model_type: modelType, ...REQUIRED, num_attention_heads: 64, hidden_size: 512 });
      expect(config.n_kv_heads, modelType).toBe(kvHeads);
      expect(config.head_dim, modelType).toBe(8);
      expect(config.norm.eps, modelType).toBe(eps);
      expect(config.position.theta, modelType).toBe(10000);
      expect(config.tie_embeddings, modelType).toBe(tied);
    }
  });

  it('gives Mistral and Qwen2 a window of 4096', () => {
    expect(hfToArchzooConfig({ model_type: 'mistral', ...REQUIRED }).attention.window).toBe(4096);
    expect(hfToArchzooConfig({ model_type: 'mistral', ...REQUIRED, sliding_window: null }).attention.window).toBeUndefined();
    // Qwen2Config slides from max_window_layers = 28 on.
    const qwen2 = hfToArchzooConfig({ model_type: 'qwen2', ...REQUIRED, num_hidden_layers: 30, use_sliding_window: true });
    expect(qwen2.layer_pattern).toHaveLength(30);
    expect(qwen2.layer_pattern!.slice(26)).toEqual([{}, {}, { attention: { window: 4096 } }, { attention: { window: 4096 } }]);
  });
});

describe('rope_parameters', () => {
  const OLMO2 = { model_type: 'olmo2', ...REQUIRED };

  it('reads the base from rope_parameters', () => {
    // OLMo 2 uses a base of 500000, which transformers 5 writes only inside rope_parameters.
    expect(hfToArchzooConfig({ ...OLMO2, rope_parameters: { rope_type: 'default', rope_theta: 500000 } }).position.theta).toBe(500000);
    expect(hfToArchzooConfig({ ...OLMO2, rope_theta: 500000, rope_parameters: { rope_type: 'default' } }).position.theta).toBe(500000);
    expect(hfToArchzooConfig({ ...OLMO2, rope_theta: 500000, rope_parameters: { rope_type: 'default', rope_theta: 500000 } }).position.theta).toBe(500000);
  });

  it('reads the scaling from rope_parameters', () => {
    const scaling = { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 64 };
    const config = hfToArchzooConfig({ model_type: 'llama', ...REQUIRED, rope_parameters: { ...scaling, rope_theta: 500000 } });
    expect(config.position).toEqual({
      type: 'rope',
      theta: 500000,
      pairing: 'half',
      scaling: 'llama3',
      scaling_factor: 8,
      low_freq_factor: 1,
      high_freq_factor: 4,
      original_max_position_embeddings: 64,
    });
    const legacy = hfToArchzooConfig({ model_type: 'llama', ...REQUIRED, rope_theta: 500000, rope_scaling: scaling });
    expect(legacy.position).toEqual(config.position);
    expect(hfToArchzooConfig({ model_type: 'llama', ...REQUIRED, rope_scaling: scaling, rope_parameters: { ...scaling, rope_theta: 10000 } }).position).toEqual({
      ...config.position,
      theta: 10000,
    });
  });

  it('reads one RoPE for every layer type', () => {
    const perType = { full_attention: { rope_type: 'default', rope_theta: 500000 }, sliding_attention: { rope_type: 'default', rope_theta: 500000 } };
    expect(hfToArchzooConfig({ model_type: 'qwen2', ...REQUIRED, rope_parameters: perType }).position.theta).toBe(500000);
    const differing = { ...perType, sliding_attention: { rope_type: 'default', rope_theta: 10000 } };
    expect(() => hfToArchzooConfig({ model_type: 'qwen2', ...REQUIRED, rope_parameters: differing })).toThrow(
      /rope_parameters.full_attention is .* but rope_parameters.sliding_attention is .*; archzoo imports one RoPE for every layer/,
    );
  });

  it('rejects a base or scaling that disagrees', () => {
    const conflict = () => hfToArchzooConfig({ ...OLMO2, rope_theta: 10000, rope_parameters: { rope_type: 'default', rope_theta: 500000 } });
    expect(conflict).toThrow(ConfigError);
    expect(conflict).toThrow(/^config.json: rope_theta \(10000\) and rope_parameters.rope_theta \(500000\) disagree; remove rope_theta or set it to the same RoPE base$/);
    const scalingConflict = { ...OLMO2, rope_scaling: { rope_type: 'linear', factor: 2 }, rope_parameters: { rope_type: 'linear', factor: 4, rope_theta: 10000 } };
    expect(() => hfToArchzooConfig(scalingConflict)).toThrow(/rope_scaling .* and rope_parameters .* give different RoPE scaling; remove rope_scaling or make the two agree/);
    expect(() => hfToArchzooConfig({ ...OLMO2, rope_parameters: { rope_type: 'yarn', factor: 4 } })).toThrow(/rope_parameters.rope_type must be "default", "linear" or "llama3"/);
    expect(() => hfToArchzooConfig({ ...OLMO2, rope_parameters: { rope_type: 'linear' } })).toThrow(/config.json: missing rope_parameters.factor/);
  });
});

describe('loadHfCheckpoint errors', () => {
  it('names a missing tensor', async () => {
    const folder = copyOf(LLAMA);
    await editWeights(folder, (tensors) => tensors.delete('model.layers.1.mlp.up_proj.weight'));
    const load = loadHfCheckpoint(folder);
    await expect(load).rejects.toThrow(CheckpointError);
    await expect(loadHfCheckpoint(folder)).rejects.toThrow(/missing tensor model.layers.1.mlp.up_proj.weight of shape \[48,32\] \(archzoo layers.1.ffn.up_proj.weight\)/);
  });

  it('requires olmo2 attention biases', async () => {
    const folder = copyOf(OLMO2_MODEL);
    const configPath = join(folder, 'config.json');
    writeFileSync(configPath, JSON.stringify({ ...JSON.parse(readFileSync(configPath, 'utf8')), attention_bias: true }));
    await expect(loadHfCheckpoint(folder)).rejects.toThrow(/missing tensor model.layers.0.self_attn.q_proj.bias of shape \[32\] \(archzoo layers.0.attn.q_proj.bias\)/);
  });

  it('loads olmo2 attention biases', async () => {
    const folder = copyOf(OLMO2_MODEL);
    const configPath = join(folder, 'config.json');
    writeFileSync(configPath, JSON.stringify({ ...JSON.parse(readFileSync(configPath, 'utf8')), attention_bias: true }));
    // q is 4 heads x 8 wide, k and v are 2 key/value heads x 8 wide, and o_proj returns d_model 32.
    const widths: Record<string, number> = { q_proj: 32, k_proj: 16, v_proj: 16, o_proj: 32 };
    await editWeights(folder, (tensors) => {
      for (const layer of [0, 1]) {
        for (const [projection, width] of Object.entries(widths)) {
          const data = Float32Array.from({ length: width }, (_, i) => 0.01 * (i + 1) + layer);
          tensors.set(`model.layers.${layer}.self_attn.${projection}.bias`, { shape: [width], data });
        }
      }
    });
    const { config, params } = await loadHfCheckpoint(folder);
    expect(config.attention).toMatchObject({ qkv_bias: true, out_bias: true });
    const kBias = params.get('layers.1.attn.k_proj.bias')!;
    expect(kBias.shape).toEqual([16]);
    expect(kBias.data[2]).toBeCloseTo(1.03, 6);
    expect(params.get('layers.0.attn.o_proj.bias')!.data[31]).toBeCloseTo(0.32, 6);
  });

  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ])('rejects a weight of %s', async (value, printed) => {
    const folder = copyOf(LLAMA);
    await editWeights(folder, (tensors) => {
      tensors.get('model.norm.weight')!.data[5] = value;
    });
    const load = loadHfCheckpoint(folder);
    await expect(load).rejects.toThrow(CheckpointError);
    await expect(load).rejects.toThrow(
      new RegExp(`model\\.safetensors: tensor model\\.norm\\.weight contains ${printed} at index 5; the file is corrupt, so download or export it again$`),
    );
  });

  it('names a tensor of the wrong shape', async () => {
    const folder = copyOf(LLAMA);
    await editWeights(folder, (tensors) => tensors.set('model.layers.0.self_attn.k_proj.weight', { shape: [32, 16], data: new Float32Array(512) }));
    await expect(loadHfCheckpoint(folder)).rejects.toThrow(/tensor model.layers.0.self_attn.k_proj.weight has shape \[32,16\] but config.json implies \[16,32\]/);
  });

  it('rejects a tensor nothing uses', async () => {
    const folder = copyOf(LLAMA);
    await editWeights(folder, (tensors) => tensors.set('model.layers.0.extra.weight', { shape: [2], data: new Float32Array(2) }));
    await expect(loadHfCheckpoint(folder)).rejects.toThrow(/unexpected tensor model.layers.0.extra.weight/);
  });

  it('rejects a config that does not match the weights', async () => {
    const folder = copyOf(LLAMA);
    const hf = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
    writeFileSync(join(folder, 'config.json'), JSON.stringify({ ...hf, intermediate_size: 40 }));
    await expect(loadHfCheckpoint(folder)).rejects.toThrow(/gate_proj.weight has shape \[48,32\] but config.json implies \[40,32\]/);
  });

  it('reports a missing folder in one line', async () => {
    await expect(loadHfCheckpoint('/nonexistent/model')).rejects.toThrow(/\/nonexistent\/model\/config.json: cannot read the model config \(ENOENT\)/);
  });
});
