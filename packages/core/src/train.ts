/**
 * The training loop: seeded initialisation and batches, AdamW with warmup and a decay schedule,
 * global-norm clipping, gradient accumulation, periodic evaluation, and one metrics record per
 * logged step. Library code never prints: records and warnings go to the `onRecord` callback.
 */
import { CheckpointError, ConfigError } from './errors.js';
import type { Model } from './model.js';
import { AdamW, clipToNorm, squaredGlobalNorm } from './optim.js';
import { initParams } from './params.js';
import { Rng } from './rng.js';
import { checkOptions, type OptionSchema } from './schema.js';
import { learningRate, type ScheduleConfig } from './schedule.js';
import { tf, type Tensor } from './tf.js';

export interface TrainConfig {
  steps: number;
  batch_size: number;
  seq_len: number;
  /** Micro-batches per optimizer step. */
  grad_accum_steps: number;
  lr: number;
  min_lr: number;
  warmup_steps: number;
  schedule: ScheduleConfig['kind'];
  decay_fraction?: number;
  weight_decay: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Maximum global gradient norm; 0 disables clipping. */
  grad_clip: number;
  /** Evaluate every this many steps (and after the last step); 0 evaluates only at the end. */
  eval_interval: number;
  /** Validation batches per evaluation. */
  eval_batches: number;
  /** Emit a train record every this many steps (and on the last step). */
  log_interval: number;
  seed: number;
}

const TRAIN_CONFIG_SCHEMA: OptionSchema = {
  steps: { type: 'number', integer: true, min: 1, description: 'optimizer steps' },
  batch_size: { type: 'number', integer: true, min: 1, description: 'sequences per micro-batch' },
  seq_len: { type: 'number', integer: true, min: 1, description: 'tokens per sequence' },
  grad_accum_steps: { type: 'number', integer: true, min: 1, description: 'micro-batches per optimizer step' },
  lr: { type: 'number', min: 0, exclusiveMin: true, description: 'peak learning rate' },
  min_lr: { type: 'number', min: 0, description: 'final learning rate' },
  warmup_steps: { type: 'number', integer: true, min: 0, description: 'linear warmup steps' },
  schedule: { type: 'enum', values: ['cosine', 'wsd', 'constant'], description: 'learning-rate schedule' },
  decay_fraction: { type: 'number', min: 0, exclusiveMin: true, max: 1, optional: true, description: "fraction of steps decaying under 'wsd'" },
  weight_decay: { type: 'number', min: 0, description: 'AdamW weight decay' },
  beta1: { type: 'number', min: 0, max: 1, exclusiveMax: true, description: 'AdamW first-moment decay' },
  beta2: { type: 'number', min: 0, max: 1, exclusiveMax: true, description: 'AdamW second-moment decay' },
  eps: { type: 'number', min: 0, exclusiveMin: true, description: 'AdamW epsilon' },
  grad_clip: { type: 'number', min: 0, description: 'maximum global gradient norm, 0 for none' },
  eval_interval: { type: 'number', integer: true, min: 0, description: 'steps between evaluations, 0 for only at the end' },
  eval_batches: { type: 'number', integer: true, min: 0, description: 'validation batches per evaluation' },
  log_interval: { type: 'number', integer: true, min: 1, description: 'steps between train records' },
  seed: { type: 'number', integer: true, description: 'seed of initialisation, batches and dropout' },
};

/**
 * Checks every field of a training config: types, bounds, unknown keys and min_lr <= lr. A bad
 * config raises a one-line `ConfigError` naming the first bad field, its value and the count of
 * further problems. A valid config is returned unchanged.
 */
export function validateTrainConfig(config: unknown): TrainConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(`a train config must be a JSON object, got ${JSON.stringify(config)}`);
  }
  const fields = config as Record<string, unknown>;
  const problems = checkOptions('train', { type: 'train', ...fields }, TRAIN_CONFIG_SCHEMA);
  if ('type' in fields) problems.push(`train.type is not a train config field; remove it`);
  const { lr, min_lr } = fields;
  if (problems.length === 0 && (min_lr as number) > (lr as number)) problems.push(`train.min_lr (${min_lr}) must be <= train.lr (${lr})`);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new ConfigError(`invalid train config: ${problems[0]}${more}`);
  }
  return config as TrainConfig;
}

