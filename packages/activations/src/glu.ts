// Legend: B batch, T sequence, D model width, F FFN width (width of one input projection).
import { gatedManifest } from './gated.js';

/**
 * GLU with a sigmoid gate (Dauphin et al. 2017): (sigmoid(x W_gate) * (x W_up)) W_down,
 * [B, T, D] -> [B, T, D].
 */
export const glu = gatedManifest('glu', 'sigmoid', 'GLU gated FFN: sigmoid(x W_gate) * (x W_up), then W_down', [
  'Dauphin et al. 2017, Language Modeling with Gated Convolutional Networks, arXiv 1612.08083',
]);
