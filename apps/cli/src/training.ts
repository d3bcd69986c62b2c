/**
 * One training run from a recipe scale: validate the config, start the backend, load the corpus,
 * train with progress and metric records, and fill the run directory.
 */
import { join, resolve } from 'node:path';

import {
  type BackendInfo,
  ConfigError,
  costReport,
  DataError,
  type CostReport,
  Model,
  type Recipe,
  type RecipeScale,
  Registry,
  type ResolvedConfig,
  resolveConfig,
  selectBackend,
  tf,
  type TrainConfig,
  Trainer,
  validateTrainConfig,
} from '@archzoo/core';
import { BROWN, defaultCacheDir, loadCorpus, type LoadedCorpus } from '@archzoo/data';

import { type ResumePoint, RunCheckpoints, truncateMetrics } from './checkpointing.js';
import { collectEnvironment } from './env-info.js';
import type { CliIo, InterruptSignal } from './io.js';
import { createProgress } from './progress.js';
import { createRunDir, MetricsLog, writeJsonAtomic } from './run-dir.js';
import { corpusTrainData } from './train-data.js';

export interface TrainRequest {
  recipe: Recipe;
  scaleName: string;
  scale: RecipeScale;
  /** Overrides of the scale's training config. */
  steps?: number;
  seed?: number;
  /** Backend name. When undefined, ARCHZOO_BACKEND applies, then `auto`. */
  backend?: string;
  /** `brown` (default) or a path to a text file or folder, relative to `io.cwd`. */
  data?: string;
  /** tiktoken encoding, by default the scale's. */
  tokenizer?: string;
  /** Run directory, by default `runs/<recipe>-<scale>-<timestamp>` under `io.cwd`. */
  out?: string;
  /**
   * Checkpoints in `<run dir>/checkpoints/`: every `every` steps (default: the resumed run's
   * interval, else the eval interval; 0 writes none on a schedule), after the last step and on
   * interrupt. Undefined writes none.
   */
  checkpoints?: { every?: number };
  /** Continues a run from its latest checkpoint, with that run's configs, data and directory. */
  resume?: ResumePoint;
}

/** Contents of `summary.json`. Losses are mean cross-entropy in nats/token. */
export interface RunSummary {
  recipe: string;
  scale: string;
  backend: string;
  /** True when an interrupt stopped training before `steps`. */
  interrupted: boolean;
  steps: number;
  tokens: number;
  finalTrainLoss: number;
  finalValLoss: number;
  /** Unigram (context-free) cross-entropy of the validation tokens, with add-one smoothing. */
  unigramBaselineLoss: number;
  /** unigramBaselineLoss - finalValLoss, positive when the model beats the baseline. */
  marginOverBaseline: number;
  tokensPerSecond: number;
  seconds: number;
  params: number;
  nonEmbeddingParams: number;
  forwardFlopsPerToken: number;
  trainingFlopsPerToken: number;
}

export interface TrainOutcome {
  runDir: string;
  /** The signal that stopped training before its last step, if one did. */
  interruptedBy?: InterruptSignal;
  summary: RunSummary;
  /** Training loss of every step, index = step - 1. */
  losses: number[];
  backend: BackendInfo;
  corpus: LoadedCorpus;
  model: ResolvedConfig;
  train: TrainConfig;
  cost: CostReport;
}

function checkTrainConfig(train: TrainConfig, model: ResolvedConfig): void {
  if (train.seq_len > model.dims.context_length) {
    throw new ConfigError(
      `train.seq_len (${train.seq_len}) exceeds the model's context_length (${model.dims.context_length}); shorten seq_len or raise context_length`,
    );
  }
}

function checkVocabulary(corpus: LoadedCorpus, model: ResolvedConfig): void {
  const { name, vocabSize } = corpus.tokenizer;
  if (vocabSize > model.dims.vocab_size) {
    throw new ConfigError(
      `tokenizer ${name} has ${vocabSize} token ids but the model's vocab_size is ${model.dims.vocab_size}; pick a tokenizer with at most ${model.dims.vocab_size} ids or a scale whose vocab_size is at least ${vocabSize}`,
    );
  }
}

