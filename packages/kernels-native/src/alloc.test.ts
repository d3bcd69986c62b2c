import { afterEach, describe, expect, it } from 'vitest';

import { setOutputPoisoning, uninitializedFloat32 } from './alloc.js';
import { loadNativeAddon } from './load-addon.js';

describe('uninitializedFloat32', () => {
  afterEach(() => setOutputPoisoning(true));

  it.each([0, 1, 16_383, 16_384, 1_000_003])('owns a whole buffer of %i elements', (length) => {
    const values = uninitializedFloat32(length);
    expect(values).toBeInstanceOf(Float32Array);
    expect(values.length).toBe(length);
    expect(values.byteOffset).toBe(0);
    expect(values.buffer.byteLength).toBe(length * 4);
  });

  it('gives separate buffers to separate calls', () => {
    const first = uninitializedFloat32(20_000);
    const second = uninitializedFloat32(20_000);
    first.fill(1);
    second.fill(2);
    expect(first[0]).toBe(1);
  });

  it('fills outputs with NaN while poisoning', () => {
    setOutputPoisoning(true);
    expect(uninitializedFloat32(10).every(Number.isNaN)).toBe(true);
    expect(uninitializedFloat32(20_000).every(Number.isNaN)).toBe(true);
  });
});

const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime;

describe.skipIf(!glibc)('malloc tuning', () => {
  const status = loadNativeAddon();

  it.skipIf(!status.ok)('is applied on glibc', () => {
    expect(status.ok).toBe(true);
    expect(status.ok ? status.mallocTuned : undefined).toBe(true);
  });
});
