/** Every zoo spec, in the row order of the CS336 lecture 3 architecture table (Stanford CS336, 2025). */
import type { ZooSpec } from './spec.js';
import { bloom } from './specs/bloom.js';
import { commandA, commandRPlus } from './specs/cohere.js';
import { deepseek } from './specs/deepseek.js';
import { falcon2 } from './specs/falcon.js';
import { gemma2, gemma3 } from './specs/gemma.js';
import { gopher, chinchilla } from './specs/gopher.js';
import { gptJ } from './specs/gpt-j.js';
import { gptNeoX } from './specs/gpt-neox.js';
import { gpt, gpt2, gpt3 } from './specs/gpt.js';
import { lamda } from './specs/lamda.js';
import { llama, llama2, llama3 } from './specs/llama.js';
import { mistral, mixtral } from './specs/mistral.js';
import { nemotron4 } from './specs/nemotron.js';
import { olmo, olmo2 } from './specs/olmo.js';
import { opt } from './specs/opt.js';
import { palm } from './specs/palm.js';
import { phi3Small } from './specs/phi3.js';
import { qwen, qwen2 } from './specs/qwen.js';
import { rekaFlash } from './specs/reka.js';
import { smollm2 } from './specs/smollm2.js';
import { t5, t5v11, mt5 } from './specs/t5.js';
import { transformer } from './specs/transformer.js';
import { anthropicLm, gpt4 } from './specs/unpublished.js';
import { yi } from './specs/yi.js';

export const ZOO: readonly ZooSpec[] = [
  transformer,
  gpt,
  t5,
  gpt2,
  t5v11,
  mt5,
  gpt3,
  gptJ,
  lamda,
  anthropicLm,
  gopher,
  gptNeoX,
  bloom,
  opt,
  palm,
  chinchilla,
  mistral,
  llama2,
  llama,
  gpt4,
  olmo2,
  gemma2,
  nemotron4,
  qwen2,
  falcon2,
  phi3Small,
  llama3,
  rekaFlash,
  commandRPlus,
  olmo,
  qwen,
  deepseek,
  yi,
  mixtral,
  commandA,
  gemma3,
  smollm2,
];

/** The spec with `id`, or undefined. */
export function findSpec(id: string): ZooSpec | undefined {
  return ZOO.find((spec) => spec.id === id);
}
