export { learned, type LearnedOptions } from './learned.js';
export { rope, rotaryDimOf, type RopeOptions } from './rope.js';
export { ropeInverseFrequencies, ropeTables, type Llama3Scaling, type RopeTables } from './rope-tables.js';
export { positional } from './catalog.js';
