// Legend: N predicted tokens (B*T), V vocabulary.
/**
 * The fused softmax cross-entropy pair. These kernel names exist only in archzoo: there is
 * no stock kernel to defer to, so invalid inputs raise errors here.
 *
 * ArchzooSoftmaxCrossEntropy: {logits [N, V] float32, labels [N] int32} ->
 *   [loss [N] = logsumexp - logits[label] (0 where label < 0), logsumexp [N]].
 * ArchzooSoftmaxCrossEntropyGrad: {logits, labels, logsumexp, dLoss, dLogsumexp} ->
 *   dLogits [N, V] = softmax * (dLoss + dLogsumexp) - onehot(label) * dLoss,
 *   and softmax * dLogsumexp in rows whose label is negative.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { describeTensor, requireFloatValues, type NativeKernelArgs } from '../cpu-backend.js';
import type { NativeAddon } from '../native-binding.js';
import { uninitializedFloat32 } from '../alloc.js';

export const SOFTMAX_CROSS_ENTROPY = 'ArchzooSoftmaxCrossEntropy';
export const SOFTMAX_CROSS_ENTROPY_GRAD = 'ArchzooSoftmaxCrossEntropyGrad';

function readShapes(args: NativeKernelArgs): { rows: number; vocab: number; labels: Int32Array } {
  const { logits, labels } = args.inputs;
  if (!logits || logits.dtype !== 'float32' || logits.shape.length !== 2) {
    throw new TypeError(`logits must be float32 [N, V], got ${describeTensor(logits)}`);
  }
  const [rows, vocab] = logits.shape as [number, number];
  if (!labels || labels.dtype !== 'int32' || labels.shape.length !== 1 || labels.shape[0] !== rows) {
    throw new TypeError(`labels must be int32 [${rows}] to match logits [${rows}, ${vocab}], got ${describeTensor(labels)}; cast them with tf.cast(labels, 'int32')`);
  }
  const values = args.backend.data.get(labels.dataId)?.values;
  if (!(values instanceof Int32Array)) throw new TypeError('labels have no int32 cpu values; run the kernel on the cpu backend');
  return { rows, vocab, labels: values };
}

function badLabel(labels: Int32Array, row: number, vocab: number): RangeError {
  return new RangeError(`label ${labels[row]} in row ${row} is out of range: labels must be below V=${vocab}, or negative to ignore the row`);
}

export function softmaxCrossEntropy(args: NativeKernelArgs, addon: NativeAddon): TensorInfo[] {
  const { rows, vocab, labels } = readShapes(args);
  const logits = requireFloatValues(args.backend, args.inputs.logits, 'logits', [rows, vocab]);
  const loss = new Float32Array(rows);
  const logsumexp = new Float32Array(rows);
  if (rows > 0) {
    if (vocab === 0) throw new RangeError('logits must have at least one class (V >= 1), got V=0');
    const bad = addon.crossEntropy(logits, labels, loss, logsumexp, rows, vocab);
    if (bad !== -1) throw badLabel(labels, bad, vocab);
  }
  return [
    args.backend.makeTensorInfo([rows], 'float32', loss),
    args.backend.makeTensorInfo([rows], 'float32', logsumexp),
  ];
}

export function softmaxCrossEntropyGrad(args: NativeKernelArgs, addon: NativeAddon): TensorInfo {
  const { rows, vocab, labels } = readShapes(args);
  const logits = requireFloatValues(args.backend, args.inputs.logits, 'logits', [rows, vocab]);
  const logsumexp = requireFloatValues(args.backend, args.inputs.logsumexp, 'logsumexp', [rows]);
  const dLoss = requireFloatValues(args.backend, args.inputs.dLoss, 'dLoss', [rows]);
  const dLogsumexp = requireFloatValues(args.backend, args.inputs.dLogsumexp, 'dLogsumexp', [rows]);
  for (let row = 0; row < rows; row++) {
    if (labels[row]! >= vocab) throw badLabel(labels, row, vocab);
  }
  const dLogits = uninitializedFloat32(rows * vocab);
  if (dLogits.length > 0) addon.crossEntropyGrad(logits, labels, logsumexp, dLoss, dLogsumexp, dLogits, rows, vocab);
  return args.backend.makeTensorInfo([rows, vocab], 'float32', dLogits);
}