/** Next-token inputs and targets, row-major [B, T]. */
export interface Batch {
  inputs: Int32Array;
  targets: Int32Array;
  batchSize: number;
  seqLen: number;
}

export interface TrainData {
  nextTrainBatch(): Batch;
  /** A fresh, deterministic pass over up to `maxBatches` validation batches. */
  validationBatches(maxBatches: number): Iterable<Batch>;
  /** JSON-serializable position of the train batch stream, stored in checkpoints. */
  state?(): unknown;
  /** Restores a value returned by `state()`, so the next train batch is the one that followed it. */
  restore?(state: unknown): void;
}

/**
 * One metrics record. Keys are namespaced and carry units: `train/loss` (nats/token),
 * `val/loss`, `optim/lr`, `optim/grad_norm`, `throughput/tokens_per_s`, `time/step_ms`,
 * `memory/num_tensors`.
 */
export interface MetricRecord {
  step: number;
  [key: string]: number;
}

export interface TrainSummary {
  steps: number;
  tokens: number;
  finalTrainLoss: number;
  finalValLoss: number;
  tokensPerSecond: number;
  seconds: number;
  losses: number[];
  /** True when `shouldStop` cut the last evaluation short; `finalValLoss` is then that of an earlier one, or NaN. */
  evaluationInterrupted: boolean;
}

/** A tensor's values copied out of the backend: [shape] row-major float32. */
export interface TensorValues {
  shape: number[];
  data: Float32Array;
}

/**
 * Everything a run needs to continue exactly where it stopped: parameter values, AdamW moments,
 * step counters, the losses so far, the dropout generator and the data stream position. Tensors
 * are keyed by stable parameter name (the moments too).
 */
export interface TrainerSnapshot {
  step: number;
  optimizerStep: number;
  losses: number[];
  /** The four 32-bit words of the dropout generator. */
  dropoutRng: number[];
  /** `TrainData.state()`, or undefined when the data has no state. */
  data: unknown;
  params: Map<string, TensorValues>;
  m: Map<string, TensorValues>;
  v: Map<string, TensorValues>;
}

export interface TrainHooks {
  onRecord?(record: MetricRecord): void;
  /** Called after every step, for progress displays; `loss` is that step's training loss. */
  onStep?(step: number, loss: number, tokensPerSecond: number): void;
  /** Awaited after every step and its evaluation, before `shouldStop`; checkpoints are written here. */
  afterStep?(step: number): void | Promise<void>;
  /** Returns true to stop after the current step (e.g. on SIGINT). */
  shouldStop?(): boolean;
}

/** Result of one optimizer step. */
export interface StepResult {
  loss: number;
  gradNorm: number;
  lr: number;
}

/**
 * A computation that yields each scalar tensor whose value it needs on the host, and resumes with
 * that value. The yielded tensor stays owned by the computation. One body serves a synchronous
 * driver (`dataSync`) and an asynchronous one (`await data()`), so both do the same arithmetic.
 */
type HostReads<T> = Generator<Tensor, T, number>;

function readSync<T>(computation: HostReads<T>): T {
  let next = computation.next();
  while (!next.done) next = computation.next(next.value.dataSync()[0]!);
  return next.value;
}

async function readAsync<T>(computation: HostReads<T>): Promise<T> {
  let next = computation.next();
  while (!next.done) next = computation.next((await next.value.data())[0]!);
  return next.value;
}

/** Counts the targets that take part in the loss (>= 0), as `Model.loss` would on the device. */
function countTargets(targets: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < targets.length; i++) if (targets[i]! >= 0) count += 1;
  return count;
}

