// Legend: B batch, M rows, N columns of the product.
/**
 * _FusedMatMul: matMul, then an optional bias add (broadcast onto [...B, M, N]), then an
 * activation, all in one output buffer. The stock cpu kernel calls its own JS matMul
 * directly, so it needs this separate override. The 'prelu' activation goes to the stock kernel.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { broadcastShape } from '../broadcast.js';
import { floatValues, type NativeKernelArgs } from '../cpu-backend.js';
import { BinaryOp, UnaryOp, type NativeAddon, type UnaryOpCode } from '../native-binding.js';
import { binaryInto } from './binary.js';
import { matMulValues } from './mat-mul.js';

const ACTIVATIONS: Record<string, UnaryOpCode | null> = {
  linear: null,
  relu: UnaryOp.Relu,
  relu6: UnaryOp.Relu6,
  elu: UnaryOp.Elu,
  sigmoid: UnaryOp.Sigmoid,
  leakyrelu: UnaryOp.LeakyRelu,
};

export function fusedMatMul(args: NativeKernelArgs, addon: NativeAddon): TensorInfo | null {
  const { a, b, bias } = args.inputs;
  const activation = String(args.attrs.activation ?? 'linear');
  if (!(activation in ACTIVATIONS)) return null;

  let biasValues: Float32Array | null = null;
  if (bias) {
    biasValues = floatValues(args.backend, bias);
    if (!biasValues) return null;
  }

  const transposeA = Boolean(args.attrs.transposeA);
  const transposeB = Boolean(args.attrs.transposeB);
  const product = matMulValues(addon, args, a, b, transposeA, transposeB);
  if (!product) return null;
  const { shape, values } = product;

  if (bias && biasValues) {
    const withBias = broadcastShape(shape, bias.shape);
    // A bias that would grow the output shape is left to the stock kernel's checks.
    if (!withBias || withBias.length !== shape.length || withBias.some((dim, i) => dim !== shape[i])) return null;
    if (values.length > 0) binaryInto(addon, BinaryOp.Add, values, shape, biasValues, bias.shape, values, shape);
  }

  const op = ACTIVATIONS[activation];
  if (op != null && values.length > 0) {
    const alpha = Number(args.attrs.leakyreluAlpha ?? 0.2);
    addon.unary(op, values, values, alpha);
  }
  return args.backend.makeTensorInfo(shape, 'float32', values);
}
