import type { FfnManifest } from '@archzoo/core';
import { geglu } from './geglu.js';
import { glu } from './glu.js';
import { gluBilinear } from './glu-bilinear.js';
import { mlp } from './mlp.js';
import { moe } from './moe.js';
import { reglu } from './reglu.js';
import { swiglu } from './swiglu.js';

export { activate, type ActivationName } from './activation-functions.js';
export { dFfFromRule, type DFfRule } from './d-ff.js';
export { type GatedOptions } from './gated.js';
export { geglu, type GegluOptions } from './geglu.js';
export { glu } from './glu.js';
export { gluBilinear } from './glu-bilinear.js';
export { mlp, type MlpOptions } from './mlp.js';
export { moe, type MoeOptions } from './moe.js';
export { reglu } from './reglu.js';
export { swiglu } from './swiglu.js';

/** Every FFN manifest of this package, for `new Registry([...ffns])`. */
export const ffns: FfnManifest<any>[] = [mlp, swiglu, geglu, reglu, glu, gluBilinear, moe];
