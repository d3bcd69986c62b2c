export { llama } from './llama.js';
export { llamaDyt } from './llama-dyt.js';
export { llama7b, llama7bConfig, llamaDiff } from './published.js';
export { llamaFfnWidth, small, tiny } from './scales.js';
export { recorded } from './recorded.js';
