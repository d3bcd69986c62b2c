import type { PositionManifest } from '@archzoo/core';
import { learned } from './learned.js';
import { rope } from './rope.js';

/** Every position manifest of this package, for `new Registry([...positional])`. */
export const positional: readonly PositionManifest<any>[] = [learned, rope];
