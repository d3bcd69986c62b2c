export { olmo2 } from './olmo2.js';
export { olmo2_7b, olmo2_7bConfig, olmo2Diff } from './published.js';
export { small, tiny } from './scales.js';
export { recorded } from './recorded.js';
