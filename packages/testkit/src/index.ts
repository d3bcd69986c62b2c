export * from './backend.js';
export * from './context.js';
export * from './params.js';
export * from './grad-check.js';
export * from './leaks.js';
export * from './golden.js';
export * from './exercises.js';
export * from './conformance.js';
