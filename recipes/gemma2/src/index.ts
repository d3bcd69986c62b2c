export { gemma2 } from './gemma2.js';
export { GEMMA2_9B_NON_EMBEDDING, GEMMA2_WINDOW, gemma2_9b, gemma2_9bConfig, gemma2Diff } from './published.js';
export { small, tiny } from './scales.js';
export { recorded } from './recorded.js';
