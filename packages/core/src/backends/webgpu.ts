/**
 * The `webgpu` backend: TensorFlow.js's WebGPU backend running in Node on Dawn, through the
 * `webgpu` package's prebuilt `dawn.node`. On Linux, Dawn drives the GPU through Vulkan, so it
 * needs the Vulkan loader (`libvulkan.so.1`) and a Vulkan driver (ICD). A CPU implementation of
 * Vulkan (SwiftShader) also works, far too slowly to train but well enough to check results.
 * Nothing here runs on import.
 */
import { existsSync, readdirSync } from 'node:fs';
import { tf } from '../tf.js';

/** The install command, with versions known to work together with TensorFlow.js 4.22. */
const INSTALL = 'install it with `pnpm add webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0`';
const LOADER_FIX = 'install the Vulkan loader with `apt-get install libvulkan1`';
const ADAPTER_FIX =
  'on a GPU machine install the GPU driver with its Vulkan ICD (NVIDIA: /usr/share/vulkan/icd.d/nvidia_icd.json); ' +
  'on a CPU-only machine run `apt-get install chromium-common` and set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json';

/** Explains in one line why the webgpu backend cannot start here and what to do about it. */
export class WebgpuUnavailable extends Error {
  /** The fix, phrased to follow "backend webgpu is not available (reason); ". */
  readonly fix: string;

  constructor(reason: string, fix: string) {
    super(reason);
    this.name = 'WebgpuUnavailable';
    this.fix = fix;
  }
}

/** Adapter facts from WebGPU's `GPUAdapterInfo`, as far as Dawn fills them in. */
export interface WebgpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  /** Free text; Dawn puts the driver name and version here (e.g. "SwiftShader driver 5.0.0"). */
  description: string;
  /** True for a software implementation such as SwiftShader. */
  cpuAdapter: boolean;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}

interface AdapterLike {
  info?: Record<string, unknown>;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?(): Promise<Record<string, unknown>>;
}

/**
 * Reports whether the Vulkan loader can be loaded, by asking the dynamic linker for it with the
 * same search rules Dawn uses (LD_LIBRARY_PATH, the ld.so cache). Linux only.
 */
export function vulkanLoaderPresent(): boolean {
  try {
    process.dlopen({ exports: {} }, 'libvulkan.so.1');
  } catch (error) {
    // The library loaded but is not a Node addon: the loader is there.
    return !/cannot open shared object file|No such file/i.test(String(error));
  }
  return true;
}

/** Lists GPU device nodes: NVIDIA's `/dev/nvidia0`... and the kernel DRM render nodes. */
export function gpuDeviceNodes(): string[] {
  const nodes: string[] = [];
  for (const [dir, pattern] of [
    ['/dev', /^nvidia\d+$/],
    ['/dev/dri', /^renderD\d+$/],
  ] as const) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) if (pattern.test(name)) nodes.push(`${dir}/${name}`);
  }
  return nodes;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Reads an adapter's `GPUAdapterInfo` fields and decides whether it is a CPU implementation. */
export function describeAdapter(info: Record<string, unknown>, fallback: boolean | undefined): WebgpuAdapterInfo {
  const fields = {
    vendor: text(info.vendor),
    architecture: text(info.architecture),
    device: text(info.device),
    description: text(info.description),
  };
  const software = /swiftshader|llvmpipe|lavapipe/i.test(Object.values(fields).join(' '));
  return { ...fields, cpuAdapter: fallback === true || info.isFallbackAdapter === true || software };
}

/** Formats an adapter for messages, e.g. "google swiftshader (SwiftShader driver 5.0.0)". */
export function adapterLabel(info: WebgpuAdapterInfo): string {
  const name = [info.vendor, info.architecture, info.device].filter((part) => part !== '').join(' ') || 'unnamed adapter';
  return info.description ? `${name} (${info.description})` : name;
}

interface WebgpuPackage {
  create(flags: string[]): GpuLike;
  /** WebGPU's global constructors and enums (`GPUBufferUsage`, `GPUMapMode`, ...). */
  globals: Record<string, unknown>;
}

async function importWebgpuPackage(): Promise<WebgpuPackage> {
  try {
    return (await import('webgpu')) as unknown as WebgpuPackage;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new WebgpuUnavailable(`the webgpu package did not load: ${message}`, INSTALL);
  }
}

/**
 * Starts TensorFlow.js's WebGPU backend and returns the adapter it found. With `requireGpu`
 * (as `auto` requests) it rejects a machine without a GPU device node or with only a CPU
 * adapter, so `auto` never trains on SwiftShader. Throws `WebgpuUnavailable` with the reason
 * and the fix.
 */
export async function activateWebgpu(requireGpu: boolean): Promise<{ adapter: WebgpuAdapterInfo; detail: Record<string, string | boolean> }> {
  // Probing Vulkan without a GPU makes Dawn and Mesa print warnings to stderr, so `auto` checks
  // for a device node first and stays quiet (and fast) on CPU-only Linux machines.
  if (requireGpu && process.platform === 'linux' && gpuDeviceNodes().length === 0) {
    throw new WebgpuUnavailable('no GPU device node (/dev/nvidia0, /dev/dri/renderD*)', 'request `--backend webgpu` to use a CPU Vulkan driver');
  }
  const { create, globals } = await importWebgpuPackage();
  if (process.platform === 'linux' && !vulkanLoaderPresent()) {
    throw new WebgpuUnavailable('no Vulkan loader: libvulkan.so.1 was not found', LOADER_FIX);
  }

  const gpu = create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) {
    const icd = process.env.VK_ICD_FILENAMES ? ` with VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}` : '';
    throw new WebgpuUnavailable(`no WebGPU adapter: Dawn found no usable Vulkan driver${icd}`, ADAPTER_FIX);
  }
  const rawInfo = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  const info = describeAdapter(rawInfo, adapter.isFallbackAdapter);
  if (requireGpu && info.cpuAdapter) {
    throw new WebgpuUnavailable(`the only adapter is ${adapterLabel(info)}, a CPU implementation`, 'request `--backend webgpu` to use it anyway');
  }

  // The backend module registers "webgpu" with TensorFlow.js only if navigator.gpu exists when
  // it loads, it requests its own adapter from navigator.gpu, and its kernels read browser
  // globals such as GPUBufferUsage. Node 20 has none of them, so they are defined here, once.
  const global = globalThis as Record<string, unknown> & { navigator?: { gpu?: unknown } };
  for (const [key, value] of Object.entries(globals)) if (!(key in global)) global[key] = value;
  if (global.navigator === undefined) global.navigator = { gpu };
  else if (global.navigator.gpu === undefined) Object.defineProperty(global.navigator, 'gpu', { value: gpu, configurable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!tf.findBackendFactory('webgpu')) {
    throw new WebgpuUnavailable('@tensorflow/tfjs-backend-webgpu loaded before navigator.gpu existed and did not register', 'select webgpu before anything else imports @tensorflow/tfjs-backend-webgpu');
  }
  if (!(await tf.setBackend('webgpu'))) throw new WebgpuUnavailable('the "webgpu" backend failed to initialise', ADAPTER_FIX);

  const detail: Record<string, string | boolean> = {
    adapterVendor: info.vendor,
    adapterArchitecture: info.architecture,
    adapterDevice: info.device,
    adapterDescription: info.description,
    cpuAdapter: info.cpuAdapter,
  };
  if (process.env.VK_ICD_FILENAMES) detail.vulkanIcd = process.env.VK_ICD_FILENAMES;
  return { adapter: info, detail };
}
