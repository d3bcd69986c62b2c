// Checks the webgpu backend against the cpu backend on SwiftShader, a CPU implementation of
// Vulkan: plugin outputs (norms, RoPE, attention, SwiGLU) and 20 training steps of a tiny LLaMA-
// layout model. Each backend runs in its own Node process (webgpu/phase.mjs), so every tensor is
// created after its backend is selected. SwiftShader is far too slow to train on; this suite
// checks correctness only. The phases import the built packages, so `pnpm build` comes first.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const PHASE = join(import.meta.dirname, 'webgpu', 'phase.mjs');
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const ICD = process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICD;
const HOW_TO_ENABLE = 'to run it, `apt-get install libvulkan1 chromium-common` (or set VK_ICD_FILENAMES to another Vulkan driver)';

// Float32 on both sides. The WGSL shaders sum in a different order from the cpu backend's loops,
// so outputs differ by rounding only. Measured on SwiftShader 5.0.0 (Debian 12 chromium-common):
// at most 1.9e-6 absolute on outputs up to 30, and 1.8e-4 on attention input gradients up to 288.
const FORWARD_TOLERANCE = { atol: 1e-5, rtol: 1e-4 };
// The rounding differences in the gradients compound through 20 AdamW steps, so the weights drift
// slightly apart and the losses are compared instead. Measured: at most 2.4e-6 apart over 20 steps.
const LOSS_TOLERANCE = 1e-4;

interface TensorValues {
  shape: number[];
  values: number[];
}

interface PhaseResult {
  backend: { name: string; tfBackend: string; detail: Record<string, unknown>; skipped: string[] };
  forward: Record<string, Record<string, TensorValues>>;
  losses: number[];
  forwardMs: number;
  trainMs: number;
  snapshot: { tensors: number; finite: boolean };
}

function vulkanLoaderPresent(): boolean {
  try {
    process.dlopen({ exports: {} }, 'libvulkan.so.1');
  } catch (error) {
    // Loaded, but not a Node addon: the loader is installed.
    return !/cannot open shared object file/.test(String(error));
  }
  return true;
}

function unavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `this suite drives Vulkan on Linux only (platform ${process.platform})`;
  if (!vulkanLoaderPresent()) return `the Vulkan loader libvulkan.so.1 is not installed; ${HOW_TO_ENABLE}`;
  if (!existsSync(ICD)) return `no Vulkan driver at ${ICD}; ${HOW_TO_ENABLE}`;
  return undefined;
}

const unavailable = unavailableReason();

async function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { cwd: import.meta.dirname, env, maxBuffer: 64 << 20 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

async function runPhase(backend: string): Promise<PhaseResult> {
  const env = { ...process.env, VK_ICD_FILENAMES: ICD, ARCHZOO_BACKEND: '' };
  const { stdout, stderr, code } = await runNode([PHASE, backend], env);
  if (code !== 0) throw new Error(`phase.mjs ${backend} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as PhaseResult;
}

/** Largest violation of |actual - expected| <= atol + rtol * |expected|, 0 when all pass. */
function worstExcess(actual: number[], expected: number[]): { excess: number; index: number } {
  let worst = { excess: 0, index: -1 };
  expected.forEach((want, i) => {
    const excess = Math.abs(actual[i]! - want) - (FORWARD_TOLERANCE.atol + FORWARD_TOLERANCE.rtol * Math.abs(want));
    if (excess > worst.excess) worst = { excess, index: i };
  });
  return worst;
}

describe('webgpu backend on SwiftShader', () => {
  let webgpu: PhaseResult;
  let cpu: PhaseResult;

  beforeAll(async () => {
    if (unavailable) return;
    if (!existsSync(join(ROOT, 'packages', 'core', 'dist', 'index.js'))) {
      throw new Error('the packages are not built; run `pnpm build` before this suite');
    }
    [webgpu, cpu] = await Promise.all([runPhase('webgpu'), runPhase('cpu')]);
  }, 600_000);

  it('selects the adapter and reports it', (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    expect(webgpu.backend.name).toBe('webgpu');
    expect(webgpu.backend.tfBackend).toBe('webgpu');
    expect(typeof webgpu.backend.detail.adapterVendor).toBe('string');
    if (ICD === SWIFTSHADER_ICD) {
      expect(webgpu.backend.detail.adapterArchitecture).toBe('swiftshader');
      expect(webgpu.backend.detail.cpuAdapter).toBe(true);
    }
  });

  const cases = [
    ['rmsnorm.apply', 'y'],
    ['layernorm.apply', 'y'],
    ['rope.rotate', 'q'],
    ['rope.rotate', 'k'],
    ['swiglu.apply', 'y'],
    ['causal.apply with rope, GQA', 'y'],
    ['causal.apply with rope, GQA', 'dx'],
  ] as const;

  it.for(cases)('%s output %s matches cpu', ([name, output], ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const got = webgpu.forward[name]![output]!;
    const want = cpu.forward[name]![output]!;
    expect(got.shape).toEqual(want.shape);
    const { excess, index } = worstExcess(got.values, want.values);
    expect(excess, `element ${index}: webgpu ${got.values[index]}, cpu ${want.values[index]}`).toBe(0);
  });

  it('trains 20 steps with cpu losses', (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    expect(webgpu.losses).toHaveLength(20);
    webgpu.losses.forEach((loss, step) => {
      expect(Math.abs(loss - cpu.losses[step]!), `step ${step + 1}: webgpu ${loss}, cpu ${cpu.losses[step]}`).toBeLessThanOrEqual(LOSS_TOLERANCE);
    });
    // target = 5 * input + 3 (mod 64) is learnable, so training must lower the loss.
    expect(webgpu.losses.at(-1)!).toBeLessThan(webgpu.losses[0]! - 1);
  });

  it('reads a snapshot back asynchronously', (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    expect(webgpu.snapshot.tensors).toBe(cpu.snapshot.tensors);
    expect(webgpu.snapshot.tensors).toBeGreaterThan(0);
    expect(webgpu.snapshot.finite).toBe(true);
  });
});

describe('webgpu backend selection', () => {
  const select = (requested: string, icd: string) =>
    runNode(
      [
        '--input-type=module',
        '-e',
        `import { selectBackend } from '@archzoo/core';
         try { const info = await selectBackend('${requested}', process.env); console.log(JSON.stringify(info)); }
         catch (error) { console.log(JSON.stringify({ error: error.message })); }`,
      ],
      { ...process.env, VK_ICD_FILENAMES: icd, ARCHZOO_BACKEND: '' },
    ).then(({ stdout }) => JSON.parse(stdout.trim().split('\n').at(-1)!) as { error?: string; name?: string; skipped?: string[] });

  it('explains a missing Vulkan driver', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const result = await select('webgpu', '/nonexistent/icd.json');
    expect(result.error).toMatch(/^backend webgpu is not available \(no WebGPU adapter: Dawn found no usable Vulkan driver with VK_ICD_FILENAMES=\/nonexistent\/icd\.json\); /);
    expect(result.error).toContain('apt-get install chromium-common');
    expect(result.error).toContain('VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json');
    expect(result.error).not.toContain('\n');
  }, 60_000);

  it('auto passes over a CPU adapter', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    if (ICD !== SWIFTSHADER_ICD) ctx.skip('VK_ICD_FILENAMES names another driver, which may be a GPU');
    const result = await select('auto', SWIFTSHADER_ICD);
    expect(result.name).not.toBe('webgpu');
    expect(result.skipped?.some((line) => line.startsWith('webgpu: '))).toBe(true);
  }, 60_000);
});
