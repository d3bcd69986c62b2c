/**
 * Loads the compiled addon once, on first call, and reports why when it cannot.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

import type { NativeAddon } from './native-binding.js';
import { DEFAULT_POOL_MB, setPoolLimit } from './pool.js';

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
      /** Most MiB of disposed output buffers kept for reuse (ARCHZOO_KERNELS_POOL_MB; 0 = no reuse). */
      poolMegabytes: number;
    }
  | {
      ok: false;
      /** One line: the cause and the fix. */
      reason: string;
      /**
       * True when an environment variable (ARCHZOO_KERNELS_GEMM_THREADS, ARCHZOO_KERNELS_THREADS,
       * ARCHZOO_KERNELS_MALLOC or ARCHZOO_KERNELS_POOL_MB) is invalid. The addon may then be fine,
       * and the fix is the variable.
       */
      configError: boolean;
    };

/** Settings read from the environment by `readNativeSettings`. */
export interface NativeSettings {
  gemmThreads: number;
  elementwiseThreads: number;
  mallocMode: 'tuned' | 'default';
  poolMegabytes: number;
}

/**
 * The maximum of ARCHZOO_KERNELS_GEMM_THREADS. A larger count such as 1000000 is rejected as a
 * typo, because it would not run that many threads anyway: OpenBLAS clamps it to the NUM_THREADS
 * it was compiled with, and the builtin GEMM to `ELEMENTWISE_MAX_THREADS`.
 * NOTE: 256 is a chosen bound above common core counts, not a limit of OpenBLAS.
 */
export const GEMM_MAX_THREADS = 256;
/** The maximum of ARCHZOO_KERNELS_THREADS: native/parallel.cc clamps its worker count to 64. */
export const ELEMENTWISE_MAX_THREADS = 64;
/** The maximum of ARCHZOO_KERNELS_POOL_MB: 1 TiB, above any machine this runs on, so larger values are typos. */
export const POOL_MAX_MB = 2 ** 20;

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

function integerFromEnv(env: NodeJS.ProcessEnv, name: string, min: number, max: number, fallback: number, unsetMeaning: string): number | string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // Decimal digits only: Number() would also read " " as 0 and "1e3" or "0x10" as numbers.
  const value = /^[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    return `${name} "${raw}" is invalid; set it to an integer from ${min} to ${max}, or unset it to use ${unsetMeaning}`;
  }
  return value;
}

/**
 * Reads the addon's settings from ARCHZOO_KERNELS_GEMM_THREADS (default: all cores, at most
 * `GEMM_MAX_THREADS`), ARCHZOO_KERNELS_THREADS (default: all cores, at most 4) and
 * ARCHZOO_KERNELS_MALLOC (`tuned`, the default, or `default`) and ARCHZOO_KERNELS_POOL_MB (the most
 * MiB of disposed outputs kept for reuse, default `DEFAULT_POOL_MB`; 0 turns reuse off). An empty
 * value counts as unset.
 * Returns `{ error }` with a one-line message naming the variable, its value, the valid values
 * and the fix when one is invalid.
 */
export function readNativeSettings(env: NodeJS.ProcessEnv = process.env): NativeSettings | { error: string } {
  const cores = availableParallelism();
  const gemmThreads = integerFromEnv(env, 'ARCHZOO_KERNELS_GEMM_THREADS', 1, GEMM_MAX_THREADS, Math.min(cores, GEMM_MAX_THREADS), 'one per core');
  if (typeof gemmThreads === 'string') return { error: gemmThreads };
  const elementwiseThreads = integerFromEnv(env, 'ARCHZOO_KERNELS_THREADS', 1, ELEMENTWISE_MAX_THREADS, Math.min(4, cores), 'one per core, at most 4');
  if (typeof elementwiseThreads === 'string') return { error: elementwiseThreads };
  const mallocMode = env.ARCHZOO_KERNELS_MALLOC || 'tuned';
  if (mallocMode !== 'tuned' && mallocMode !== 'default') {
    return { error: `ARCHZOO_KERNELS_MALLOC "${mallocMode}" is invalid; set it to tuned or default, or unset it to tune malloc` };
  }
  const poolMegabytes = integerFromEnv(env, 'ARCHZOO_KERNELS_POOL_MB', 0, POOL_MAX_MB, DEFAULT_POOL_MB, `${DEFAULT_POOL_MB} MiB`);
  if (typeof poolMegabytes === 'string') return { error: poolMegabytes };
  return { gemmThreads, elementwiseThreads, mallocMode, poolMegabytes };
}

