import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tf, type Tensor } from '@archzoo/core';
import { describeConformance, expectClose, expectNoLeaks, gradCheck, makeContext, resolveOptions, testDims, useCpuBackend, type TensorData } from '@archzoo/testkit';
import { zLoss, type ZLossOptions } from './z-loss.js';

describeConformance(zLoss, {
  cases: [{ name: 'defaults' }, { name: 'OLMo 2 coefficient', options: { coefficient: 1e-5 } }, { name: 'coefficient 0.5', options: { coefficient: 0.5 } }],
  golden: { fixture: new URL('./__fixtures__/z_loss.json', import.meta.url) },
  invalid: [
    { name: 'a negative coefficient', options: { coefficient: -1e-4 }, message: 'stability.coefficient must be >= 0' },
    { name: 'an unknown option', options: { weight: 1 }, message: 'stability.weight is not an option of "z_loss"' },
  ],
});

/** Written by gen_stability.py: logits [N, V], weights [N], and the z-loss value and gradient. */
interface GradientFixture {
  coefficient: number;
  count: number;
  logits: TensorData;
  weight: TensorData;
  loss: number;
  gradient: TensorData;
}

const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/z_loss_gradient.json', import.meta.url), 'utf8')) as GradientFixture;

describe('z_loss through the logits', () => {
  useCpuBackend();
  const options = resolveOptions(zLoss, { coefficient: fixture.coefficient }) as ZLossOptions;
  const ctx = makeContext(testDims());
  const zLossOfLogits = (weightN: Tensor) => (logitsNV: Tensor) =>
    zLoss.loss!({ logsumexpN: tf.logSumExp(logitsNV, 1), weightN, count: fixture.count }, options, ctx);

  it('matches the fixture value', () => {
    const [logits, weight] = [tf.tensor(fixture.logits.data, fixture.logits.shape), tf.tensor(fixture.weight.data)];
    const loss = zLossOfLogits(weight)(logits);
    expectClose(loss, { shape: [], data: [fixture.loss] }, { atol: 1e-9, rtol: 1e-5 }, 'z-loss value');
    tf.dispose([logits, weight, loss]);
  });

  it('has gradient 2 * coef * w * lse * softmax / count', () => {
    const [logits, weight] = [tf.tensor(fixture.logits.data, fixture.logits.shape), tf.tensor(fixture.weight.data)];
    const gradient = tf.grad(zLossOfLogits(weight))(logits);
    // Gradient entries are near 1e-3; float32 logsumexp and softmax keep about 6 digits.
    expectClose(gradient, fixture.gradient, { atol: 1e-9, rtol: 1e-4 }, 'd z-loss / d logits');
    tf.dispose([logits, weight, gradient]);
  });

  it('gives padded rows a zero gradient', () => {
    const [logits, weight] = [tf.tensor(fixture.logits.data, fixture.logits.shape), tf.tensor(fixture.weight.data)];
    const gradient = tf.grad(zLossOfLogits(weight))(logits);
    const padded = fixture.weight.data.indexOf(0);
    const [, vocab] = fixture.logits.shape;
    expect(Array.from(gradient.dataSync().slice(padded * vocab, (padded + 1) * vocab))).toEqual(new Array(vocab).fill(0));
    tf.dispose([logits, weight, gradient]);
  });

  it('matches finite differences', () => {
    const [logits, weight] = [tf.tensor(fixture.logits.data, fixture.logits.shape), tf.tensor(fixture.weight.data)];
    // With coefficient 0.01 the loss is near 0.1, so float32 noise stays well under the tolerance.
    const [entry] = gradCheck(zLossOfLogits(weight), [logits], { names: ['logits'] });
    expect(entry.analyticNorm).toBeGreaterThan(1e-3);
    tf.dispose([logits, weight]);
  });

  it('leaks no tensors in its gradient', () => {
    const [logits, weight] = [tf.tensor(fixture.logits.data, fixture.logits.shape), tf.tensor(fixture.weight.data)];
    expectNoLeaks(() => tf.grad(zLossOfLogits(weight))(logits), { keep: [logits, weight], label: 'z_loss gradient' });
    tf.dispose([logits, weight]);
  });
});
