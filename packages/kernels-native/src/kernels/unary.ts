// Legend: shapes are any rank; every kernel maps [...] -> [...] elementwise.
/**
 * Float32 unary kernels with the stock cpu formulas. Exp, Sigmoid, Elu and Erf use a
 * polynomial exp with about 2e-7 relative error instead of Math.exp.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

import { floatValues, type NativeKernelArgs, type NativeKernelImpl } from '../cpu-backend.js';
import { UnaryOp, type NativeAddon, type UnaryOpCode } from '../native-binding.js';
import { uninitializedFloat32 } from '../alloc.js';

function unaryKernel(op: UnaryOpCode): NativeKernelImpl {
  return (args: NativeKernelArgs, addon: NativeAddon): TensorInfo | null => {
    const { x } = args.inputs;
    const xValues = floatValues(args.backend, x);
    if (!x || !xValues) return null;
    let alpha = 0;
    let beta = 0;
    if (op === UnaryOp.LeakyRelu) alpha = Number(args.attrs.alpha ?? 0.2);
    if (op === UnaryOp.ClipByValue) {
      alpha = Number(args.attrs.clipValueMin);
      beta = Number(args.attrs.clipValueMax);
    }
    const out = uninitializedFloat32(xValues.length);
    addon.unary(op, xValues, out, alpha, beta);
    return args.backend.makeTensorInfo(x.shape, 'float32', out);
  };
}

/** Kernel name -> native body, for every unary kernel this package replaces. */
export const unaryKernels: Record<string, NativeKernelImpl> = {
  Exp: unaryKernel(UnaryOp.Exp),
  Log: unaryKernel(UnaryOp.Log),
  Neg: unaryKernel(UnaryOp.Neg),
  Sqrt: unaryKernel(UnaryOp.Sqrt),
  Rsqrt: unaryKernel(UnaryOp.Rsqrt),
  Square: unaryKernel(UnaryOp.Square),
  Tanh: unaryKernel(UnaryOp.Tanh),
  Sigmoid: unaryKernel(UnaryOp.Sigmoid),
  Erf: unaryKernel(UnaryOp.Erf),
  Relu: unaryKernel(UnaryOp.Relu),
  Relu6: unaryKernel(UnaryOp.Relu6),
  Elu: unaryKernel(UnaryOp.Elu),
  LeakyRelu: unaryKernel(UnaryOp.LeakyRelu),
  Abs: unaryKernel(UnaryOp.Abs),
  Reciprocal: unaryKernel(UnaryOp.Reciprocal),
  ClipByValue: unaryKernel(UnaryOp.ClipByValue),
};
