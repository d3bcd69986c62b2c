export { zLoss, zLossTerm, type ZLossOptions } from './z-loss.js';
export { qkNorm, qkNormProjection, rmsNormLastAxis, type QkNormOptions } from './qk-norm.js';
export { softcap } from './softcap.js';
export { attnSoftcap, type AttnSoftcapOptions } from './attn-softcap.js';
export { finalSoftcap, type FinalSoftcapOptions } from './final-softcap.js';
export { embeddingScale, type EmbeddingScaleOptions } from './embedding-scale.js';
export { logitScale, type LogitScaleOptions } from './logit-scale.js';
export { qkvClip, type QkvClipOptions } from './qkv-clip.js';
export { stabilities } from './catalog.js';