/**
 * Loads build/Release/archzoo_kernels.node. Never throws: a missing or unusable addon gives
 * `{ ok: false, reason, configError: false }` with a one-line explanation and fix, and an invalid
 * environment variable (see `readNativeSettings`) gives `configError: true`. The variables are
 * read from `process.env` and checked on every call, but applied only on the first successful
 * load: thread counts go to the addon, the pool limit to pool.ts, and on glibc malloc is tuned for
 * the whole process (see `MMAP_THRESHOLD`) unless ARCHZOO_KERNELS_MALLOC=default.
 */
export function loadNativeAddon(): NativeAddonStatus {
  const settings = readNativeSettings(process.env);
  if ('error' in settings) return { ok: false, reason: settings.error, configError: true };
  if (cached) return cached;
  try {
    cached = loadOnce(settings);
  } catch (error) {
    // An addon from another version of this package may lack an entry point.
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    cached = { ok: false, reason: `native addon is unusable (${message}); ${REBUILD}`, configError: false };
  }
  return cached;
}

function loadOnce(settings: NativeSettings): NativeAddonStatus {
  const addonPath = fileURLToPath(new URL('../build/Release/archzoo_kernels.node', import.meta.url));
  if (!existsSync(addonPath)) {
    return { ok: false, reason: `native addon not built (${addonPath} is missing); ${REBUILD}`, configError: false };
  }
  let addon: NativeAddon;
  try {
    addon = createRequire(import.meta.url)(addonPath) as NativeAddon;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { ok: false, reason: `native addon failed to load (${message}); ${REBUILD}`, configError: false };
  }
  const info = addon.buildInfo();
  if (info.simd === 'avx2' && !cpuSupportsAvx2()) {
    return { ok: false, reason: `native addon was built for AVX2/FMA but this CPU lacks them; ${REBUILD} on this machine`, configError: false };
  }
  const { gemmThreads, elementwiseThreads, mallocMode, poolMegabytes } = settings;
  addon.setThreads(gemmThreads, elementwiseThreads);
  const threads = addon.getThreads();
  const mallocTuned = mallocMode === 'tuned' && addon.tuneMalloc(MMAP_THRESHOLD, TRIM_THRESHOLD);
  setPoolLimit(poolMegabytes);
  return { ok: true, addon, blas: info.blas, threads: threads.gemm, elementwiseThreads: threads.elementwise, simd: info.simd, mallocTuned, poolMegabytes };
}

/**
 * Sets the thread counts of a loaded addon and returns the counts now in effect. Throws a
 * RangeError for a count outside 1 to `GEMM_MAX_THREADS` (gemm) or `ELEMENTWISE_MAX_THREADS`
 * (elementwise), and an Error when the addon is not loaded (with `loadNativeAddon()`'s reason).
 */
export function setNativeThreads(threads: { gemm?: number; elementwise?: number }): { gemm: number; elementwise: number } {
  const status = loadNativeAddon();
  if (!status.ok) throw new Error(status.reason);
  const current = status.addon.getThreads();
  const gemm = threads.gemm ?? current.gemm;
  const elementwise = threads.elementwise ?? current.elementwise;
  const limits = [['gemm', gemm, GEMM_MAX_THREADS], ['elementwise', elementwise, ELEMENTWISE_MAX_THREADS]] as const;
  for (const [name, value, max] of limits) {
    if (!Number.isInteger(value) || value < 1 || value > max) throw new RangeError(`${name} threads must be an integer from 1 to ${max}, got ${value}`);
  }
  status.addon.setThreads(gemm, elementwise);
  const applied = status.addon.getThreads();
  status.threads = applied.gemm;
  status.elementwiseThreads = applied.elementwise;
  return applied;
}
