import { describe, expect, it } from 'vitest';

import { WIDE_TRAIN } from './__fixtures__/plugins.js';
import { ConfigError } from './errors.js';
import { validateTrainConfig } from './train.js';

function problemOf(config: unknown): string {
  try {
    validateTrainConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`train config was accepted: ${JSON.stringify(config)}`);
}

describe('validateTrainConfig', () => {
  it('accepts a valid config unchanged', () => {
    expect(validateTrainConfig(WIDE_TRAIN)).toBe(WIDE_TRAIN);
    expect(validateTrainConfig({ ...WIDE_TRAIN, schedule: 'wsd', decay_fraction: 0.2 })).toMatchObject({ decay_fraction: 0.2 });
  });

  it.each([
    [{ steps: '40' }, 'train.steps must be a finite number, got "40"'],
    [{ steps: 0 }, 'train.steps must be >= 1, got 0'],
    [{ batch_size: 0 }, 'train.batch_size must be >= 1, got 0'],
    [{ seq_len: 2.5 }, 'train.seq_len must be an integer, got 2.5'],
    [{ grad_accum_steps: 0 }, 'train.grad_accum_steps must be >= 1, got 0'],
    [{ log_interval: 0 }, 'train.log_interval must be >= 1, got 0'],
    [{ eval_interval: -1 }, 'train.eval_interval must be >= 0, got -1'],
    [{ eval_batches: 1.5 }, 'train.eval_batches must be an integer, got 1.5'],
    [{ lr: -1 }, 'train.lr must be > 0, got -1'],
    [{ lr: 0 }, 'train.lr must be > 0, got 0'],
    [{ min_lr: -1e-4 }, 'train.min_lr must be >= 0, got -0.0001'],
    [{ min_lr: 1 }, 'train.min_lr (1) must be <= train.lr (0.001)'],
    [{ warmup_steps: -2 }, 'train.warmup_steps must be >= 0, got -2'],
    [{ beta1: 1 }, 'train.beta1 must be < 1, got 1'],
    [{ beta2: -0.1 }, 'train.beta2 must be >= 0, got -0.1'],
    [{ eps: 0 }, 'train.eps must be > 0, got 0'],
    [{ weight_decay: -0.1 }, 'train.weight_decay must be >= 0, got -0.1'],
    [{ grad_clip: -1 }, 'train.grad_clip must be >= 0, got -1'],
    [{ seed: 1.5 }, 'train.seed must be an integer, got 1.5'],
    [{ schedule: 'linear' }, 'train.schedule must be one of "cosine", "wsd", "constant", got "linear"'],
    [{ decay_fraction: 0 }, 'train.decay_fraction must be > 0, got 0'],
    [{ foo: 1 }, 'train.foo is not an option of "train"'],
  ])('rejects %j', (change, message) => {
    expect(problemOf({ ...WIDE_TRAIN, ...change })).toContain(`invalid train config: ${message}`);
  });

  it('rejects a missing field and counts the other problems', () => {
    const { steps: _steps, ...withoutSteps } = WIDE_TRAIN;
    expect(problemOf({ ...withoutSteps, lr: -1 })).toBe('invalid train config: train.steps is required (optimizer steps) (and 1 more problem)');
  });

  it('rejects a config that is not an object', () => {
    expect(problemOf([1])).toBe('a train config must be a JSON object, got [1]');
  });
});
