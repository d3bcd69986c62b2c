import type { PositionManifest } from '@archzoo/core';
import { alibi } from './alibi.js';
import { learned } from './learned.js';
import { none } from './none.js';
import { rope } from './rope.js';
import { sinusoidal } from './sinusoidal.js';
import { t5Relative } from './t5-relative.js';

/** Every position manifest of this package, for `new Registry([...positional])`. */
export const positional: readonly PositionManifest<any>[] = [learned, sinusoidal, rope, alibi, t5Relative, none];
