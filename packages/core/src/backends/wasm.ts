/**
 * The `wasm` backend: TensorFlow.js's WebAssembly backend (XNNPACK kernels), multi-threaded in
 * Node. Nothing here runs on import.
 *
 * @tensorflow/tfjs-backend-wasm 4.22.0 ships a threaded SIMD build but never uses it in Node.
 * Its `WASM_HAS_MULTITHREAD_SUPPORT` flag returns false whenever `IS_NODE` is set. With the flag
 * forced on, its loader hands Emscripten a `blob:` URL as the pthread worker script, which Node's
 * `worker_threads` rejects (`ERR_WORKER_PATH`, because it accepts file paths only). It also passes
 * the main script as a Blob, which the worker glue would read with `fs.readFileSync`.
 * So archzoo starts the threaded build itself, from the files in the package's `wasm-out/`, with
 * its own worker entry (`wasm-pthread-worker.cjs`) and the package's exported `BackendWasm`,
 * registered under the name `wasm` so that every kernel of the package applies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

import { BackendError } from '../errors.js';
import { registerWasmKernels } from '../kernels/wasm.js';
import { tf } from '../tf.js';

/**
 * The maximum thread count of the threaded build: tfjs-backend-wasm 4.22.0's
 * `init_with_threads_count` caps its XNNPACK thread pool at 8, the number of workers its
 * Emscripten build starts up front.
 */
export const WASM_MAX_THREADS = 8;

/** How long the threaded build may take to load its workers before archzoo falls back to one thread. */
const START_TIMEOUT_MS = 30_000;

const THREADED_SCRIPT = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
const WORKER_GLUE = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';

const require = createRequire(import.meta.url);

/** The files the threaded SIMD build starts from. */
export interface ThreadedWasmFiles {
  /** Emscripten's loader of the threaded build; its pthread workers evaluate it too. */
  script: string;
  /** The threaded SIMD WebAssembly binary. */
  binary: string;
  /** archzoo's `worker_threads` entry for the pthreads. */
  workerEntry: string;
}

/** The members of the WebAssembly JavaScript API used here, which lib ES2022 does not declare. */
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => { buffer: ArrayBufferLike };
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: WasmInstance; module: WasmModule }>;
};
type WasmInstance = { exports: Record<string, unknown> };
type WasmModule = object;

/** The parts of the Emscripten module that archzoo and `BackendWasm` use. */
interface ThreadedModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  PThread: { runningWorkers: Array<{ unref(): void }>; terminateAllThreads(): void };
  tfjs?: Record<string, unknown>;
}

type ModuleFactory = (config: Record<string, unknown>) => Promise<ThreadedModule>;
type BackendFactory = () => tf.KernelBackend | Promise<tf.KernelBackend>;

/** tfjs's own `wasm` factory (single-threaded in Node), kept to switch back to it. */
let stockFactory: BackendFactory | undefined;
/** The threaded factory archzoo registered last as `wasm`, with its thread count. */
let threadedFactory: { factory: BackendFactory; threads: number } | undefined;

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}

/**
 * Reads the thread count from `ARCHZOO_WASM_THREADS`. The default is the machine's logical CPU
 * count (`os.availableParallelism()`), at most `WASM_MAX_THREADS`. 1 selects the single-threaded
 * SIMD build. Anything but an integer from 1 to `WASM_MAX_THREADS` is a `BackendError`.
 */
export function wasmThreadCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ARCHZOO_WASM_THREADS;
  if (raw === undefined || raw === '') return Math.min(availableParallelism(), WASM_MAX_THREADS);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > WASM_MAX_THREADS) {
    throw new BackendError(
      `ARCHZOO_WASM_THREADS "${raw}" is invalid; set it to an integer from 1 to ${WASM_MAX_THREADS} ` +
        `(tfjs-backend-wasm uses at most ${WASM_MAX_THREADS} threads), or unset it to use one per core`,
    );
  }
  return value;
}

/** Returns the paths of the threaded build as installed next to this file. */
export function threadedWasmFiles(): ThreadedWasmFiles {
  const script = require.resolve(THREADED_SCRIPT);
  return {
    script,
    binary: script.replace(/\.js$/, '.wasm'),
    workerEntry: fileURLToPath(new URL('./wasm-pthread-worker.cjs', import.meta.url)),
  };
}

/** Returns why this JavaScript engine cannot run the threaded SIMD build, or undefined when it can. */
export async function wasmThreadsUnsupported(): Promise<string | undefined> {
  // Importing the package registers the WASM_HAS_SIMD_SUPPORT flag read below.
  await import('@tensorflow/tfjs-backend-wasm');
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    if (!(memory.buffer instanceof SharedArrayBuffer)) return 'this Node.js has no shared WebAssembly memory';
  } catch (error) {
    return `this Node.js has no shared WebAssembly memory (${firstLine(error)})`;
  }
  if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) return 'this Node.js has no WebAssembly SIMD, which the threaded build needs';
  return undefined;
}

/**
 * Returns why the threaded build cannot start here, or undefined when it can. Every check runs
 * before any worker starts, because Emscripten rethrows a worker's load error from an event
 * handler, which ends the process instead of rejecting a promise.
 */
