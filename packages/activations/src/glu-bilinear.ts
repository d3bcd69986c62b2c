// Legend: B batch, T sequence, D model width, F FFN width (width of one input projection).
import { gatedManifest } from './gated.js';

/** Bilinear GLU, with no activation on the gate: ((x W_gate) * (x W_up)) W_down, [B, T, D] -> [B, T, D]. */
export const gluBilinear = gatedManifest('glu_bilinear', null, 'Bilinear gated FFN: (x W_gate) * (x W_up), then W_down', []);
