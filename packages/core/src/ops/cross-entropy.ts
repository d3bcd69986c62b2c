// Legend: N predicted tokens (B*T), V vocabulary.
/**
 * Softmax cross-entropy from logits, with the per-row log-sum-exp exposed for z-loss. A backend
 * may register the fused kernels `ArchzooSoftmaxCrossEntropy` and
 * `ArchzooSoftmaxCrossEntropyGrad` (see @archzoo/kernels-native); otherwise this composes
 * standard TensorFlow.js ops, which compute the same values.
 */
import { tf, type Tensor } from '../tf.js';

export const SOFTMAX_XENT_KERNEL = 'ArchzooSoftmaxCrossEntropy';
export const SOFTMAX_XENT_GRAD_KERNEL = 'ArchzooSoftmaxCrossEntropyGrad';

function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** One-hot rows as float32 (built as int32 then cast: the wasm backend's float oneHot is wrong). */
function oneHotFloat(labelsN: Tensor, depth: number): Tensor {
  return tf.cast(tf.oneHot(labelsN as tf.Tensor1D, depth, 1, 0, 'int32'), 'float32');
}

function referenceForward(logitsNV: Tensor, labelsN: Tensor): [Tensor, Tensor] {
  return tf.tidy(() => {
    const lseN = tf.logSumExp(logitsNV, 1);
    const pickedN = tf.sum(tf.mul(logitsNV, oneHotFloat(labelsN, logitsNV.shape[1]!)), 1);
    const validN = tf.cast(tf.greaterEqual(labelsN, 0), 'float32');
    return [tf.mul(tf.sub(lseN, pickedN), validN), lseN];
  });
}

function referenceGrad(logitsNV: Tensor, labelsN: Tensor, lseN: Tensor, dLossN: Tensor, dLseN: Tensor): Tensor {
  return tf.tidy(() => {
    const probsNV = tf.exp(tf.sub(logitsNV, tf.expandDims(lseN, 1)));
    const validN = tf.cast(tf.greaterEqual(labelsN, 0), 'float32');
    const dLossValidN = tf.mul(dLossN, validN);
    const scaledNV = tf.mul(probsNV, tf.expandDims(tf.add(dLossValidN, dLseN), 1));
    return tf.sub(scaledNV, tf.mul(oneHotFloat(labelsN, logitsNV.shape[1]!), tf.expandDims(dLossValidN, 1)));
  });
}

/**
 * Per-token cross-entropy `lossN` [N] (0 where the label is negative) and `lseN` [N], both
 * differentiable with respect to `logitsNV` [N, V]. `labelsN` is int32 [N].
 */
export function softmaxCrossEntropy(logitsNV: Tensor, labelsN: Tensor): { lossN: Tensor; lseN: Tensor } {
  const fused = hasKernel(SOFTMAX_XENT_KERNEL) && hasKernel(SOFTMAX_XENT_GRAD_KERNEL);
  // customGrad returns a single tensor, so the two outputs travel stacked as [2, N].
  const op = tf.customGrad(((logits: Tensor, save: tf.GradSaveFunc) => {
    const [lossN, lseN] = fused
      ? (tf.engine().runKernel(SOFTMAX_XENT_KERNEL, { logits, labels: labelsN }) as Tensor[])
      : referenceForward(logits, labelsN);
    save([logits, lseN, labelsN]);
    const stacked2N = tf.stack([lossN, lseN]);
    lossN.dispose();
    return {
      value: stacked2N,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [dLossN, dLseN] = tf.unstack(dy as Tensor);
        const [savedLogits, savedLse, savedLabels] = saved;
        const dLogits = fused
          ? (tf.engine().runKernel(SOFTMAX_XENT_GRAD_KERNEL, {
              logits: savedLogits,
              labels: savedLabels,
              logsumexp: savedLse,
              dLoss: dLossN,
              dLogsumexp: dLseN,
            }) as Tensor)
          : referenceGrad(savedLogits, savedLabels!, savedLse, dLossN, dLseN);
        return [dLogits];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const [lossN, lseN] = tf.unstack(op(logitsNV) as Tensor);
  return { lossN, lseN };
}
