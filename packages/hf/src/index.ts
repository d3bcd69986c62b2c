export { exportHfCheckpoint, archzooToHfConfig } from './export.js';
export { FAMILIES, familyOf, SUPPORTED_MODEL_TYPES } from './families/index.js';
export type { Family, HfTensorRef, RejectLayout } from './family.js';
export type { HfConfig } from './hf-config.js';
export { HF_CONFIG_FILE, HF_INDEX_FILE, HF_WEIGHTS_FILE, type HfCheckpoint, hfToArchzooConfig, loadHfCheckpoint, modelOf, paramTensors } from './load.js';
export { hfRegistry } from './registry.js';
export { exportTensors, importTensors, type TensorData, transpose2d } from './tensor-map.js';
