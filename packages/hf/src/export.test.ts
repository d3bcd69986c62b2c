import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { initialValues, modelParamSpecs, type ModelConfig, resolveConfig, type TensorValues } from '@archzoo/core';
import { afterEach, describe, expect, it } from 'vitest';

import { archzooToHfConfig, exportHfCheckpoint } from './export.js';
import { loadHfCheckpoint } from './load.js';
import { hfRegistry } from './registry.js';

const registry = hfRegistry();
const folders: string[] = [];
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

function randomParams(config: ModelConfig): Map<string, TensorValues> {
  const resolved = resolveConfig(config, registry);
  // Ones-initialised norm weights would hide a swap between two norms, so every tensor is random.
  const noisy = { ...resolved, init_std: 0.5 };
  return new Map(
    modelParamSpecs(resolved, registry).map((spec, i) => [spec.name, { shape: spec.shape, data: initialValues({ ...spec, init: { kind: 'normal' } }, noisy, i) }]),
  );
}

async function roundTrip(config: ModelConfig) {
  const folder = mkdtempSync(join(tmpdir(), 'archzoo-export-'));
  folders.push(folder);
  const resolved = resolveConfig(config, registry);
  const params = randomParams(config);
  await exportHfCheckpoint(folder, resolved, params, registry);
  return { folder, resolved, params, loaded: await loadHfCheckpoint(folder, registry) };
}

describe('export then import', () => {
  const CASES: Array<[string, ModelConfig, string]> = [
    ['llama', LLAMA, 'llama'],
    ['tied llama with Llama 3.1 scaling', { ...LLAMA, tie_embeddings: true, position: { type: 'rope', scaling: 'llama3', scaling_factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 16 } }, 'llama'],
    ['qwen2 biases', { ...LLAMA, attention: { type: 'causal', qkv_bias: true } }, 'qwen2'],
    ['mistral window', { ...LLAMA, attention: { type: 'causal', window: 8 } }, 'mistral'],
  ];
  for (const [name, config, modelType] of CASES) {
    it(`is the identity: ${name}`, async () => {
      const { folder, resolved, params, loaded } = await roundTrip(config);
      expect(loaded.modelType).toBe(modelType);
      expect(loaded.resolved).toEqual(resolved);
      expect([...loaded.params.keys()]).toEqual([...params.keys()]);
      for (const [param, values] of params) {
        expect(loaded.params.get(param)!.shape, param).toEqual(values.shape);
        expect(loaded.params.get(param)!.data, param).toEqual(values.data);
      }
      const hf = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
      expect(hf.model_type).toBe(modelType);
    });
  }

  it('stores HF Linear weights as [out, in]', async () => {
    const { folder } = await roundTrip(LLAMA);
    const header = readFileSync(join(folder, 'model.safetensors'));
    const json = JSON.parse(header.subarray(8, 8 + Number(header.readBigUInt64LE(0))).toString('utf8'));
    expect(json['model.layers.0.self_attn.k_proj.weight'].shape).toEqual([8, 16]);
    expect(json['lm_head.weight'].shape).toEqual([50, 16]);
  });
});

describe('archzooToHfConfig', () => {
  it('rejects layouts outside the LLaMA family', () => {
    const gpt = resolveConfig({ ...LLAMA, norm: { type: 'layernorm' } }, registry);
    expect(() => archzooToHfConfig(gpt)).toThrow(/cannot export as a Hugging Face checkpoint: norm is .*layernorm/);
    const interleaved = resolveConfig({ ...LLAMA, position: { type: 'rope', pairing: 'interleaved' } }, registry);
    expect(() => archzooToHfConfig(interleaved)).toThrow(/position is/);
  });
});
