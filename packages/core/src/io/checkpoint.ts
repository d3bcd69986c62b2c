/**
 * Training checkpoints. A checkpoint is a folder `<root>/step-000120/` holding
 * `model.safetensors` (parameters by stable name), `optimizer.safetensors` (AdamW moments as
 * `m.<name>` and `v.<name>`) and `state.json` (counters, losses, generator and data states, and
 * the configs). A checkpoint is built in a hidden sibling folder and renamed into place, so a
 * folder named `step-*` is always complete.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { checkResolvedConfig, type ResolvedConfig } from '../config.js';
import { CheckpointError, ConfigError } from '../errors.js';
import { firstNonFiniteIndex } from '../finite.js';
import { modelParamSpecs } from '../params.js';
import type { Registry } from '../registry.js';
import { type TensorValues, type TrainConfig, type TrainerSnapshot, validateTrainConfig } from '../train.js';
import { syncFolder } from './atomic-write.js';
import { encodeSafetensors, readSafetensors, type SafetensorsTensor } from './safetensors.js';

/** Version of the checkpoint layout, stored in `state.json`; loading rejects other versions. */
export const CHECKPOINT_FORMAT_VERSION = 1;

/** Checkpoints kept by default; older ones are deleted once a newer one is in place. */
export const DEFAULT_CHECKPOINTS_KEPT = 3;

export const MODEL_FILE = 'model.safetensors';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const STATE_FILE = 'state.json';

const STEP_FOLDER = /^step-(\d+)$/;
const TEMPORARY_PREFIX = '.step-';

/** Contents of `state.json`. Losses that were NaN or infinite are stored as null. */
export interface CheckpointStateFile {
  format_version: number;
  /** Trainer steps completed. */
  step: number;
  /** AdamW updates applied; it sets the bias correction of the next update. */
  optimizer_step: number;
  /** Training loss of every step so far, index = step - 1, in nats/token. */
  losses: Array<number | null>;
  /** The four 32-bit words of the dropout generator. */
  dropout_rng: number[];
  /** `TrainData.state()` (for the CLI, the batch sampler's state), or null. */
  data_state: unknown;
  model: ResolvedConfig;
  train: TrainConfig;
}

/** A loaded checkpoint: the trainer snapshot plus the configs it was trained with. */
export interface Checkpoint {
  dir: string;
  snapshot: TrainerSnapshot;
  model: ResolvedConfig;
  train: TrainConfig;
}

/** `120` -> `step-000120`; steps past 999999 get more digits and still sort by `checkpointStep`. */
export function checkpointFolderName(step: number): string {
  return `step-${String(step).padStart(6, '0')}`;
}

/** Parses the step from a checkpoint folder name; returns undefined for other names. */
export function checkpointStep(name: string): number | undefined {
  const match = STEP_FOLDER.exec(name);
  return match ? Number(match[1]) : undefined;
}

export interface WriteCheckpointOptions {
  /** Number of checkpoints to keep, newest first; at least 1. Default 3. */
  keep?: number;
}

/**
 * Writes a checkpoint of `snapshot` into `root` (created when missing) and returns its folder.
 * The files are written and flushed in a hidden temporary folder, which is renamed to
 * `step-NNNNNN`; only then are checkpoints beyond the newest `keep` deleted. A process killed at
 * any moment leaves every existing `step-*` folder intact.
 */
