/**
 * Exports an archzoo model as a Hugging Face folder (`config.json` and `model.safetensors`, F32,
 * both written atomically), with the family whose layout the config has: `llama`, `qwen2` or
 * `mistral` for pre-norm RMSNorm with RoPE, `gemma2` for sandwich norms, `olmo2` for reordered
 * norms and `gpt2` for pre-norm LayerNorm with learned positions. Each family's `toHf` checks the
 * rest of the config, and export reads it back exactly as import does. Every layout leaves a z-loss
 * out, because it is a training loss term that changes neither the weights nor the logits.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { ConfigError, modelParamSpecs, type Registry, type ResolvedConfig, writeFileAtomic, writeSafetensors } from '@archzoo/core';

import { FAMILIES, SUPPORTED_MODEL_TYPES } from './families/index.js';
import type { Family } from './family.js';
import type { HfConfig } from './hf-config.js';
import { HF_CONFIG_FILE, HF_WEIGHTS_FILE } from './load.js';
import { exportTensors, type TensorData } from './tensor-map.js';

/** Every layout export writes, as its errors list them. */
const LAYOUTS = FAMILIES.map((family) => family.exportLayout).join('; ');

function unsupported(problem: string, options: { brief?: boolean } = {}): never {
  const layouts = options.brief ? `the model_types ${SUPPORTED_MODEL_TYPES.join(', ')}` : LAYOUTS;
  throw new ConfigError(`cannot export as a Hugging Face checkpoint: ${problem}; export supports ${layouts}`);
}

/** Finds the family that writes `config`, by its norm placement and position scheme. */
function exportFamilyOf(config: ResolvedConfig): Family {
  const family = FAMILIES.find((candidate) => candidate.ownsLayout(config));
  if (family === undefined) {
    return unsupported(`block.placement "${config.block.placement}" with position "${config.position.type}" matches no layout`);
  }
  return family;
}

/**
 * Builds the config.json of `config` with the family whose layout it has. A config that no layout
 * fits raises a one-line ConfigError naming the part that differs and listing the layouts.
 */
export function archzooToHfConfig(config: ResolvedConfig): HfConfig {
  return exportFamilyOf(config).toHf(config, unsupported);
}

/**
 * Writes `dir/config.json` and `dir/model.safetensors` for `params` (by archzoo stable name).
 * The folder is created when missing; each file appears complete or not at all.
 */
export async function exportHfCheckpoint(dir: string, config: ResolvedConfig, params: ReadonlyMap<string, TensorData>, registry: Registry): Promise<void> {
  const family = exportFamilyOf(config);
  const hf = family.toHf(config, unsupported);
  const tensors = exportTensors(family, modelParamSpecs(config, registry), params);
  await mkdir(dir, { recursive: true });
  await writeSafetensors(join(dir, HF_WEIGHTS_FILE), tensors, { format: 'pt' });
  await writeFileAtomic(join(dir, HF_CONFIG_FILE), `${JSON.stringify(hf, null, 2)}\n`);
}
