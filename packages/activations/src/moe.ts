// Legend: B batch, T sequence, D model width, F FFN width of one expert, N tokens (B*T),
// E experts, k experts chosen per token.
import { CONTRACT_VERSION, tf, type FfnManifest, type ParamSpec, type SlotOptions, type Tensor } from '@archzoo/core';
import type { ActivationName } from './activation-functions.js';
import { gatedParams, gatedRows } from './gated.js';

export interface MoeOptions extends SlotOptions {
  type: 'moe';
  /** Number of experts E; default 8 (Mixtral 8x7B). */
  n_experts: number;
  /** Experts per token k; default 2 (Mixtral 8x7B). */
  top_k: number;
  /** FFN type of every expert; default swiglu (Mixtral). */
  expert: 'swiglu' | 'geglu' | 'reglu';
  /** Weight of the load-balancing loss returned as `aux`; default 0.02 (Mixtral `router_aux_loss_coef`). */
  aux_loss_coef: number;
}

const EXPERT_ACTIVATION: Record<MoeOptions['expert'], ActivationName> = { swiglu: 'silu', geglu: 'gelu', reglu: 'relu' };

/**
 * Sparse mixture of gated FFN experts with top-k routing, as in Mixtral (Jiang et al. 2024) and
 * HF transformers `models/mixtral/modeling_mixtral.py`: [B, T, D] -> [B, T, D].
 *
 * The router is a bias-free linear map x W_router [N, E], followed by a softmax over experts. Each
 * token goes to its k most probable experts, and their outputs are mixed with the chosen
 * probabilities renormalised to sum to 1 (equal to a softmax over the k chosen logits).
 *
 * `aux` is the load-balancing loss of Switch Transformer (Fedus et al. 2021) in the form of HF
 * `load_balancing_loss_func`: aux_loss_coef * E * sum_e f_e * P_e, where f_e is the fraction of
 * tokens that have expert e among their k choices and P_e is the mean router probability of e.
 * With k > 1 the f_e sum to k, so perfectly balanced routing gives aux_loss_coef * k.
 */
export const moe: FfnManifest<MoeOptions> = {
  id: 'moe',
  kind: 'ffn',
  contract: CONTRACT_VERSION,
  package: '@archzoo/activations',
  description: 'Mixture of gated FFN experts with top-k softmax routing and a load-balancing loss (Mixtral)',
  schema: {
    n_experts: { type: 'number', integer: true, min: 1, optional: true, description: 'number of experts' },
    top_k: { type: 'number', integer: true, min: 1, optional: true, description: 'experts chosen per token' },
    expert: { type: 'enum', values: ['swiglu', 'geglu', 'reglu'], optional: true, description: 'gated FFN type of each expert' },
    aux_loss_coef: { type: 'number', min: 0, optional: true, description: 'weight of the load-balancing auxiliary loss' },
  },
  defaults: { n_experts: 8, top_k: 2, expert: 'swiglu', aux_loss_coef: 0.02 },
  references: [
    'Jiang et al. 2024, Mixtral of Experts, arXiv 2401.04088',
    'Fedus et al. 2021, Switch Transformers, arXiv 2101.03961 (load-balancing loss)',
    'HF transformers models/mixtral/modeling_mixtral.py (MixtralSparseMoeBlock, load_balancing_loss_func)',
  ],
  validate(options) {
    return options.top_k > options.n_experts
      ? [`top_k (${options.top_k}) must be <= n_experts (${options.n_experts}); lower top_k or add experts`]
      : [];
  },
  params(options, dims): ParamSpec[] {
    const specs: ParamSpec[] = [{ name: 'router.weight', shape: [dims.d_model, options.n_experts], init: { kind: 'normal' }, decay: true }];
    for (let e = 0; e < options.n_experts; e++) specs.push(...gatedParams(dims.d_model, dims.d_ff, false, `experts.${e}.`));
    return specs;
  },
  apply(params, xBTD, options) {
    return tf.tidy(() => {
      const [batch, seq, dModel] = xBTD.shape;
      const nTokens = batch * seq;
      const nExperts = options.n_experts;
      const topK = options.top_k;
      const x2d = tf.reshape(xBTD, [nTokens, dModel]);

      const probsNE = tf.softmax(tf.matMul(x2d, params['router.weight']));
      // Routing is data-dependent, so the chosen experts are read back to build index lists.
      const chosenNK = tf.topk(probsNE, topK).indices.dataSync();

      // Gather the chosen probabilities through the softmax output so that they carry gradients.
      const flatIndex = new Int32Array(nTokens * topK);
      const slotsByExpert: number[][] = Array.from({ length: nExperts }, () => []);
      for (let slot = 0; slot < nTokens * topK; slot++) {
        const token = Math.floor(slot / topK);
        flatIndex[slot] = token * nExperts + chosenNK[slot];
        slotsByExpert[chosenNK[slot]].push(slot);
      }
      const chosenProbsNK = tf.reshape(tf.gather(tf.reshape(probsNE, [nTokens * nExperts]), tf.tensor1d(flatIndex, 'int32')), [nTokens, topK]);
      const mixWeights = tf.reshape(tf.div(chosenProbsNK, tf.sum(chosenProbsNK, 1, true)), [nTokens * topK]);

      const contributions: Tensor[] = [];
      const targetTokens: number[] = [];
      // An expert that no token chose still runs on zero rows, so that every parameter takes
      // part in the graph and tf.grads returns (zero) gradients for it.
      slotsByExpert.forEach((slots, e) => {
        const tokens = slots.map((slot) => Math.floor(slot / topK));
        const expertInMD = tf.gather(x2d, tf.tensor1d(tokens, 'int32'));
        const expertOutMD = gatedRows(params, expertInMD, EXPERT_ACTIVATION[options.expert], `experts.${e}.`);
        const weightM1 = tf.reshape(tf.gather(mixWeights, tf.tensor1d(slots, 'int32')), [slots.length, 1]);
        contributions.push(tf.mul(expertOutMD, weightM1));
        targetTokens.push(...tokens);
      });
      const y2d = tf.unsortedSegmentSum(tf.concat(contributions, 0), tf.tensor1d(targetTokens, 'int32'), nTokens);

      const tokenFraction = new Float32Array(nExperts);
      slotsByExpert.forEach((slots, e) => (tokenFraction[e] = slots.length / nTokens));
      const meanProbE = tf.mean(probsNE, 0);
      const aux = tf.mul(tf.sum(tf.mul(meanProbE, tf.tensor1d(tokenFraction))), options.aux_loss_coef * nExperts);

      return { y: tf.reshape(y2d, [batch, seq, dModel]), aux };
    });
  },
  flopsPerToken(options, dims) {
    return 2 * dims.d_model * options.n_experts + options.top_k * 3 * 2 * dims.d_model * dims.d_ff;
  },
};
