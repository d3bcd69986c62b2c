/**
 * TensorFlow.js backend selection. `auto` prefers the native TensorFlow bindings when installed,
 * then WebGPU on a GPU adapter, then the `cpu` backend with archzoo's native kernels, then `wasm`, then plain `cpu`. Nothing
 * here runs on import: `selectBackend` initialises the backend when called.
 */
import { BackendError } from './errors.js';
import { tf } from './tf.js';
import { registerCpuAdamW } from './kernels/adamw-cpu.js';
import { registerCpuSegmentSum } from './kernels/segment-sum-cpu.js';
import { activateWasm } from './backends/wasm.js';
import { activateWebgpu, WebgpuUnavailable } from './backends/webgpu.js';

export const BACKEND_NAMES = ['auto', 'tfjs-node-gpu', 'webgpu', 'tfjs-node', 'cpu-native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type ConcreteBackend = Exclude<BackendName, 'auto'>;

/** The order `auto` tries, fastest first. `auto` takes `webgpu` only on a GPU, never on SwiftShader. */
export const AUTO_ORDER: readonly ConcreteBackend[] = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'cpu-native', 'wasm', 'cpu'];

export interface BackendInfo {
  /** The archzoo backend name in use. */
  name: ConcreteBackend;
  /** The requested name (`auto` or a backend). */
  requested: BackendName;
  /** The TensorFlow.js backend underneath (`cpu`, `wasm`, `tensorflow`, `webgpu`). */
  tfBackend: string;
  /** Facts worth recording: BLAS library, threads, SIMD, registered kernels, WebGPU adapter. */
  detail: Record<string, string | number | boolean | string[]>;
  /** Reasons `auto` skipped faster backends, one line each. */
  skipped: string[];
}

const INSTALL_HINTS: Record<ConcreteBackend, string> = {
  'tfjs-node-gpu':
    'install it with `pnpm add @tensorflow/tfjs-node-gpu` (downloads libtensorflow 2.9.1 for CUDA 11.2 / cuDNN 8.1 at install time, so it needs internet access and a matching CUDA)',
  webgpu: 'install it with `pnpm add webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0` and the Vulkan loader with `apt-get install libvulkan1`',
  'tfjs-node': 'install it with `pnpm add @tensorflow/tfjs-node` (downloads libtensorflow at install time, so it needs internet access)',
  'cpu-native':
    'rebuild it with `pnpm --filter @archzoo/kernels-native run install` after installing a C++ toolchain and, for the fastest matrix products, OpenBLAS (`apt-get install libopenblas-dev`)',
  wasm: 'reinstall dependencies with `pnpm install` (it ships with @tensorflow/tfjs-backend-wasm)',
  cpu: 'reinstall dependencies with `pnpm install`',
};

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}

async function importOptional(specifier: string): Promise<Record<string, unknown>> {
  return (await import(specifier)) as Record<string, unknown>;
}

async function activate(name: ConcreteBackend, auto: boolean, env: NodeJS.ProcessEnv): Promise<Omit<BackendInfo, 'requested' | 'skipped'>> {
  switch (name) {
    case 'tfjs-node-gpu':
    case 'tfjs-node': {
      await importOptional(`@tensorflow/${name}`);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('the "tensorflow" backend failed to initialise');
      return { name, tfBackend: 'tensorflow', detail: {} };
    }
    case 'webgpu': {
      const { detail } = await activateWebgpu(auto);
      return { name, tfBackend: 'webgpu', detail };
    }
    case 'cpu-native': {
      const native = await importOptional('@archzoo/kernels-native');
      // NOTE: the addon reads its settings (ARCHZOO_KERNELS_GEMM_THREADS and the like) from
      // process.env, not from `env`.
      const load = native.loadNativeAddon as () => {
        ok: boolean;
        reason?: string;
        configError?: boolean;
        blas?: string;
        threads?: number;
        poolMegabytes?: number;
      };
      const loaded = load();
      // An invalid setting is the user's to fix, so it is raised even under `auto`, as for wasm.
      if (!loaded.ok && loaded.configError) throw new BackendError(loaded.reason ?? 'an ARCHZOO_KERNELS_* variable is invalid');
      if (!loaded.ok) throw new Error(loaded.reason ?? 'the native addon did not load');
      const register = native.registerNativeKernels as (tfModule: typeof tf, backend: string) => { registered: string[] };
      if (!(await tf.setBackend('cpu'))) throw new Error('the "cpu" backend failed to initialise');
      const { registered } = register(tf, 'cpu');
      // registerCpuAdamW returns ArchzooAdamW even when the native kernels already registered it.
      const kernels = [...new Set([...registered, registerCpuAdamW()])];
      const detail = { blas: loaded.blas ?? 'unknown', threads: loaded.threads ?? 1, outputPoolMegabytes: loaded.poolMegabytes ?? 0, kernels };
      return { name, tfBackend: 'cpu', detail };
    }
    case 'wasm': {
      const { detail } = await activateWasm(env);
      return { name, tfBackend: 'wasm', detail };
    }
    case 'cpu': {
      if (!(await tf.setBackend('cpu'))) throw new Error('the "cpu" backend failed to initialise');
      return { name, tfBackend: 'cpu', detail: { kernels: [registerCpuAdamW(), registerCpuSegmentSum()] } };
    }
  }
}

/** Parses a backend name from a flag or `ARCHZOO_BACKEND`; an unknown name is a one-line error. */
export function parseBackendName(value: string, source = '--backend'): BackendName {
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new BackendError(`${source} "${value}" is not a backend; valid backends: ${BACKEND_NAMES.join(', ')}`);
}

/**
 * Selects and initialises a backend. `requested` defaults to `ARCHZOO_BACKEND`, then `auto`.
 * An explicitly requested backend that cannot start is a `BackendError` saying how to install it.
 */
export async function selectBackend(requested?: string, env: NodeJS.ProcessEnv = process.env): Promise<BackendInfo> {
  // Production mode silences TensorFlow.js's console banners ("install tfjs-node"), because
  // library code never prints; archzoo reports the backend choice in its run records instead.
  tf.env().set('PROD', true);
  const fromEnv = requested === undefined && env.ARCHZOO_BACKEND ? env.ARCHZOO_BACKEND : undefined;
  const name = parseBackendName(requested ?? fromEnv ?? 'auto', fromEnv ? 'ARCHZOO_BACKEND' : '--backend');
  if (name !== 'auto') {
    try {
      return { ...(await activate(name, false, env)), requested: name, skipped: [] };
    } catch (error) {
      if (error instanceof BackendError) throw error;
      const hint = error instanceof WebgpuUnavailable ? error.fix : INSTALL_HINTS[name];
      throw new BackendError(`backend ${name} is not available (${firstLine(error)}); ${hint}, or use --backend auto`);
    }
  }
  const skipped: string[] = [];
  for (const candidate of AUTO_ORDER) {
    try {
      return { ...(await activate(candidate, true, env)), requested: 'auto', skipped };
    } catch (error) {
      // An invalid setting (such as ARCHZOO_WASM_THREADS or ARCHZOO_KERNELS_THREADS) is the user's
      // to fix, not a reason to skip.
      if (error instanceof BackendError) throw error;
      skipped.push(`${candidate}: ${firstLine(error)}`);
    }
  }
  throw new BackendError(`no TensorFlow.js backend could start (${skipped.join('; ')}); reinstall dependencies with \`pnpm install\``);
}
