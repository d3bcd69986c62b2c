import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adapterLabel, describeAdapter, gpuDeviceNodes } from './webgpu.js';

describe('describeAdapter', () => {
  // The fields Dawn 0.6.2 (the `webgpu` package) reports for SwiftShader from chromium-common 5.0.0.
  const swiftshader = {
    vendor: 'google',
    architecture: 'swiftshader',
    device: 'swiftshader-device-subzero-',
    description: 'SwiftShader driver 5.0.0',
    isFallbackAdapter: true,
  };

  it('marks SwiftShader as a CPU adapter', () => {
    expect(describeAdapter(swiftshader, undefined).cpuAdapter).toBe(true);
  });

  it('marks software drivers by name', () => {
    const info = describeAdapter({ vendor: 'mesa', architecture: '', device: 'llvmpipe (LLVM 15.0.6, 256 bits)', description: '' }, false);
    expect(info.cpuAdapter).toBe(true);
  });

  it('honours the fallback flag on the adapter', () => {
    expect(describeAdapter({ vendor: 'unknown' }, true).cpuAdapter).toBe(true);
  });

  it('keeps a GPU adapter', () => {
    const info = describeAdapter({ vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA: 550.54.15' }, false);
    expect(info).toEqual({ vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA: 550.54.15', cpuAdapter: false });
  });

  it('ignores fields that are not strings', () => {
    expect(describeAdapter({ vendor: 7, architecture: null }, false)).toMatchObject({ vendor: '', architecture: '' });
  });
});

describe('adapterLabel', () => {
  it('joins the names and the description', () => {
    const info = describeAdapter({ vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader driver 5.0.0' }, true);
    expect(adapterLabel(info)).toBe('google swiftshader (SwiftShader driver 5.0.0)');
  });

  it('names an adapter without fields', () => {
    expect(adapterLabel(describeAdapter({}, false))).toBe('unnamed adapter');
  });
});

describe('gpuDeviceNodes', () => {
  it('lists only device nodes that exist', () => {
    for (const node of gpuDeviceNodes()) {
      expect(node).toMatch(/^\/dev\/(nvidia\d+|dri\/renderD\d+)$/);
      expect(existsSync(node)).toBe(true);
    }
  });
});
