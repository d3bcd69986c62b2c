import { beforeAll, describe, expect, it } from 'vitest';

import { SOFTCAP, SOFTCAP_GRAD } from './kernels/softcap.js';
import { registerNativeKernels, restoreStockKernels } from './register.js';
import { addonMissing, expectClose, randn, skipReason, tf, type Computed } from './testing/harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function computed(t: tf.Tensor): Computed {
  return { shape: t.shape.slice(), values: Float32Array.from(t.dataSync()) };
}

/** The contract written with stock tfjs ops: the reference the native kernels must match. */
function reference(x: tf.Tensor, cap: number): tf.Tensor {
  return tf.mul(tf.tanh(tf.div(x, cap)), cap);
}

// Shapes include a scalar, an empty tensor, odd sizes and one large enough to run on several
// threads (the kernels split work above 65,536 elements).
const SHAPES: number[][] = [[], [0], [1], [3, 5], [2, 3, 7], [300, 257]];

describe.skipIf(addonMissing)(`fused soft-capping ${skipReason}`, () => {
  beforeAll(() => {
    registerNativeKernels(tf, 'cpu', { kernels: [SOFTCAP, SOFTCAP_GRAD] });
    return () => {
      restoreStockKernels(tf);
    };
  });

  for (const shape of SHAPES) {
    for (const cap of [50, 0.5]) {
      it(`matches the reference for [${shape.join(', ')}], cap ${cap}`, () => {
        tf.tidy(() => {
          // Scale 40 spans the linear region, the bend and saturation for both caps.
          const x = tf.mul(randn(shape, 1), 40);
          const dy = randn(shape, 2);
          const y = tf.engine().runKernel(SOFTCAP, { x }, { cap }) as tf.Tensor;
          expectClose(computed(y), computed(reference(x, cap)));
          const dx = tf.engine().runKernel(SOFTCAP_GRAD, { dy, y }, { cap }) as tf.Tensor;
          const expected = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(reference(input, cap), dy)))(x);
          expectClose(computed(dx), computed(expected));
        });
      });
    }
  }

  it('stays accurate near zero', () => {
    tf.tidy(() => {
      const values = [1e-30, -3e-8, 1e-4, 0.0123, -0.2499, 0.25, 0.2501, -0.7, 3, -9.5];
      const y = tf.engine().runKernel(SOFTCAP, { x: tf.tensor1d(values) }, { cap: 1 }) as tf.Tensor;
      Array.from(y.dataSync()).forEach((got, i) => {
        const want = Math.tanh(values[i]!);
        expect(Math.abs(got - want), `tanh(${values[i]})`).toBeLessThanOrEqual(1e-6 * Math.abs(want));
      });
    });
  });

  it('saturates and keeps NaN', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([Infinity, -Infinity, 1e30, -1e30, Number.NaN]);
      const y = tf.engine().runKernel(SOFTCAP, { x }, { cap: 30 }) as tf.Tensor;
      const got = Array.from(y.dataSync());
      expect(got.slice(0, 4)).toEqual([30, -30, 30, -30]);
      expect(got[4]).toBeNaN();
    });
  });

  it('rejects a zero cap', () => {
    tf.tidy(() => {
      expect(() => tf.engine().runKernel(SOFTCAP, { x: tf.ones([2]) }, { cap: 0 })).toThrow(/cap must be a finite number > 0, got 0/);
    });
  });

  it('rejects mismatched gradient shapes', () => {
    tf.tidy(() => {
      const run = () => tf.engine().runKernel(SOFTCAP_GRAD, { dy: tf.ones([2, 3]), y: tf.ones([3, 2]) }, { cap: 5 });
      expect(run).toThrow(/y must be float32 \[2, 3\], got float32 \[3, 2\]/);
    });
  });
});
