export { type ConfigDiff, deriveConfig } from './derive-config.js';
export { gpt3 } from './gpt3.js';
export { GPT3_175B_BAND, gpt3_175b, gpt3_175bConfig } from './published.js';
export { PUBLISHED_OPTIMIZER, small, tiny } from './scales.js';
export { recorded } from './recorded.js';
