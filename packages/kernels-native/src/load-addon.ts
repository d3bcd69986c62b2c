/**
 * Loads the compiled addon once, on first call, and reports why when it cannot.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

import type { NativeAddon } from './native-binding.js';

export type NativeAddonStatus =
  | {
      ok: true;
      addon: NativeAddon;
      blas: 'openblas' | 'builtin';
      /** Threads used by matrix products (OpenBLAS or the builtin GEMM). */
      threads: number;
      /** Threads used by elementwise, softmax, reduction and cross-entropy kernels. */
      elementwiseThreads: number;
      simd: 'avx2' | 'none';
      /** Whether malloc was tuned to reuse freed tensor buffers (glibc only; ARCHZOO_KERNELS_MALLOC=default turns it off). */
      mallocTuned: boolean;
    }
  | { ok: false; reason: string };

/**
 * glibc's largest allowed mmap threshold on 64-bit systems: blocks up to 32 MiB (a 2048 x 2048
 * float32 matrix is 16 MiB) come from the reusable heap instead of fresh page-faulting mappings.
 */
const MMAP_THRESHOLD = 32 * 2 ** 20;
/** Freed heap kept before returning memory to the system: twice the threshold, as glibc's own adaptive setting does. */
const TRIM_THRESHOLD = 2 * MMAP_THRESHOLD;

const REBUILD = 'run `pnpm rebuild @archzoo/kernels-native` (needs python3, make and g++; apt-get install -y libopenblas-dev for OpenBLAS)';

let cached: NativeAddonStatus | undefined;

function cpuSupportsAvx2(): boolean {
  if (process.platform !== 'linux') return true;
  try {
    const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '';
    const set = new Set(flags.trim().split(/\s+/));
    return set.has('avx2') && set.has('fma');
  } catch {
    return true;
  }
}

function threadCountFromEnv(name: string, fallback: number): number | string {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) return `${name}="${raw}" must be a positive integer`;
  return value;
}

/**
 * Loads build/Release/archzoo_kernels.node. Never throws: a missing or unusable addon gives
 * `{ ok: false, reason }` with a one-line explanation and fix. Thread counts come from
 * ARCHZOO_KERNELS_GEMM_THREADS (default: all cores) and ARCHZOO_KERNELS_THREADS (default: all
 * cores, at most 4), and are applied to the addon on the first successful load. On glibc the
 * first load also tunes malloc for the whole process (see `MMAP_THRESHOLD`) unless
 * ARCHZOO_KERNELS_MALLOC=default.
 */
export function loadNativeAddon(): NativeAddonStatus {
  if (cached) return cached;
  try {
    cached = loadOnce();
  } catch (error) {
    // An addon from another version of this package may lack an entry point.
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    cached = { ok: false, reason: `native addon is unusable (${message}); ${REBUILD}` };
  }
  return cached;
}

function loadOnce(): NativeAddonStatus {
  const addonPath = fileURLToPath(new URL('../build/Release/archzoo_kernels.node', import.meta.url));
  if (!existsSync(addonPath)) {
    return { ok: false, reason: `native addon not built (${addonPath} is missing); ${REBUILD}` };
  }
  let addon: NativeAddon;
  try {
    addon = createRequire(import.meta.url)(addonPath) as NativeAddon;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { ok: false, reason: `native addon failed to load (${message}); ${REBUILD}` };
  }
  const info = addon.buildInfo();
  if (info.simd === 'avx2' && !cpuSupportsAvx2()) {
    return { ok: false, reason: `native addon was built for AVX2/FMA but this CPU lacks them; ${REBUILD} on this machine` };
  }
  const gemmThreads = threadCountFromEnv('ARCHZOO_KERNELS_GEMM_THREADS', availableParallelism());
  const elementwiseThreads = threadCountFromEnv('ARCHZOO_KERNELS_THREADS', Math.min(4, availableParallelism()));
  if (typeof gemmThreads === 'string') return { ok: false, reason: gemmThreads };
  if (typeof elementwiseThreads === 'string') return { ok: false, reason: elementwiseThreads };
  const mallocMode = process.env.ARCHZOO_KERNELS_MALLOC ?? 'tuned';
  if (mallocMode !== 'tuned' && mallocMode !== 'default') {
    return { ok: false, reason: `ARCHZOO_KERNELS_MALLOC="${mallocMode}" must be tuned or default` };
  }
  addon.setThreads(gemmThreads, elementwiseThreads);
  const threads = addon.getThreads();
  const mallocTuned = mallocMode === 'tuned' && addon.tuneMalloc(MMAP_THRESHOLD, TRIM_THRESHOLD);
  return { ok: true, addon, blas: info.blas, threads: threads.gemm, elementwiseThreads: threads.elementwise, simd: info.simd, mallocTuned };
}

/**
 * Sets the thread counts of a loaded addon and returns the counts now in effect. Throws a
 * RangeError for a count that is not a positive integer, and an Error when the addon is not
 * loaded (with `loadNativeAddon()`'s reason).
 */
export function setNativeThreads(threads: { gemm?: number; elementwise?: number }): { gemm: number; elementwise: number } {
  const status = loadNativeAddon();
  if (!status.ok) throw new Error(status.reason);
  const current = status.addon.getThreads();
  const gemm = threads.gemm ?? current.gemm;
  const elementwise = threads.elementwise ?? current.elementwise;
  for (const [name, value] of [['gemm', gemm], ['elementwise', elementwise]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} threads must be a positive integer, got ${value}`);
  }
  status.addon.setThreads(gemm, elementwise);
  const applied = status.addon.getThreads();
  status.threads = applied.gemm;
  status.elementwiseThreads = applied.elementwise;
  return applied;
}
