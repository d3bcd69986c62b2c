export { learned, type LearnedOptions } from './learned.js';
export { sinusoidal, sinusoidalTable, type SinusoidalOptions } from './sinusoidal.js';
export { rope, rotaryDimOf, type RopeOptions } from './rope.js';
export { ropeInverseFrequencies, ropeTables, type LinearScaling, type Llama3Scaling, type RopeScaling, type RopeTables } from './rope-tables.js';
export { alibi, alibiBias, alibiSlopes, type AlibiOptions } from './alibi.js';
export { t5Relative, t5RelativeBucket, t5RelativeBuckets, type T5RelativeOptions } from './t5-relative.js';
export { none, type NoPositionOptions } from './none.js';
export { positional } from './catalog.js';
