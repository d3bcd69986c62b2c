import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_POOL_MB, clearPool, poolStats, setPoolLimit } from './pool.js';
import { registerNativeKernels, restoreStockKernels } from './register.js';
import { addonMissing, randn, skipReason, tf } from './testing/harness.js';

interface CpuStorage {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
  disposeData(dataId: object): boolean;
}

const cpu = () => tf.backend() as unknown as CpuStorage;
const bufferOf = (t: tf.Tensor) => cpu().data.get(t.dataId).values.buffer;

// 200 x 200 products have 40,000 elements, above the 16,384 below which outputs are not pooled.
const N = 200;

describe.skipIf(addonMissing)(`output buffer pool ${skipReason}`, () => {
  let a: tf.Tensor;
  let b: tf.Tensor;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    registerNativeKernels(tf);
    a = randn([N, N], 1);
    b = randn([N, N], 2);
    return () => {
      tf.dispose([a, b]);
      restoreStockKernels(tf);
    };
  });

  afterEach(() => {
    setPoolLimit(DEFAULT_POOL_MB);
    clearPool();
  });

  it('gives a disposed product buffer to the next product of its size', () => {
    const first = tf.matMul(a, b);
    const buffer = bufferOf(first);
    first.dispose();
    expect(poolStats().freeBytes).toBe(N * N * 4);
    const second = tf.matMul(b, a);
    expect(bufferOf(second)).toBe(buffer);
    expect(poolStats()).toMatchObject({ reused: 1, freeBytes: 0 });
    second.dispose();
  });

  it('never reuses values that dataSync handed out', () => {
    const first = tf.matMul(a, b);
    const values = first.dataSync();
    const copy = Float32Array.from(values);
    first.dispose();
    expect(poolStats().freeBytes).toBe(0);
    const second = tf.matMul(b, a);
    expect(bufferOf(second)).not.toBe(values.buffer);
    expect(values).toEqual(copy);
    second.dispose();
  });

  it('never reuses values that data() handed out', async () => {
    const first = tf.matMul(a, b);
    const values = await first.data();
    first.dispose();
    const second = tf.matMul(b, a);
    expect(bufferOf(second)).not.toBe(values.buffer);
    second.dispose();
  });

  it('keeps a buffer while another tensor shares it', () => {
    // The stock Slice kernel returns a subarray of its input for contiguous slices.
    const product = tf.matMul(a, b);
    const head = cpu().makeTensorInfo([10], 'float32', cpu().data.get(product.dataId).values.subarray(0, 10));
    const expected = Float32Array.from(cpu().data.get(head.dataId).values);
    product.dispose();
    expect(poolStats().freeBytes).toBe(0);
    const other = tf.matMul(b, a);
    expect(cpu().data.get(head.dataId).values).toEqual(expected);
    cpu().disposeData(head.dataId);
    expect(poolStats().freeBytes).toBe(N * N * 4);
    other.dispose();
  });

  it('honours a lowered limit', () => {
    const first = tf.matMul(a, b);
    first.dispose();
    expect(poolStats().freeBytes).toBe(N * N * 4);
    setPoolLimit(0);
    expect(poolStats().freeBytes).toBe(0);
    const second = tf.matMul(a, b);
    second.dispose();
    expect(poolStats()).toMatchObject({ reused: 0, freeBytes: 0 });
  });

  it('rejects a limit that is not a whole number of MiB', () => {
    for (const limit of [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY]) expect(() => setPoolLimit(limit)).toThrow(RangeError);
  });

  it('leaves user arrays alone', () => {
    const values = new Float32Array(N * N).fill(3);
    const t = tf.tensor2d(values, [N, N]);
    t.dispose();
    expect(poolStats().freeBytes).toBe(0);
    expect(values.every((v) => v === 3)).toBe(true);
  });

  it('gives training steps bitwise the same values with and without reuse', () => {
    // A two-layer network trained for a few SGD steps: products, GELU, softmax cross-entropy
    // and their gradients all allocate pooled outputs.
    const train = () => {
      const w1 = tf.tidy(() => tf.variable(randn([64, 256], 3).mul(0.1)));
      const w2 = tf.tidy(() => tf.variable(randn([256, 64], 4).mul(0.1)));
      const x = randn([128, 64], 5);
      const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 128 }, (_, i) => (i * 7) % 64), 'int32'), 64));
      const optimizer = tf.train.sgd(0.1);
      const losses: number[] = [];
      for (let step = 0; step < 5; step++) {
        const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, tf.matMul(tf.relu(tf.matMul(x, w1)), w2)), true)!;
        losses.push(loss.dataSync()[0]!);
        loss.dispose();
      }
      const weights = [Float32Array.from(w1.dataSync()), Float32Array.from(w2.dataSync())];
      tf.dispose([w1, w2, x, labels]);
      optimizer.dispose();
      return { losses, weights };
    };
    const tensorsBefore = tf.memory().numTensors;
    setPoolLimit(0);
    const fresh = train();
    setPoolLimit(DEFAULT_POOL_MB);
    const pooled = train();
    expect(poolStats().reused).toBeGreaterThan(10);
    expect(pooled).toEqual(fresh);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
