/**
 * Parameter counts and FLOPs per token, from the config alone. A multiply-add counts as 2 FLOPs;
 * training costs 3x the forward pass (forward, plus input and weight gradients).
 */
import type { ResolvedConfig } from './config.js';
import { countParams, modelParamSpecs } from './params.js';
import type { Registry } from './registry.js';
import type { ParamSpec } from './spec.js';

export interface CostReport {
  params: number;
  /** Parameters outside the token embedding and output projection. */
  nonEmbeddingParams: number;
  /** Forward FLOPs per token at full context, counting matrix products and attention scores. */
  forwardFlopsPerToken: number;
  trainingFlopsPerToken: number;
  /** Bytes of key/value cache per token of context (float32), summed over layers. */
  kvCacheBytesPerToken: number;
}

function matrixFlops(specs: ParamSpec[]): number {
  return specs.filter((s) => s.shape.length >= 2).reduce((sum, s) => sum + 2 * s.shape.reduce((a, b) => a * b, 1), 0);
}

/** Mean number of keys a query sees in a causal sequence of `t` tokens. */
export function causalAttended(t: number, window?: number): number {
  if (!window || window >= t) return (t + 1) / 2;
  // Queries before the window fills see i + 1 keys; the rest see `window`.
  const filling = (window * (window + 1)) / 2;
  return (filling + (t - window) * window) / t;
}

export function costReport(config: ResolvedConfig, registry: Registry): CostReport {
  const { dims } = config;
  const specs = modelParamSpecs(config, registry);
  const params = countParams(specs);
  const embedding = dims.vocab_size * dims.d_model * (config.tie_embeddings ? 1 : 2);
  const positionParams = countParams(specs.filter((s) => s.name.startsWith('position.')));

  let forward = 2 * dims.d_model * dims.vocab_size;
  config.layers.forEach((slots) => {
    const attention = registry.get('attention', slots.attention.type);
    const ffn = registry.get('ffn', slots.ffn.type);
    const attended = attention.attended ? attention.attended(slots.attention, dims.context_length) : causalAttended(dims.context_length);
    forward += attention.flopsPerToken
      ? attention.flopsPerToken(slots.attention, dims, attended)
      : matrixFlops(attention.params(slots.attention, dims)) + 4 * dims.n_heads * dims.head_dim * attended;
    forward += ffn.flopsPerToken ? ffn.flopsPerToken(slots.ffn, dims, attended) : matrixFlops(ffn.params(slots.ffn, dims));
  });

  const kvPerLayer = 2 * dims.n_kv_heads * dims.head_dim * 4;
  return {
    params,
    nonEmbeddingParams: params - embedding - positionParams,
    forwardFlopsPerToken: forward,
    trainingFlopsPerToken: 3 * forward,
    kvCacheBytesPerToken: kvPerLayer * dims.n_layers,
  };
}

/** KV-cache bytes (float32) for `t` tokens of context, honouring windowed layers. */
export function kvCacheBytes(config: ResolvedConfig, registry: Registry, t: number, bytesPerValue = 4): number {
  const { dims } = config;
  return config.layers.reduce((sum, slots) => {
    const attention = registry.get('attention', slots.attention.type);
    const positions = attention.cachedPositions ? attention.cachedPositions(slots.attention, t) : t;
    return sum + 2 * dims.n_kv_heads * dims.head_dim * positions * bytesPerValue;
  }, 0);
}