export class Trainer {
  readonly params: Map<string, tf.Variable>;
  readonly optimizer: AdamW;
  readonly config: TrainConfig;
  private readonly model: Model;
  private readonly data: TrainData;
  private dropoutRng: Rng;
  readonly losses: number[] = [];
  step = 0;

  constructor(model: Model, config: TrainConfig, data: TrainData) {
    const context = model.config.dims.context_length;
    if (config.seq_len > context) {
      throw new ConfigError(`train seq_len (${config.seq_len}) exceeds the model's context_length (${context}); lower seq_len or raise context_length`);
    }
    this.model = model;
    this.config = config;
    this.data = data;
    this.params = initParams(model.specs, model.config, config.seed);
    const decay = new Set(model.specs.filter((spec) => spec.decay).map((spec) => spec.name));
    this.optimizer = new AdamW({ beta1: config.beta1, beta2: config.beta2, eps: config.eps, weight_decay: config.weight_decay }, this.params, decay);
    this.dropoutRng = new Rng(config.seed ^ 0x5eed);
  }

  private schedule(): ScheduleConfig {
    const c = this.config;
    return { kind: c.schedule, lr: c.lr, min_lr: c.min_lr, warmup_steps: c.warmup_steps, total_steps: c.steps, decay_fraction: c.decay_fraction };
  }

  private batchTensors(batch: Batch): [Tensor, Tensor] {
    const shape: [number, number] = [batch.batchSize, batch.seqLen];
    return [tf.tensor2d(batch.inputs, shape, 'int32'), tf.tensor2d(batch.targets, shape, 'int32')];
  }

