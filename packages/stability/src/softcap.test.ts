import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor } from '@archzoo/core';
import { useCpuBackend } from '@archzoo/testkit';
import { SOFTCAP_GRAD_KERNEL, SOFTCAP_KERNEL, softcap } from './softcap.js';

type CpuBackend = { data: { get(id: object): { values: Float32Array } }; makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): unknown };

const calls = { forward: 0, backward: 0 };

/** Registers plain JavaScript bodies under the fused kernel names, counting their calls. */
function registerFusedKernels(): void {
  const read = (backend: CpuBackend, info: tf.TensorInfo) => backend.data.get(info.dataId).values;
  tf.registerKernel({
    kernelName: SOFTCAP_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      calls.forward += 1;
      const cpu = backend as unknown as CpuBackend;
      const cap = Number(attrs!.cap);
      const x = read(cpu, inputs.x!);
      return cpu.makeTensorInfo(inputs.x!.shape, 'float32', x.map((v) => cap * Math.tanh(v / cap))) as tf.TensorInfo;
    },
  });
  tf.registerKernel({
    kernelName: SOFTCAP_GRAD_KERNEL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      calls.backward += 1;
      const cpu = backend as unknown as CpuBackend;
      const cap = Number(attrs!.cap);
      const dy = read(cpu, inputs.dy!);
      const y = read(cpu, inputs.y!);
      return cpu.makeTensorInfo(inputs.dy!.shape, 'float32', dy.map((v, i) => v * (1 - (y[i]! / cap) ** 2))) as tf.TensorInfo;
    },
  });
}

function valueAndGrad(x: Tensor, dy: Tensor, cap: number): { value: number[]; grad: number[] } {
  return tf.tidy(() => {
    const grad = tf.grad((input: Tensor) => tf.sum(tf.mul(softcap(input, cap), dy)))(x);
    return { value: Array.from(softcap(x, cap).dataSync()), grad: Array.from(grad.dataSync()) };
  });
}

describe('softcap kernel dispatch', () => {
  useCpuBackend();
  let x: Tensor;
  let dy: Tensor;
  let composed: { value: number[]; grad: number[] };
  beforeAll(() => {
    x = tf.tensor2d([[-90, -3, -0.01, 0], [0.5, 7, 40, 1e4]]);
    dy = tf.tensor2d([[1, -2, 0.5, 3], [-1, 0.25, 2, 1]]);
    composed = valueAndGrad(x, dy, 30);
    registerFusedKernels();
  });
  afterAll(() => {
    tf.dispose([x, dy]);
    tf.unregisterKernel(SOFTCAP_KERNEL, 'cpu');
    tf.unregisterKernel(SOFTCAP_GRAD_KERNEL, 'cpu');
  });

  it('uses registered fused kernels', () => {
    const before = tf.memory().numTensors;
    const fused = valueAndGrad(x, dy, 30);
    expect(calls.forward).toBeGreaterThan(0);
    expect(calls.backward).toBe(1);
    fused.value.forEach((v, i) => expect(v).toBeCloseTo(composed.value[i]!, 4));
    fused.grad.forEach((g, i) => expect(g).toBeCloseTo(composed.grad[i]!, 5));
    expect(tf.memory().numTensors).toBe(before);
  });
});
