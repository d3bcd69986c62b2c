export * from './errors.js';
export * from './rng.js';
export * from './schema.js';
export * from './spec.js';
export * from './registry.js';
export * from './config.js';
export * from './tf.js';
