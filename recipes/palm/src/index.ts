export { palm } from './palm.js';
export { palm8b, palm8bConfig, palmDiff } from './published.js';
export { small, tiny } from './scales.js';
export { recorded } from './recorded.js';
