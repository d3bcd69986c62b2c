import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from './ops/cross-entropy.js';
import { ADAMW_KERNEL, registerCpuAdamW } from './kernels/adamw-cpu.js';
import { AdamW, clipByGlobalNorm } from './optim.js';
import { learningRate } from './schedule.js';
import { tf } from './tf.js';

// Expected values come from PyTorch 1.13 (torch.optim.AdamW, F.cross_entropy,
// clip_grad_norm_); __fixtures__/generate_optim.py produced them.
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/optim.json', import.meta.url), 'utf8'));

// float32 arithmetic in both implementations, a handful of steps: 1e-6 absolute covers rounding.
const FLOAT32_TOLERANCE = 1e-6;

function expectClose(actual: ArrayLike<number>, expected: number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tolerance);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function checkAdamWTrajectory(): void {
  const f = fixture.adamw;
  const params = new Map([
    ['w', tf.tidy(() => tf.variable(tf.tensor(f.w0, f.w_shape)))],
    ['b', tf.tidy(() => tf.variable(tf.tensor(f.b0)))],
  ]);
  const optimizer = new AdamW({ beta1: f.betas[0], beta2: f.betas[1], eps: f.eps, weight_decay: f.weight_decay }, params, new Set(['w']));
  f.grads.forEach((g: { w: number[]; b: number[] }, k: number) => {
    const grads = { w: tf.tensor(g.w, f.w_shape), b: tf.tensor(g.b) };
    optimizer.apply(params, grads, f.lrs[k]);
    tf.dispose(Object.values(grads));
    expectClose(params.get('w')!.dataSync(), f.trajectory[k].w, FLOAT32_TOLERANCE);
    expectClose(params.get('b')!.dataSync(), f.trajectory[k].b, FLOAT32_TOLERANCE);
  });
  optimizer.dispose();
  params.forEach((p) => p.dispose());
}

// The two tests run in this order: the first uses composed ops, the second registers the kernel.
describe('AdamW', () => {
  it('matches torch.optim.AdamW with composed ops', () => {
    expect(tf.getKernel(ADAMW_KERNEL, 'cpu')).toBeUndefined();
    checkAdamWTrajectory();
  });

  it('matches torch.optim.AdamW with the fused cpu kernel', () => {
    registerCpuAdamW();
    expect(tf.getKernel(ADAMW_KERNEL, 'cpu')).toBeDefined();
    const before = tf.memory().numTensors;
    checkAdamWTrajectory();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('clipByGlobalNorm', () => {
  it('matches clip_grad_norm_', () => {
    const f = fixture.clip;
    const grads = { a: tf.tensor([3, 4]), b: tf.tensor([[12]]) };
    const { grads: clipped, norm } = clipByGlobalNorm(grads, f.max_norm);
    expect(norm).toBeCloseTo(f.norm, 5);
    expectClose(clipped.a!.dataSync(), f.g1, FLOAT32_TOLERANCE);
    expectClose(clipped.b!.dataSync(), f.g2, FLOAT32_TOLERANCE);
  });

  it('leaves small gradients alone', () => {
    const grads = { a: tf.tensor([0.3, 0.4]) };
    expect(clipByGlobalNorm(grads, 1).grads).toBe(grads);
  });
});

describe('softmaxCrossEntropy', () => {
  const f = fixture.cross_entropy;
  // Logits up to ~9 in float32: log-sum-exp and its gradient carry ~1e-6 relative rounding.
  const tolerance = 1e-5;

  it('matches F.cross_entropy and logsumexp', () => {
    const { lossN, lseN } = softmaxCrossEntropy(tf.tensor(f.logits, f.shape), tf.tensor(f.labels, [4], 'int32'));
    expectClose(lossN.dataSync(), [...f.loss.slice(0, 3), 0], tolerance);
    expectClose(lseN.dataSync(), f.lse, tolerance);
  });

  it('matches the PyTorch gradient of loss plus a z-loss term', () => {
    const labels = tf.tensor(f.labels, [4], 'int32');
    const grad = tf.grad((logits: tf.Tensor) => {
      const { lossN, lseN } = softmaxCrossEntropy(logits, labels);
      return tf.add(tf.sum(lossN), tf.mul(0.5, tf.sum(tf.square(lseN))));
    })(tf.tensor(f.logits, f.shape));
    expectClose(grad.dataSync(), f.grad, tolerance);
  });
});

describe('learningRate', () => {
  const schedule = { kind: 'cosine' as const, lr: 1e-3, min_lr: 1e-4, warmup_steps: 10, total_steps: 110 };

  it('warms up linearly', () => {
    expect(learningRate(schedule, 0)).toBeCloseTo(1e-4, 12);
    expect(learningRate(schedule, 9)).toBeCloseTo(1e-3, 12);
  });

  it('decays by cosine to min_lr', () => {
    expect(learningRate(schedule, 10)).toBeCloseTo(1e-3, 12);
    expect(learningRate(schedule, 60)).toBeCloseTo(1e-4 + 0.5 * 9e-4, 12);
    expect(learningRate(schedule, 110)).toBeCloseTo(1e-4, 12);
  });

  it('holds then decays linearly under wsd', () => {
    const wsd = { ...schedule, kind: 'wsd' as const, decay_fraction: 0.5 };
    expect(learningRate(wsd, 50)).toBe(1e-3);
    expect(learningRate(wsd, 109)).toBeCloseTo(1e-4, 12);
  });
});