/** Runs the training a request describes, writes its run directory and returns what the reports need. */
export async function trainRun(request: TrainRequest, io: CliIo): Promise<TrainOutcome> {
  const { recipe, scaleName, scale, resume } = request;
  const registry = new Registry(recipe.plugins);
  const model = resume ? resume.checkpoint.model : resolveConfig(scale.model, registry);
  const cost = costReport(model, registry);
  // loadCheckpoint validated a resumed run's train config.
  const train: TrainConfig = resume
    ? resume.checkpoint.train
    : validateTrainConfig({ ...scale.train, steps: request.steps ?? scale.train.steps, seed: request.seed ?? scale.train.seed });
  checkTrainConfig(train, model);
  const checkpointEvery = request.checkpoints && (request.checkpoints.every ?? resume?.checkpointEvery ?? train.eval_interval);

  // PROD silences the console message in which TensorFlow.js recommends tfjs-node on the cpu
  // backend. The CLI reports the backend itself, and env.json lists the skipped ones.
  tf.env().set('PROD', true);
  const backend = await selectBackend(request.backend, io.env);
  if (backend.skipped.length > 0) {
    const names = backend.skipped.map((reason) => reason.split(':')[0]);
    io.stderr.write(`archzoo: note: backend auto chose ${backend.name}, skipping ${names.join(', ')} (reasons in env.json)\n`);
  }

  const requestedData = resume?.data ?? request.data;
  const data = requestedData === undefined || requestedData === BROWN ? BROWN : resolve(io.cwd, requestedData);
  const corpus = await loadCorpus({
    data,
    tokenizer: resume?.tokenizer ?? request.tokenizer ?? scale.tokenizer,
    cacheDir: io.env.ARCHZOO_CACHE_DIR || defaultCacheDir(),
  });
  for (const warning of corpus.warnings) io.stderr.write(`archzoo: warning: ${warning.message}\n`);
  checkVocabulary(corpus, model);
  if (resume && corpus.cacheKey !== resume.cacheKey) {
    throw new DataError(`the data of ${resume.runDir} (${corpus.source}) changed since the run started, so its batches cannot be replayed; restore the data or start a new run`);
  }
  const trainData = corpusTrainData(corpus, { batchSize: train.batch_size, seqLen: train.seq_len, seed: train.seed });

  const runDir = resume ? resume.runDir : await createRunDir(io.cwd, request.out, `${recipe.name}-${scaleName}`, new Date());
  if (resume) await truncateMetrics(join(runDir, 'metrics.jsonl'), resume.checkpoint.snapshot.step);
  else await writeJsonAtomic(join(runDir, 'config.json'), {
    recipe: recipe.name,
    scale: scaleName,
    model,
    train,
    checkpoint_every: checkpointEvery ?? null,
    data: {
      name: corpus.name,
      source: corpus.source,
      tokenizer: corpus.tokenizer,
      split: corpus.split,
      documents: corpus.documents,
      tokens: { train: corpus.train.length, val: corpus.val.length },
      cacheKey: corpus.cacheKey,
      warnings: corpus.warnings,
    },
  });
  // NOTE: a resumed run keeps the env.json of its first start, even when the backend differs.
  if (!resume) await writeJsonAtomic(join(runDir, 'env.json'), await collectEnvironment(backend, recipe));

  const startStep = resume?.checkpoint.snapshot.step ?? 0;
  io.stdout.write(
    `${resume ? `resuming at step ${startStep} ` : ''}training ${recipe.name} (${scaleName}) for ${train.steps} steps on ${backend.name}, ${corpus.source} ` +
      `(${corpus.train.length} train tokens, ${corpus.tokenizer.name}); run directory ${runDir}\n`,
  );
  let interruptedBy: InterruptSignal | undefined;
  const removeInterruptHandler = io.onInterrupt((signal) => {
    interruptedBy ??= signal;
  });
  const metrics = new MetricsLog(join(runDir, 'metrics.jsonl'));
  const progress = createProgress(io.stdout, { totalSteps: train.steps, logInterval: train.log_interval });
  const trainer = new Trainer(new Model(model, registry), train, trainData);
  const checkpoints = checkpointEvery === undefined ? undefined : new RunCheckpoints(runDir, checkpointEvery, { model, train });
  let result;
  try {
    if (resume) {
      trainer.restore(resume.checkpoint.snapshot);
      if (checkpoints) checkpoints.latest = { dir: resume.checkpoint.dir, step: startStep };
    }
    result = await trainer.run({
      onRecord: (record) => {
        metrics.append(record);
        progress.record(record);
      },
      onStep: (step, loss, tokensPerSecond) => progress.step(step, loss, tokensPerSecond),
      afterStep: checkpoints && (() => checkpoints.afterStep(trainer)),
      shouldStop: () => interruptedBy !== undefined,
    });
    if (checkpoints && interruptedBy && trainer.step < train.steps) {
      const dir = await checkpoints.write(trainer);
      progress.finish();
      io.stderr.write(
        `archzoo: interrupted at step ${trainer.step}; checkpoint written to ${dir}; resume with: archzoo train ${recipe.name} --resume ${runDir}\n`,
      );
    } else if (interruptedBy && result.evaluationInterrupted) {
      progress.finish();
      io.stderr.write(`archzoo: interrupted during the evaluation of step ${trainer.step}; training is complete, but its final validation loss was not measured\n`);
    }
  } finally {
    progress.finish();
    metrics.close();
    removeInterruptHandler();
    trainer.dispose();
  }

  const baseline = corpus.baseline.crossEntropyNats;
  const summary: RunSummary = {
    recipe: recipe.name,
    scale: scaleName,
    backend: backend.name,
    interrupted: interruptedBy !== undefined && (result.steps < train.steps || result.evaluationInterrupted),
    steps: result.steps,
    // All steps of the run, including those before a resume.
    tokens: result.steps * train.batch_size * train.seq_len * train.grad_accum_steps,
    finalTrainLoss: result.finalTrainLoss,
    // An evaluation cut short leaves an earlier one's loss in result.finalValLoss.
    finalValLoss: result.evaluationInterrupted ? Number.NaN : result.finalValLoss,
    unigramBaselineLoss: baseline,
    marginOverBaseline: result.evaluationInterrupted ? Number.NaN : baseline - result.finalValLoss,
    tokensPerSecond: result.tokensPerSecond,
    seconds: result.seconds,
    params: cost.params,
    nonEmbeddingParams: cost.nonEmbeddingParams,
    forwardFlopsPerToken: cost.forwardFlopsPerToken,
    trainingFlopsPerToken: cost.trainingFlopsPerToken,
  };
  await writeJsonAtomic(join(runDir, 'summary.json'), summary);
  const stoppedBy = summary.interrupted ? interruptedBy : undefined;
  return { runDir, interruptedBy: stoppedBy, summary, losses: result.losses, backend, corpus, model, train, cost };
}
