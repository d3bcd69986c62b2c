/**
 * One training run from a recipe scale: validate the config, start the backend, load the corpus,
 * train with progress and metric records, and fill the run directory.
 */
import { join, resolve } from 'node:path';

import {
  type BackendInfo,
  ConfigError,
  costReport,
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
} from '@archzoo/core';
import { BROWN, defaultCacheDir, loadCorpus, type LoadedCorpus } from '@archzoo/data';

import { collectEnvironment } from './env-info.js';
import type { CliIo } from './io.js';
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
  const { recipe, scaleName, scale } = request;
  const registry = new Registry(recipe.plugins);
  const model = resolveConfig(scale.model, registry);
  const cost = costReport(model, registry);
  const train: TrainConfig = { ...scale.train, steps: request.steps ?? scale.train.steps, seed: request.seed ?? scale.train.seed };
  checkTrainConfig(train, model);

  // PROD silences the console message in which TensorFlow.js recommends tfjs-node on the cpu
  // backend. The CLI reports the backend itself, and env.json lists the skipped ones.
  tf.env().set('PROD', true);
  const backend = await selectBackend(request.backend, io.env);
  if (backend.skipped.length > 0) {
    const names = backend.skipped.map((reason) => reason.split(':')[0]);
    io.stderr.write(`archzoo: note: backend auto chose ${backend.name}, skipping ${names.join(', ')} (reasons in env.json)\n`);
  }

  const data = request.data === undefined || request.data === BROWN ? BROWN : resolve(io.cwd, request.data);
  const corpus = await loadCorpus({
    data,
    tokenizer: request.tokenizer ?? scale.tokenizer,
    cacheDir: io.env.ARCHZOO_CACHE_DIR || defaultCacheDir(),
  });
  for (const warning of corpus.warnings) io.stderr.write(`archzoo: warning: ${warning.message}\n`);
  checkVocabulary(corpus, model);
  const trainData = corpusTrainData(corpus, { batchSize: train.batch_size, seqLen: train.seq_len, seed: train.seed });

  const runDir = await createRunDir(io.cwd, request.out, `${recipe.name}-${scaleName}`, new Date());
  await writeJsonAtomic(join(runDir, 'config.json'), {
    recipe: recipe.name,
    scale: scaleName,
    model,
    train,
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
  await writeJsonAtomic(join(runDir, 'env.json'), await collectEnvironment(backend, recipe));

  io.stdout.write(
    `training ${recipe.name} (${scaleName}) for ${train.steps} steps on ${backend.name}, ${corpus.source} ` +
      `(${corpus.train.length} train tokens, ${corpus.tokenizer.name}); run directory ${runDir}\n`,
  );
  let interrupted = false;
  const removeInterruptHandler = io.onInterrupt(() => {
    interrupted = true;
  });
  const metrics = new MetricsLog(join(runDir, 'metrics.jsonl'));
  const progress = createProgress(io.stdout, { totalSteps: train.steps, logInterval: train.log_interval });
  const trainer = new Trainer(new Model(model, registry), train, trainData);
  let result;
  try {
    result = await trainer.run({
      onRecord: (record) => {
        metrics.append(record);
        progress.record(record);
      },
      onStep: (step, loss, tokensPerSecond) => progress.step(step, loss, tokensPerSecond),
      shouldStop: () => interrupted,
    });
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
    interrupted: interrupted && result.steps < train.steps,
    steps: result.steps,
    tokens: result.tokens,
    finalTrainLoss: result.finalTrainLoss,
    finalValLoss: result.finalValLoss,
    unigramBaselineLoss: baseline,
    marginOverBaseline: baseline - result.finalValLoss,
    tokensPerSecond: result.tokensPerSecond,
    seconds: result.seconds,
    params: cost.params,
    nonEmbeddingParams: cost.nonEmbeddingParams,
    forwardFlopsPerToken: cost.forwardFlopsPerToken,
    trainingFlopsPerToken: cost.trainingFlopsPerToken,
  };
  await writeJsonAtomic(join(runDir, 'summary.json'), summary);
  return { runDir, summary, losses: result.losses, backend, corpus, model, train, cost };
}