export async function threadedWasmUnavailable(files: ThreadedWasmFiles): Promise<string | undefined> {
  const unsupported = await wasmThreadsUnsupported();
  if (unsupported !== undefined) return unsupported;
  for (const path of [files.script, files.binary, files.workerEntry]) {
    if (!existsSync(path)) return `${path} is missing`;
  }
  try {
    // The worker entry loads the pthread glue with this very resolution.
    createRequire(files.workerEntry).resolve(WORKER_GLUE);
  } catch (error) {
    return `the worker entry cannot load the pthread glue (${firstLine(error)})`;
  }
  return undefined;
}

/**
 * Loads the threaded build with a pool of `threads` threads (the calling thread and `threads - 1`
 * workers). Rejects on a failed or timed-out start, after stopping any workers it started.
 */
async function startThreadedModule(files: ThreadedWasmFiles, threads: number): Promise<ThreadedModule> {
  const factory = require(files.script) as ModuleFactory;
  let failStart: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    failStart = reject;
  });
  const config: Record<string, unknown> = {
    // The workers evaluate the main script from this path (a string, so never a Blob).
    mainScriptUrlOrBlob: files.script,
    locateFile: (path: string, prefix: string) => (path.endsWith('.worker.js') ? files.workerEntry : prefix + path),
    instantiateWasm(imports: { env: Record<string, unknown> }, receiveInstance: (instance: WasmInstance, module: WasmModule) => void) {
      // tfjs caps the pool at half of `emscripten_num_logical_cores()` (it assumes two hardware
      // threads per core), which in Node is os.cpus().length. Reporting twice the requested count
      // makes the request the only limit besides WASM_MAX_THREADS.
      imports.env.emscripten_num_logical_cores = () => 2 * threads;
      WebAssembly.instantiate(readFileSync(files.binary), imports).then(
        ({ instance, module }) => receiveInstance(instance, module),
        (error: unknown) => failStart(error),
      );
      return {};
    },
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`its workers did not load within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
  });
  try {
    // NOTE: Emscripten's loader sets globalThis.Worker to worker_threads.Worker, and creates its
    // pthread workers through that global.
    const module = await Promise.race([factory(config), failed, timedOut]);
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    return module;
  } catch (error) {
    // The factory fills `config` in as the module, so its workers can be stopped from here.
    (config as Partial<ThreadedModule>).PThread?.terminateAllThreads();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Replaces the factory registered as `wasm`, which disposes the backend it had started. */
function registerWasmFactory(factory: BackendFactory): void {
  if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
  // Priority 2, as tfjs-backend-wasm registers itself.
  tf.registerBackend('wasm', factory, 2);
}

/**
 * Initialises the `wasm` backend with `ARCHZOO_WASM_THREADS` threads (see `wasmThreadCount`),
 * on the threaded SIMD build when more than one thread is requested. When that build cannot
 * start, it falls back to the single-threaded build and records why in `singleThreadReason`.
 * Changing the thread count between calls replaces the backend, which disposes the tensors on it.
 */
export async function activateWasm(
  env: NodeJS.ProcessEnv = process.env,
  files: ThreadedWasmFiles = threadedWasmFiles(),
): Promise<{ detail: Record<string, string | number | boolean | string[]> }> {
  const tfWasm = await import('@tensorflow/tfjs-backend-wasm');
  stockFactory ??= tf.findBackendFactory('wasm') ?? undefined;
  if (stockFactory === undefined) throw new Error('@tensorflow/tfjs-backend-wasm registered no "wasm" backend');
  const threads = wasmThreadCount(env);

  let reason: string | undefined;
  if (threads === 1) {
    reason = env.ARCHZOO_WASM_THREADS ? 'ARCHZOO_WASM_THREADS is 1' : 'this machine has 1 logical CPU';
  } else {
    reason = await threadedWasmUnavailable(files);
  }

  const active = tf.findBackendFactory('wasm');
  const reusable = threadedFactory !== undefined && threadedFactory.factory === active && threadedFactory.threads === threads;
  if (reason === undefined && !reusable) {
    try {
      const module = await startThreadedModule(files, threads);
      const factory = () => {
        tfWasm.setThreadsCount(threads);
        const backend = new tfWasm.BackendWasm(module as unknown as ConstructorParameters<typeof tfWasm.BackendWasm>[0]);
        // Emscripten refs a Node worker while its pthread runs, and XNNPACK's pool threads run
        // until the backend is disposed, so without this Node would never exit.
        for (const worker of module.PThread.runningWorkers) worker.unref();
        return backend;
      };
      registerWasmFactory(factory);
      threadedFactory = { factory, threads };
    } catch (error) {
      reason = `the threaded build failed to start (${firstLine(error)})`;
    }
  }
  if (reason !== undefined && active !== stockFactory) registerWasmFactory(stockFactory);

  // The flag records for tfjs and its users which build runs. The stock factory reads it too, so
  // it must be false whenever that factory may start.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', reason === undefined);
  if (!(await tf.setBackend('wasm'))) throw new Error('the "wasm" backend failed to initialise');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  let build = 'threaded-simd';
  if (reason !== undefined) build = simd ? 'simd' : 'plain';
  const detail: Record<string, string | number | boolean | string[]> = {
    simd: simd as boolean,
    multithread: reason === undefined,
    threads: tfWasm.getThreadsCount(),
    build,
  };
  if (reason !== undefined) detail.singleThreadReason = reason;
  detail.kernels = registerWasmKernels();
  return { detail };
}
