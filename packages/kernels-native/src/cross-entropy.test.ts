// Legend: N rows (tokens), V vocabulary.
import { beforeAll, describe, expect, it } from 'vitest';

import { SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD } from './kernels/cross-entropy.js';
import { registerNativeKernels, restoreStockKernels } from './register.js';
import { addonMissing, expectClose, randn, skipReason, tf, type Computed } from './testing/harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function computed(t: tf.Tensor): Computed {
  return { shape: t.shape.slice(), values: Float32Array.from(t.dataSync()) };
}

/** One-hot rows built from a buffer, because tf.oneHot rejects depth 1. */
function oneHot(labels: number[], vocab: number): tf.Tensor {
  const buffer = tf.buffer([labels.length, vocab], 'float32');
  labels.forEach((label, row) => {
    if (label >= 0) buffer.set(1, row, label);
  });
  return buffer.toTensor();
}

/** The contract written with stock tfjs ops: the reference the native kernels must match. */
function referenceForward(logitsNV: tf.Tensor2D, labels: number[]): [tf.Tensor, tf.Tensor] {
  const lseN = tf.logSumExp(logitsNV, 1);
  const picked = tf.sum(tf.mul(logitsNV, oneHot(labels, logitsNV.shape[1])), 1);
  const valid = tf.tensor1d(labels.map((label) => (label < 0 ? 0 : 1)));
  return [tf.mul(tf.sub(lseN, picked), valid), lseN];
}

function referenceGrad(logitsNV: tf.Tensor2D, labels: number[], dLoss: tf.Tensor, dLse: tf.Tensor): tf.Tensor {
  const valid = tf.tensor1d(labels.map((label) => (label < 0 ? 0 : 1)));
  const dLossValid = tf.mul(dLoss, valid);
  const onehot = oneHot(labels, logitsNV.shape[1]);
  const probs = tf.softmax(logitsNV);
  return tf.sub(tf.mul(probs, tf.expandDims(tf.add(dLossValid, dLse), 1)), tf.mul(onehot, tf.expandDims(dLossValid, 1)));
}

const CASES: Array<{ rows: number; vocab: number; labels: number[] }> = [
  { rows: 1, vocab: 1, labels: [0] },
  { rows: 3, vocab: 5, labels: [4, -1, 0] },
  { rows: 4, vocab: 1000, labels: [999, 3, -100, 512] },
];

describe.skipIf(addonMissing)(`fused softmax cross-entropy ${skipReason}`, () => {
  beforeAll(() => {
    registerNativeKernels(tf, 'cpu', { kernels: [SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD] });
    return () => {
      restoreStockKernels(tf);
    };
  });

  for (const { rows, vocab, labels } of CASES) {
    it(`forward matches the op-level reference for N=${rows} V=${vocab}`, () => {
      tf.tidy(() => {
        const logits = tf.mul(randn([rows, vocab], 1), 3) as tf.Tensor2D;
        const [loss, lse] = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, {
          logits,
          labels: tf.tensor1d(labels, 'int32'),
        }) as tf.Tensor[];
        const [refLoss, refLse] = referenceForward(logits, labels);
        expectClose(computed(loss!), computed(refLoss));
        expectClose(computed(lse!), computed(refLse));
        labels.forEach((label, row) => {
          if (label < 0) expect(loss!.dataSync()[row]).toBe(0);
        });
      });
    });

    it(`gradient matches the op-level reference for N=${rows} V=${vocab}`, () => {
      tf.tidy(() => {
        const logits = tf.mul(randn([rows, vocab], 2), 3) as tf.Tensor2D;
        const labelsN = tf.tensor1d(labels, 'int32');
        const [, lse] = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, labels: labelsN }) as tf.Tensor[];
        const dLoss = randn([rows], 3);
        const dLse = randn([rows], 4);
        const dLogits = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY_GRAD, {
          logits,
          labels: labelsN,
          logsumexp: lse!,
          dLoss,
          dLogsumexp: dLse,
        }) as tf.Tensor;
        expectClose(computed(dLogits), computed(referenceGrad(logits, labels, dLoss, dLse)));
      });
    });
  }

  it('gradient agrees with tf.grad of the reference loss', () => {
    tf.tidy(() => {
      const labels = [2, 0, -1];
      const logits = randn([3, 6], 5) as tf.Tensor2D;
      const weights = randn([3], 6);
      const expected = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(referenceForward(x as tf.Tensor2D, labels)[0], weights)))(logits);
      const labelsN = tf.tensor1d(labels, 'int32');
      const [, lse] = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, labels: labelsN }) as tf.Tensor[];
      const dLogits = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY_GRAD, {
        logits,
        labels: labelsN,
        logsumexp: lse!,
        dLoss: weights,
        dLogsumexp: tf.zeros([3]),
      }) as tf.Tensor;
      expectClose(computed(dLogits), computed(expected));
    });
  });

  it('rejects a label at or above V', () => {
    tf.tidy(() => {
      const run = () =>
        tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits: tf.zeros([2, 4]), labels: tf.tensor1d([1, 4], 'int32') });
      expect(run).toThrow(/label 4 in row 1 is out of range: labels must be below V=4/);
    });
  });

  it('rejects float32 labels', () => {
    tf.tidy(() => {
      const run = () => tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits: tf.zeros([2, 4]), labels: tf.tensor1d([1, 2]) });
      expect(run).toThrow(/labels must be int32 \[2\]/);
    });
  });

  it('stays finite for large logits', () => {
    tf.tidy(() => {
      const logits = tf.tensor2d([[1000, -1000, 0], [-1e9, 0, 1e9]]);
      const [loss, lse] = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, labels: tf.tensor1d([0, 1], 'int32') }) as tf.Tensor[];
      expect(Array.from(loss!.dataSync())).toEqual([0, 1e9]);
      expect(Array.from(lse!.dataSync())).toEqual([1000, 1e9]);
    });
  });
});
