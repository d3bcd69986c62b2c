import type { AttentionManifest } from '@archzoo/core';
import { causal } from './causal.js';

export { causal, maskSpecOf, scoreScaleOf, type CausalOptions } from './causal.js';
export { appendToCache, type AttendedKV } from './kv-cache.js';
export { additiveMask, isVisible, meanAttended, MASKED, type MaskSpec } from './mask.js';

/** Every attention manifest of this package, for `new Registry([...attentions])`. */
export const attentions: AttentionManifest<any>[] = [causal];
