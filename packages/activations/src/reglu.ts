// Legend: B batch, T sequence, D model width, F FFN width (width of one input projection).
import { gatedManifest } from './gated.js';

/** ReGLU: (relu(x W_gate) * (x W_up)) W_down, [B, T, D] -> [B, T, D]. */
export const reglu = gatedManifest('reglu', 'relu', 'ReGLU gated FFN: relu(x W_gate) * (x W_up), then W_down', []);