  /**
   * Mean gradients over `grad_accum_steps` micro-batches, and the mean training loss. Yields each
   * scalar it needs on the host (see `HostReads`).
   */
  private *gradients(): HostReads<{ grads: Record<string, Tensor>; loss: number }> {
    const variables = [...this.params.values()];
    const nameOf = new Map(variables.map((v, i) => [v.name, [...this.params.keys()][i]!]));
    const accumulated: Record<string, Tensor> = {};
    let lossSum = 0;
    const micro = this.config.grad_accum_steps;
    for (let i = 0; i < micro; i++) {
      const batch = this.data.nextTrainBatch();
      const [inputs, targets] = this.batchTensors(batch);
      const targetCount = countTargets(batch.targets);
      let crossEntropy: Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const out = this.model.loss(this.params, inputs, targets, { training: true, rng: this.dropoutRng, targetCount });
        crossEntropy = tf.keep(out.crossEntropy);
        return out.total as tf.Scalar;
      }, variables);
      lossSum += yield crossEntropy!;
      tf.dispose([value, crossEntropy!, inputs, targets]);
      for (const [varName, grad] of Object.entries(grads)) {
        const name = nameOf.get(varName)!;
        const scaled = micro > 1 ? tf.tidy(() => tf.div(grad, micro)) : grad;
        if (scaled !== grad) grad.dispose();
        if (accumulated[name]) {
          const sum = tf.add(accumulated[name], scaled);
          tf.dispose([accumulated[name], scaled]);
          accumulated[name] = sum;
        } else {
          accumulated[name] = scaled;
        }
      }
    }
    return { grads: accumulated, loss: lossSum / micro };
  }

  /** Runs one optimizer step; returns the training loss and gradient norm. */
  trainStep(): StepResult {
    return readSync(this.stepReads());
  }

  /**
   * `trainStep` with asynchronous reads of the loss and gradient norm, for backends that cannot
   * read device memory synchronously (webgpu in Node). Same arithmetic, same results.
   */
  trainStepAsync(): Promise<StepResult> {
    return readAsync(this.stepReads());
  }

  private *stepReads(): HostReads<StepResult> {
    const lr = learningRate(this.schedule(), this.step);
    const { grads, loss } = yield* this.gradients();
    const squared = squaredGlobalNorm(grads);
    const norm = Math.sqrt(yield squared);
    squared.dispose();
    const clipped = clipToNorm(grads, norm, this.config.grad_clip);
    this.optimizer.apply(this.params, clipped.grads, lr);
    tf.dispose(Object.values(grads));
    if (clipped.grads !== grads) tf.dispose(Object.values(clipped.grads));
    this.step += 1;
    this.losses.push(loss);
    return { loss, gradNorm: clipped.norm, lr };
  }

  /** Mean validation cross-entropy (nats/token) over up to `eval_batches` batches. */
  evaluate(): number {
    return readSync(this.evaluateReads());
  }

  /** `evaluate` with asynchronous reads (see `trainStepAsync`). */
  evaluateAsync(): Promise<number> {
    return readAsync(this.evaluateReads());
  }

  private *evaluateReads(): HostReads<number> {
    let total = 0;
    let count = 0;
    for (const batch of this.data.validationBatches(this.config.eval_batches)) {
      const crossEntropy = tf.tidy(() => {
        const [inputs, targets] = this.batchTensors(batch);
        return this.model.loss(this.params, inputs, targets, { targetCount: countTargets(batch.targets) }).crossEntropy;
      });
      const loss = yield crossEntropy;
      crossEntropy.dispose();
      total += loss * batch.batchSize * batch.seqLen;
      count += batch.batchSize * batch.seqLen;
    }
    return count ? total / count : Number.NaN;
  }

  /**
   * `evaluateAsync` that checks `shouldStop` before each batch, giving signal handlers a turn of
   * the event loop first; undefined when it stopped.
   */
  private async evaluateUnlessStopped(shouldStop: () => boolean): Promise<number | undefined> {
    const reads = this.evaluateReads();
    let next = reads.next();
    while (!next.done) {
      await new Promise((resolve) => setImmediate(resolve));
      if (shouldStop()) {
        next.value.dispose();
        reads.return(Number.NaN);
        return undefined;
      }
      next = reads.next((await next.value.data())[0]!);
    }
    return next.value;
  }

  /** Trains until `steps` (or until `hooks.shouldStop`), evaluating on schedule. */
  async run(hooks: TrainHooks = {}): Promise<TrainSummary> {
    const c = this.config;
    const tokensPerStep = c.batch_size * c.seq_len * c.grad_accum_steps;
    const started = performance.now();
    let trainedTokens = 0;
    let finalValLoss = Number.NaN;
    let lastLoss = Number.NaN;
    let evaluationInterrupted = false;
    const shouldStop = hooks.shouldStop ?? (() => false);
    while (this.step < c.steps) {
      const stepStart = performance.now();
      const { loss, gradNorm, lr } = await this.trainStepAsync();
      const stepMs = performance.now() - stepStart;
      trainedTokens += tokensPerStep;
      lastLoss = loss;
      const tokensPerSecond = tokensPerStep / (stepMs / 1000);
      const isLast = this.step === c.steps;
      hooks.onStep?.(this.step, loss, tokensPerSecond);
      if (this.step % c.log_interval === 0 || isLast || this.step === 1) {
        hooks.onRecord?.({
          step: this.step,
          'train/loss': loss,
          'optim/lr': lr,
          'optim/grad_norm': gradNorm,
          'throughput/tokens_per_s': tokensPerSecond,
          'time/step_ms': stepMs,
          'memory/num_tensors': tf.memory().numTensors,
        });
      }
      if (isLast || (c.eval_interval > 0 && this.step % c.eval_interval === 0)) {
        const evalStart = performance.now();
        const valLoss = await this.evaluateUnlessStopped(shouldStop);
        evaluationInterrupted = valLoss === undefined;
        if (valLoss !== undefined) {
          finalValLoss = valLoss;
          hooks.onRecord?.({ step: this.step, 'val/loss': valLoss, 'time/eval_ms': performance.now() - evalStart });
        }
      }
      await hooks.afterStep?.(this.step);
      // Yield to the event loop so signals and progress output are handled between steps.
      await new Promise((resolve) => setImmediate(resolve));
      if (shouldStop()) break;
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      steps: this.step,
      tokens: trainedTokens,
      finalTrainLoss: lastLoss,
      finalValLoss,
      tokensPerSecond: trainedTokens / seconds,
      seconds,
      losses: [...this.losses],
      evaluationInterrupted,
    };
  }

  /** Copies the whole training state out of the backend; the copy shares nothing with the trainer. */
  snapshot(): TrainerSnapshot {
    return this.snapshotOf((variable) => variable.dataSync() as Float32Array);
  }

  /** `snapshot` with asynchronous reads, for backends that cannot read synchronously (webgpu in Node). */
  async snapshotAsync(): Promise<TrainerSnapshot> {
    const values = new Map<tf.Variable, Float32Array>();
    for (const variable of [...this.params.values(), ...this.optimizer.m.values(), ...this.optimizer.v.values()]) {
      values.set(variable, (await variable.data()) as Float32Array);
    }
    return this.snapshotOf((variable) => values.get(variable)!);
  }

  private snapshotOf(valuesOf: (variable: tf.Variable) => Float32Array): TrainerSnapshot {
    const read = (variables: ReadonlyMap<string, tf.Variable>): Map<string, TensorValues> =>
      new Map([...variables].map(([name, variable]) => [name, { shape: [...variable.shape], data: new Float32Array(valuesOf(variable)) }]));
    return {
      step: this.step,
      optimizerStep: this.optimizer.step,
      losses: [...this.losses],
      dropoutRng: this.dropoutRng.state(),
      data: this.data.state?.(),
      params: read(this.params),
      m: read(this.optimizer.m),
      v: read(this.optimizer.v),
    };
  }

  /**
   * Restores a snapshot taken from a trainer of the same model, so the next `trainStep` computes
   * what the snapshotted trainer's next step would have. Every parameter, m and v tensor must be
   * present with the model's shape; nothing changes when one is not.
   */
  restore(snapshot: TrainerSnapshot): void {
    const groups: Array<[string, ReadonlyMap<string, tf.Variable>, ReadonlyMap<string, TensorValues>]> = [
      ['parameter', this.params, snapshot.params],
      ['AdamW m', this.optimizer.m, snapshot.m],
      ['AdamW v', this.optimizer.v, snapshot.v],
    ];
    for (const [kind, variables, values] of groups) {
      for (const [name, variable] of variables) {
        const tensor = values.get(name);
        if (tensor === undefined) throw new CheckpointError(`snapshot has no ${kind} ${name}; restore from a snapshot of the same model`);
        const sameShape = tensor.shape.length === variable.rank && tensor.shape.every((dim, i) => dim === variable.shape[i]);
        if (!sameShape || tensor.data.length !== variable.size) {
          throw new CheckpointError(
            `snapshot ${kind} ${name} has shape [${tensor.shape}] (${tensor.data.length} values) but the model needs [${variable.shape}]; restore from a snapshot of the same model`,
          );
        }
      }
      if (values.size !== variables.size) {
        const extra = [...values.keys()].find((name) => !variables.has(name));
        throw new CheckpointError(`snapshot has ${kind} ${extra} that the model lacks; restore from a snapshot of the same model`);
      }
    }
    if (snapshot.data !== undefined) {
      if (!this.data.restore) throw new CheckpointError('snapshot has a data stream state but this trainer\'s data cannot restore one; pass data with restore()');
      this.data.restore(snapshot.data);
    }
    for (const [, variables, values] of groups) {
      for (const [name, variable] of variables) tf.tidy(() => variable.assign(tf.tensor(values.get(name)!.data, variable.shape, 'float32')));
    }
    this.optimizer.step = snapshot.optimizerStep;
    this.step = snapshot.step;
    this.losses.length = 0;
    for (const loss of snapshot.losses) this.losses.push(loss);
    this.dropoutRng = new Rng(snapshot.dropoutRng);
  }

  dispose(): void {
    for (const p of this.params.values()) p.dispose();
    this.optimizer.dispose();
  }
}
