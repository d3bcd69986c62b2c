// Legend: B batch, T sequence, D model width, F FFN width (width of one input projection).
import { gatedManifest } from './gated.js';

/**
 * SwiGLU: (silu(x W_gate) * (x W_up)) W_down, [B, T, D] -> [B, T, D]. Used by PaLM, LLaMA,
 * Mistral, Qwen2 and OLMo.
 */
export const swiglu = gatedManifest('swiglu', 'silu', 'SwiGLU gated FFN: silu(x W_gate) * (x W_up), then W_down', [
  'HF transformers models/llama/modeling_llama.py (LlamaMLP)',
]);
