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

  it('rejects a bad field with its name', () => {
    expect(() => hfToArchzooConfig({ model_type: 'llama', hidden_size: 'wide' })).toThrow(/config.json: hidden_size must be a positive integer, got "wide"/);
    expect(() => hfToArchzooConfig({ model_type: 'llama', hidden_size: 8, num_attention_heads: 2, num_hidden_layers: 1, vocab_size: 5, intermediate_size: 4, max_position_embeddings: 8, rope_scaling: { rope_type: 'yarn' } })).toThrow(
      /rope_scaling.rope_type must be "default", "linear" or "llama3"/,
    );
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