export async function writeCheckpoint(
  root: string,
  snapshot: TrainerSnapshot,
  configs: { model: ResolvedConfig; train: TrainConfig },
  options: WriteCheckpointOptions = {},
): Promise<string> {
  const keep = options.keep ?? DEFAULT_CHECKPOINTS_KEPT;
  if (!Number.isInteger(keep) || keep < 1) throw new CheckpointError(`keep must be an integer >= 1, got ${keep}; pass e.g. keep: 3`);
  await mkdir(root, { recursive: true });
  const name = checkpointFolderName(snapshot.step);
  const temporary = join(root, `${TEMPORARY_PREFIX}${name.slice(5)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const target = join(root, name);

  const optimizerTensors = new Map<string, TensorValues>();
  for (const [param, tensor] of snapshot.m) optimizerTensors.set(`m.${param}`, tensor);
  for (const [param, tensor] of snapshot.v) optimizerTensors.set(`v.${param}`, tensor);

  const state: CheckpointStateFile = {
    format_version: CHECKPOINT_FORMAT_VERSION,
    step: snapshot.step,
    optimizer_step: snapshot.optimizerStep,
    losses: snapshot.losses.map((loss) => (Number.isFinite(loss) ? loss : null)),
    dropout_rng: snapshot.dropoutRng,
    data_state: snapshot.data ?? null,
    model: configs.model,
    train: configs.train,
  };
  const metadata = { format: 'archzoo-checkpoint', step: String(snapshot.step) };

  try {
    await mkdir(temporary);
    await writeAndSync(join(temporary, MODEL_FILE), encodeSafetensors(snapshot.params, metadata));
    await writeAndSync(join(temporary, OPTIMIZER_FILE), encodeSafetensors(optimizerTensors, metadata));
    await writeAndSync(join(temporary, STATE_FILE), [new TextEncoder().encode(`${JSON.stringify(state, null, 2)}\n`)]);
    await syncFolder(temporary);
    await replaceFolder(temporary, target);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  await syncFolder(root);
  await pruneCheckpoints(root, keep);
  return target;
}

async function writeAndSync(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    for (const chunk of chunks) {
      for (let done = 0; done < chunk.byteLength; ) done += (await handle.write(chunk, done)).bytesWritten;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Renames `source` to `target`; an existing `target` (the same step written again) is moved aside first and deleted after. */
async function replaceFolder(source: string, target: string): Promise<void> {
  try {
    await rename(source, target);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  const aside = `${source}.old`;
  await rename(target, aside);
  await rename(source, target);
  await rm(aside, { recursive: true, force: true });
}

/** Checkpoint folders under `root`, oldest first; empty when `root` does not exist. */
export async function listCheckpoints(root: string): Promise<Array<{ step: number; dir: string }>> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found: Array<{ step: number; dir: string }> = [];
  for (const name of names) {
    const step = checkpointStep(name);
    if (step !== undefined) found.push({ step, dir: join(root, name) });
  }
  return found.sort((a, b) => a.step - b.step);
}

/** Finds the newest checkpoint folder under `root`; returns undefined when there is none. */
export async function latestCheckpoint(root: string): Promise<string | undefined> {
  return (await listCheckpoints(root)).at(-1)?.dir;
}

/**
 * Deletes all but the newest `keep` checkpoints, and temporary folders that killed writers left
 * behind. An old checkpoint is first renamed to a temporary name, so a kill during the recursive
 * delete leaves a hidden folder (removed by the next prune) rather than a partial `step-*` one.
 * NOTE: this assumes one writer per checkpoint root, as in a run directory.
 */
async function pruneCheckpoints(root: string, keep: number): Promise<void> {
  const checkpoints = await listCheckpoints(root);
  for (const { step, dir } of checkpoints.slice(0, Math.max(0, checkpoints.length - keep))) {
    await rename(dir, join(root, `${TEMPORARY_PREFIX}${step}.${process.pid}.${randomBytes(4).toString('hex')}.deleted`));
  }
  for (const name of await readdir(root)) {
    if (name.startsWith(TEMPORARY_PREFIX)) await rm(join(root, name), { recursive: true, force: true });
  }
}

/**
 * The fix for a damaged checkpoint folder: delete it, naming the older checkpoint beside it that
 * then takes its place, when there is one.
 */
async function deleteCheckpointFix(dir: string): Promise<string> {
  const step = checkpointStep(basename(dir));
  const older = step === undefined ? undefined : (await listCheckpoints(dirname(dir))).filter((checkpoint) => checkpoint.step < step).at(-1);
  if (older === undefined) return 'delete this checkpoint and start the run again, since no older checkpoint exists';
  return `delete this checkpoint to fall back to the older one, ${older.dir}`;
}

/** Names the checkpoint files missing from `dir`; an empty list when all are there or `dir` itself is missing. */
async function missingFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return [STATE_FILE, MODEL_FILE, OPTIMIZER_FILE].filter((name) => !names.includes(name));
}

/**
 * Loads and validates a checkpoint folder. All three files must be there and `state.json` must have
 * this format version. Its model config must pass the checks of `resolveConfig` (with `registry`'s
 * plugins) and its train config those of `validateTrainConfig`. Both safetensors files must hold
 * exactly the tensors that the model config builds, each with its ParamSpec shape and no NaN or
 * Infinity. Every problem is a one-line CheckpointError.
 */
export async function loadCheckpoint(dir: string, registry: Registry): Promise<Checkpoint> {
  // Every fix below names the older checkpoint to fall back to, when there is one.
  const fix = await deleteCheckpointFix(dir);
  const missing = await missingFiles(dir);
  if (missing.length > 0) throw new CheckpointError(`${dir}: incomplete checkpoint, missing ${missing.join(', ')}; ${fix}`);

  const statePath = join(dir, STATE_FILE);
  const state = await readStateFile(statePath, fix);
  const configFix = `correct the field, or ${fix}`;
  let model: ResolvedConfig;
  let train: TrainConfig;
  try {
    model = checkResolvedConfig(state.model, registry);
    train = validateTrainConfig(state.train);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new CheckpointError(`${statePath}: ${error.message}; ${configFix}`);
  }
  if (train.seq_len > model.dims.context_length) {
    throw new CheckpointError(`${statePath}: train.seq_len (${train.seq_len}) exceeds the model's context_length (${model.dims.context_length}); ${configFix}`);
  }

  let shapes: Map<string, number[]>;
  try {
    shapes = new Map(modelParamSpecs(model, registry).map((spec) => [spec.name, [...spec.shape]]));
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new CheckpointError(`${statePath}: the stored model config cannot be built (${reason}); pass the plugins the run was trained with`);
  }

  const modelPath = join(dir, MODEL_FILE);
  const optimizerPath = join(dir, OPTIMIZER_FILE);
  const [params] = matchTensors(modelPath, (await readSafetensors(modelPath, modelPath, { fix })).tensors, shapes, [''], fix);
  const [m, v] = matchTensors(optimizerPath, (await readSafetensors(optimizerPath, optimizerPath, { fix })).tensors, shapes, ['m.', 'v.'], fix);
  const snapshot: TrainerSnapshot = {
    step: state.step,
    optimizerStep: state.optimizer_step,
    losses: state.losses.map((loss) => loss ?? Number.NaN),
    dropoutRng: state.dropout_rng,
    data: state.data_state ?? undefined,
    params: params!,
    m: m!,
    v: v!,
  };
  return { dir, snapshot, model, train };
}

