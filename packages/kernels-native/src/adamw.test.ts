// Legend: shapes are any rank; param, m, v and grad share one shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ADAMW } from './kernels/adamw.js';
import { registerNativeKernels, restoreStockKernels } from './register.js';
import { addonMissing, randn, skipReason, tf } from './testing/harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ATTRS = { beta1: 0.9, beta2: 0.95, eps: 1e-8, decayFactor: 1 - 3e-3 * 0.1, stepSize: 3e-3 / (1 - 0.9 ** 3), sqrtBiasCorrection2: Math.sqrt(1 - 0.95 ** 3) };

/**
 * Computes the update exactly as @archzoo/core's JavaScript cpu kernel does
 * (packages/core/src/kernels/adamw-cpu.ts), including every Math.fround.
 */
function referenceAdamW(p: Float32Array, mIn: Float32Array, vIn: Float32Array, g: Float32Array, attrs: typeof ATTRS): Float32Array[] {
  const { beta1, beta2, eps, decayFactor, stepSize, sqrtBiasCorrection2 } = attrs;
  const n = p.length;
  const pOut = new Float32Array(n);
  const mOut = new Float32Array(n);
  const vOut = new Float32Array(n);
  const oneMinusBeta1 = Math.fround(1 - beta1);
  const oneMinusBeta2 = Math.fround(1 - beta2);
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const mi = Math.fround(Math.fround(mIn[i]! * beta1) + Math.fround(gi * oneMinusBeta1));
    const vi = Math.fround(Math.fround(vIn[i]! * beta2) + Math.fround(Math.fround(gi * gi) * oneMinusBeta2));
    const denom = Math.fround(Math.fround(Math.sqrt(vi) / sqrtBiasCorrection2) + eps);
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = Math.fround(p[i]! * decayFactor) - Math.fround(Math.fround(mi / denom) * stepSize);
  }
  return [pOut, mOut, vOut];
}

describe.skipIf(addonMissing)(`ArchzooAdamW native ${skipReason}`, () => {
  beforeAll(() => {
    registerNativeKernels(tf, 'cpu', { kernels: [ADAMW] });
  });
  afterAll(() => {
    restoreStockKernels(tf);
  });

  for (const shape of [[1], [3, 5, 7], [300, 257]]) {
    it(`matches the reference bit for bit on [${shape}]`, () => {
      tf.tidy(() => {
        const param = randn(shape, 1);
        const m = tf.mul(randn(shape, 2), 0.01);
        const v = tf.abs(tf.mul(randn(shape, 3), 1e-4));
        const grad = tf.mul(randn(shape, 4), 0.1);
        const outputs = tf.engine().runKernel(ADAMW, { param, m, v, grad }, ATTRS as unknown as tf.NamedAttrMap) as tf.Tensor[];
        const expected = referenceAdamW(
          param.dataSync() as Float32Array,
          m.dataSync() as Float32Array,
          v.dataSync() as Float32Array,
          grad.dataSync() as Float32Array,
          ATTRS,
        );
        outputs.forEach((output, i) => {
          expect(output.shape).toEqual(shape);
          expect(Array.from(output.dataSync())).toEqual(Array.from(expected[i]!));
        });
      });
    });
  }

  it('handles zero moments and zero gradients', () => {
    tf.tidy(() => {
      const zeros = tf.zeros([4]);
      const [param, m, v] = tf.engine().runKernel(ADAMW, { param: tf.ones([4]), m: zeros, v: zeros, grad: zeros }, ATTRS as unknown as tf.NamedAttrMap) as tf.Tensor[];
      expect(Array.from(m!.dataSync())).toEqual([0, 0, 0, 0]);
      expect(Array.from(v!.dataSync())).toEqual([0, 0, 0, 0]);
      expect(param!.dataSync()[0]).toBe(Math.fround(ATTRS.decayFactor));
    });
  });

  it('rejects a gradient of another shape', () => {
    tf.tidy(() => {
      const run = () => tf.engine().runKernel(ADAMW, { param: tf.ones([4]), m: tf.zeros([4]), v: tf.zeros([4]), grad: tf.zeros([5]) }, ATTRS as unknown as tf.NamedAttrMap);
      expect(run).toThrow(/ArchzooAdamW: grad must be float32 \[4\], got float32 \[5\]/);
    });
  });
});
