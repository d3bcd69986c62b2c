// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
/**
 * Learned absolute positions (GPT, GPT-2, GPT-3, OPT): a [context_length, D] table whose row p is
 * added to the token embedding at position p.
 */
import { ArchzooError, CONTRACT_VERSION, tf, type ApplyContext, type Dims, type ParamSpec, type Params, type PositionManifest, type SlotOptions, type Tensor } from '@archzoo/core';

export interface LearnedOptions extends SlotOptions {
  type: 'learned';
}

export const learned: PositionManifest<LearnedOptions> = {
  id: 'learned',
  kind: 'position',
  contract: CONTRACT_VERSION,
  package: '@archzoo/positional',
  description: 'Learned absolute position embeddings: a [context_length, d_model] table added to the token embeddings',
  schema: {},
  defaults: {},
  references: [
    'Radford et al. 2018, "Improving Language Understanding by Generative Pre-Training" (learned position embeddings)',
    'huggingface/transformers src/transformers/models/gpt2/modeling_gpt2.py, wpe',
  ],
  params(_options: LearnedOptions, dims: Dims): ParamSpec[] {
    // A 2-D table like the token embedding, so it is decayed as nanoGPT's wpe is.
    return [{ name: 'weight', shape: [dims.context_length, dims.d_model], init: { kind: 'normal' }, decay: true }];
  },
  /** x [B, T, D] -> [B, T, D], adding rows start..start+T-1 of the table. */
  embed(params: Params, xBTD: Tensor, start: number, _options: LearnedOptions, ctx: ApplyContext): Tensor {
    const seq = xBTD.shape[1] as number;
    const contextLength = ctx.dims.context_length;
    if (!Number.isInteger(start) || start < 0 || start + seq > contextLength) {
      throw new ArchzooError(
        `learned positions ${start}..${start + seq - 1} are outside the table of context_length ${contextLength}; ` +
          `keep start + sequence length (${start} + ${seq}) at most ${contextLength} or raise context_length`,
      );
    }
    return tf.tidy(() => tf.add(xBTD, tf.slice(params.weight, [start, 0], [seq, -1])));
  },
};
