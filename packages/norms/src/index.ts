export { layernorm, layerNorm, type LayerNormOptions } from './layernorm.js';
export { rmsnorm, rmsNorm, type RmsNormOptions } from './rmsnorm.js';
export { norms } from './catalog.js';
