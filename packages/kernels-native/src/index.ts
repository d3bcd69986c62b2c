export {
  ELEMENTWISE_MAX_THREADS,
  GEMM_MAX_THREADS,
  loadNativeAddon,
  POOL_MAX_MB,
  readNativeSettings,
  setNativeThreads,
  type NativeAddonStatus,
  type NativeSettings,
} from './load-addon.js';
export { clearPool, DEFAULT_POOL_MB, poolStats, setPoolLimit } from './pool.js';
export {
  nativeKernelNames,
  registerNativeKernels,
  restoreStockKernels,
  type RegisterOptions,
  type TfKernelRegistry,
} from './register.js';
export { SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD } from './kernels/cross-entropy.js';
export { ADAMW } from './kernels/adamw.js';
export { SOFTCAP, SOFTCAP_GRAD } from './kernels/softcap.js';
export { BinaryOp, ReduceOp, UnaryOp, type BinaryOpCode, type NativeAddon, type ReduceOpCode, type UnaryOpCode } from './native-binding.js';
