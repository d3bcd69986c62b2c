// The d_ff sizing rules live in core, where the model config resolves them.
export { dFfFromRule, type DFfRule } from '@archzoo/core';
