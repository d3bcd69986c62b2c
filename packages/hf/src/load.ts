/**
 * Loads a Hugging Face model folder: `config.json` plus `model.safetensors`, or the shards that
 * `model.safetensors.index.json` lists. F32, F16 and BF16 tensors are read as float32.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  CheckpointError,
  ConfigError,
  Model,
  type ModelConfig,
  modelParamSpecs,
  readSafetensors,
  Registry,
  type ResolvedConfig,
  resolveConfig,
  type Tensor,
  type TensorValues,
  tf,
} from '@archzoo/core';

import { familyOf } from './families/index.js';
import type { HfConfig } from './hf-config.js';
import { hfRegistry } from './registry.js';
import { importTensors, type TensorData } from './tensor-map.js';

export const HF_CONFIG_FILE = 'config.json';
export const HF_WEIGHTS_FILE = 'model.safetensors';
export const HF_INDEX_FILE = 'model.safetensors.index.json';

/** Dtypes an HF checkpoint may store; integer tensors are rejected. */
const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16']);

/** An HF model converted to archzoo: configs, registry and parameters as float32 values. */
export interface HfCheckpoint {
  modelType: string;
  hfConfig: HfConfig;
  config: ModelConfig;
  resolved: ResolvedConfig;
  registry: Registry;
  /** Parameters by archzoo stable name. */
  params: Map<string, TensorValues>;
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read failed';
    throw new CheckpointError(`${path}: cannot read the ${what} (${code}); pass a Hugging Face model folder`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(`${path}: invalid JSON (${(error as Error).message.split('\n')[0]}); the ${what} is corrupt`);
  }
}

/** Maps a config.json to an archzoo model config through its model_type's family. */
export function hfToArchzooConfig(hf: HfConfig): ModelConfig {
  return familyOf(hf.model_type).toArchzoo(hf);
}

/** Reads every tensor of the folder's single file or of the shards its index lists. */
async function readWeights(dir: string): Promise<{ tensors: Map<string, TensorData>; label: string }> {
  const indexPath = join(dir, HF_INDEX_FILE);
  let files = [HF_WEIGHTS_FILE];
  let label = join(dir, HF_WEIGHTS_FILE);
  const index = await readJson(indexPath, 'shard index').catch((error: unknown) => {
    if (error instanceof CheckpointError && error.message.includes('(ENOENT)')) return undefined;
    throw error;
  });
  if (index !== undefined) {
    const weightMap = (index as { weight_map?: unknown }).weight_map;
    if (typeof weightMap !== 'object' || weightMap === null || !Object.values(weightMap).every((file) => typeof file === 'string')) {
      throw new CheckpointError(`${indexPath}: weight_map must map tensor names to shard file names; the shard index is corrupt`);
    }
    files = [...new Set(Object.values(weightMap as Record<string, string>))];
    label = indexPath;
  }
  const tensors = new Map<string, TensorData>();
  for (const file of files) {
    const path = join(dir, file);
    for (const [name, tensor] of (await readSafetensors(path)).tensors) {
      if (!FLOAT_DTYPES.has(tensor.dtype)) {
        throw new CheckpointError(`${path}: tensor ${name} has dtype ${tensor.dtype}; archzoo imports F32, F16 and BF16 weights only`);
      }
      if (tensors.has(name)) throw new CheckpointError(`${path}: tensor ${name} appears in more than one shard; the checkpoint is corrupt`);
      tensors.set(name, tensor);
    }
  }
  return { tensors, label };
}

/**
 * Loads an HF model folder as archzoo parameters. Raises a one-line ConfigError for an unsupported
 * model_type or config field and a CheckpointError for a missing, misshapen or unused tensor.
 */
export async function loadHfCheckpoint(dir: string, registry: Registry = hfRegistry()): Promise<HfCheckpoint> {
  const hfConfig = await readJson(join(dir, HF_CONFIG_FILE), 'model config');
  if (typeof hfConfig !== 'object' || hfConfig === null || Array.isArray(hfConfig)) {
    throw new ConfigError(`${join(dir, HF_CONFIG_FILE)}: must be a JSON object; pass a Hugging Face model folder`);
  }
  const hf = hfConfig as HfConfig;
  const family = familyOf(hf.model_type);
  const config = family.toArchzoo(hf);
  const resolved = resolveConfig(config, registry);
  const { tensors, label } = await readWeights(dir);
  const params = importTensors(family, modelParamSpecs(resolved, registry), tensors, label, resolved.tie_embeddings);
  return { modelType: hf.model_type as string, hfConfig: hf, config, resolved, registry, params };
}

/** Turns loaded parameter values into tensors for `Model.forward`; the caller disposes them. */
export function paramTensors(params: ReadonlyMap<string, TensorValues>): Map<string, Tensor> {
  return new Map([...params].map(([name, values]) => [name, tf.tensor(values.data, values.shape, 'float32')]));
}

/** Builds the archzoo model of a loaded checkpoint. */
export function modelOf(checkpoint: HfCheckpoint): Model {
  return new Model(checkpoint.resolved, checkpoint.registry);
}
