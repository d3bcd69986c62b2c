// Legend: B batch, T sequence, H query heads, G key/value heads, K head dim.
/**
 * q/k/v clipping: the query, key and value projections are clamped to [-clip, clip] before the
 * heads are split, as OLMo 1.7 (OLMo-7B-0424) does with clip_qkv 8. HF OlmoeAttention
 * clamps after its QK-norm, so list `qk_norm` before `qkv_clip` to match it.
 */
import { CONTRACT_VERSION, tf, type ApplyContext, type Params, type SlotOptions, type StabilityManifest, type Tensor } from '@archzoo/core';

export interface QkvClipOptions extends SlotOptions {
  type: 'qkv_clip';
  /** Bound of the clamped projections; OLMo 1.7 uses 8. */
  clip: number;
}

export const qkvClip: StabilityManifest<QkvClipOptions> = {
  id: 'qkv_clip',
  kind: 'stability',
  contract: CONTRACT_VERSION,
  package: '@archzoo/stability',
  description: 'Clamps the q, k and v projections to [-clip, clip] (OLMo 1.7)',
  schema: {
    clip: { type: 'number', min: 0, exclusiveMin: true, description: 'bound of the clamped q, k and v projections' },
  },
  defaults: { clip: 8 },
  references: [
    'Hugging Face model allenai/OLMo-1.7-7B-hf, config.json (clip_qkv 8.0)',
    'huggingface/transformers src/transformers/models/olmo/modeling_olmo.py, OlmoAttention (clamp of q, k and v by config.clip_qkv)',
  ],
  params() {
    return [];
  },
  /** q [B, T, H*K], k [B, T, G*K], v [B, T, G*K] -> the same shapes. The gradient is 0 where a value is clipped. */
  projections(_params: Params, q: Tensor, k: Tensor, v: Tensor, options: QkvClipOptions, _ctx: ApplyContext): [Tensor, Tensor, Tensor] {
    const { clip } = options;
    return [tf.clipByValue(q, -clip, clip), tf.clipByValue(k, -clip, clip), tf.clipByValue(v, -clip, clip)];
  },
};
