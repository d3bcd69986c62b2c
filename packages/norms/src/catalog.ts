import type { NormManifest } from '@archzoo/core';
import { layernorm } from './layernorm.js';
import { rmsnorm } from './rmsnorm.js';

/** Every norm manifest of this package, for `new Registry([...norms])`. */
export const norms: readonly NormManifest<any>[] = [layernorm, rmsnorm];
