import type { StabilityManifest } from '@archzoo/core';
import { attnSoftcap } from './attn-softcap.js';
import { embeddingScale } from './embedding-scale.js';
import { finalSoftcap } from './final-softcap.js';
import { logitScale } from './logit-scale.js';
import { qkNorm } from './qk-norm.js';
import { qkvClip } from './qkv-clip.js';
import { zLoss } from './z-loss.js';

/** Every stability manifest of this package, for `new Registry([...stabilities])`. */
export const stabilities: readonly StabilityManifest<any>[] = [zLoss, qkNorm, attnSoftcap, finalSoftcap, embeddingScale, logitScale, qkvClip];