/**
 * Splits a file's tensors by name prefix (`m.`, `v.` or none) into one map per prefix, keyed by
 * parameter name, and requires exactly one tensor per parameter and prefix with the expected shape
 * and only finite values.
 */
function matchTensors(
  file: string,
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  shapes: ReadonlyMap<string, number[]>,
  prefixes: readonly string[],
  deleteFix: string,
): Array<Map<string, TensorValues>> {
  const fix = `load it with the plugins and config it was written with, or ${deleteFix}`;
  const expected = new Set(prefixes.flatMap((prefix) => [...shapes.keys()].map((name) => prefix + name)));
  for (const name of tensors.keys()) {
    if (!expected.has(name)) throw new CheckpointError(`${file}: unexpected tensor ${name}, which the model config does not build; ${fix}`);
  }
  return prefixes.map((prefix) => {
    const group = new Map<string, TensorValues>();
    for (const [param, shape] of shapes) {
      const tensor = tensors.get(prefix + param);
      if (tensor === undefined) throw new CheckpointError(`${file}: missing tensor ${prefix + param}; ${fix}`);
      const sameShape = tensor.shape.length === shape.length && tensor.shape.every((dim, i) => dim === shape[i]);
      if (!sameShape) {
        throw new CheckpointError(`${file}: tensor ${prefix + param} has shape [${tensor.shape}] but the model config needs [${shape}]; ${fix}`);
      }
      const bad = firstNonFiniteIndex(tensor.data);
      if (bad !== -1) {
        throw new CheckpointError(
          `${file}: tensor ${prefix + param} contains ${tensor.data[bad]} at index ${bad}; the file is corrupt or the run diverged, so ${deleteFix}`,
        );
      }
      group.set(param, { shape: tensor.shape, data: tensor.data });
    }
    return group;
  });
}

async function readStateFile(path: string, fix: string): Promise<CheckpointStateFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read failed';
    throw new CheckpointError(`${path}: cannot read the checkpoint state (${code}); pass a checkpoint folder such as checkpoints/step-000120`);
  }
  let state: Partial<CheckpointStateFile>;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(`${path}: invalid JSON (${(error as Error).message.split('\n')[0]}); ${fix}`);
  }
  const invalid = (field: string, expected: string, value: unknown): never => {
    throw new CheckpointError(`${path}: ${field} must be ${expected}, got ${JSON.stringify(value)?.slice(0, 80)}; ${fix}`);
  };
  if (typeof state !== 'object' || state === null) invalid('the state', 'a JSON object', state);
  if (state.format_version !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(
      `${path}: format_version is ${JSON.stringify(state.format_version)} but this archzoo reads version ${CHECKPOINT_FORMAT_VERSION}; use the archzoo version that wrote it`,
    );
  }
  const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
  if (!isCount(state.step)) invalid('step', 'an integer >= 0', state.step);
  if (!isCount(state.optimizer_step)) invalid('optimizer_step', 'an integer >= 0', state.optimizer_step);
  const losses = state.losses;
  if (!Array.isArray(losses) || losses.length !== state.step || !losses.every((loss) => loss === null || typeof loss === 'number')) {
    invalid('losses', `a list of ${state.step} numbers (one per step)`, losses);
  }
  const rng = state.dropout_rng;
  if (!Array.isArray(rng) || rng.length !== 4 || !rng.every((word) => Number.isInteger(word) && word >= -(2 ** 31) && word < 2 ** 32)) {
    invalid('dropout_rng', 'four 32-bit integers', rng);
  }
  for (const field of ['model', 'train'] as const) {
    if (typeof state[field] !== 'object' || state[field] === null) invalid(field, 'a config object', state[field]);
  }
  return state as CheckpointStateFile;
}
