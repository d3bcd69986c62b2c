/**
 * Loads a trained model for `generate`, `logits` and `export`: the latest checkpoint of an
 * archzoo run directory (with the run's tiktoken encoding), or a Hugging Face model folder (with
 * its `tokenizer.json` when @huggingface/tokenizers can read it).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import {
  latestCheckpoint,
  loadCheckpoint,
  Model,
  Registry,
  type ResolvedConfig,
  type Tensor,
  type TensorValues,
  tf,
  UsageError,
} from '@archzoo/core';
import { createTokenizer } from '@archzoo/data';
import { hfRegistry, loadHfCheckpoint, paramTensors } from '@archzoo/hf';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';

import { CHECKPOINTS_DIR } from './checkpointing.js';
import type { CliIo } from './io.js';

/** Text to token ids and back. */
export interface TextTokenizer {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  free(): void;
}

/** A model with its parameters as float32 values, its registry and, when one loads, its tokenizer. */
export interface ModelSource {
  /** The folder it came from, for messages. */
  dir: string;
  config: ResolvedConfig;
  registry: Registry;
  values: Map<string, TensorValues>;
  tokenizer: TextTokenizer | undefined;
  /** Reason no tokenizer loaded, set when `tokenizer` is undefined. */
  tokenizerProblem?: string;
}

interface RunConfigFile {
  recipe?: string;
  data?: { tokenizer?: { name?: string } };
}

/**
 * Loads the latest checkpoint of an `archzoo train` run directory and the run's tokenizer.
 * `argumentName` names the directory in errors as the command receives it (`--run`, or `run directory`).
 */
export async function loadRunSource(io: CliIo, runDirArgument: string, argumentName = '--run'): Promise<ModelSource> {
  const dir = resolve(io.cwd, runDirArgument);
  let run: RunConfigFile;
  try {
    run = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as RunConfigFile;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0];
    throw new UsageError(`${argumentName} ${dir}: cannot read config.json (${reason}); pass a run directory written by \`archzoo train\``);
  }
  const latest = await latestCheckpoint(join(dir, CHECKPOINTS_DIR));
  if (latest === undefined) throw new UsageError(`${argumentName} ${dir} has no checkpoint in ${CHECKPOINTS_DIR}/; train it until it writes one`);
  const recipe = io.recipes.find((candidate) => candidate.name === run.recipe);
  const registry = recipe ? new Registry(recipe.plugins) : hfRegistry();
  const checkpoint = await loadCheckpoint(latest, registry);
  const name = run.data?.tokenizer?.name;
  const tokenizer = name === undefined ? undefined : tiktokenTokenizer(name);
  return {
    dir,
    config: checkpoint.model,
    registry,
    values: checkpoint.snapshot.params,
    tokenizer,
    tokenizerProblem: tokenizer ? undefined : `${dir}/config.json names no tokenizer`,
  };
}

function tiktokenTokenizer(name: string): TextTokenizer {
  const tiktoken = createTokenizer(name);
  return { encode: (text) => Array.from(tiktoken.encode(text)), decode: (ids) => tiktoken.decode(ids), free: () => tiktoken.free() };
}

/** Loads a Hugging Face model folder and, when it has one that loads, its tokenizer.json. */
export async function loadHfSource(io: CliIo, dirArgument: string): Promise<ModelSource> {
  const dir = resolve(io.cwd, dirArgument);
  const checkpoint = await loadHfCheckpoint(dir);
  const source: ModelSource = { dir, config: checkpoint.resolved, registry: checkpoint.registry, values: checkpoint.params, tokenizer: undefined };
  try {
    const tokenizerJson = JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8'));
    const tokenizerConfig = await readFile(join(dir, 'tokenizer_config.json'), 'utf8').then(JSON.parse, () => ({}));
    const tokenizer = new HfTokenizer(tokenizerJson, tokenizerConfig);
    source.tokenizer = { encode: (text) => tokenizer.encode(text).ids, decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: true }), free: () => {} };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0];
    source.tokenizerProblem = `@huggingface/tokenizers cannot load ${join(dir, 'tokenizer.json')} (${reason})`;
  }
  return source;
}

/** Loads the source that exactly one of `--run` and `--model` names. */
export async function loadSource(io: CliIo, command: string, run: string | undefined, model: string | undefined): Promise<ModelSource> {
  if ((run === undefined) === (model === undefined)) {
    throw new UsageError(`\`archzoo ${command}\` needs exactly one of --run RUN_DIR (an archzoo run) or --model DIR (a Hugging Face model folder)`);
  }
  return run !== undefined ? loadRunSource(io, run) : loadHfSource(io, model!);
}

/** Parses `--tokens 1,2,3` into ids below `vocab`. */
export function parseTokenList(value: string, vocab: number): number[] {
  const parts = value.split(',').map((part) => part.trim());
  const ids = parts.map(Number);
  const bad = parts.find((part, i) => !/^\d+$/.test(part) || ids[i]! >= vocab);
  if (parts.length === 0 || bad !== undefined) {
    throw new UsageError(`--tokens must be comma-separated token ids below the vocabulary size ${vocab}, got "${bad ?? value}"; pass e.g. --tokens 1,2,3`);
  }
  return ids;
}

/** Builds the model and its parameter tensors; call `dispose` when done. */
export function buildModel(source: ModelSource): { model: Model; params: Map<string, Tensor>; dispose(): void } {
  const params = paramTensors(source.values);
  return { model: new Model(source.config, source.registry), params, dispose: () => tf.dispose([...params.values()]) };
}
