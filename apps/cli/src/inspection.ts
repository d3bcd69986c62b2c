/**
 * Size and cost of a recipe's architectures, computed from the configs alone (nothing is built):
 * parameter counts, forward FLOPs per token, shape ratios and KV-cache sizes.
 */
import { costReport, kvCacheBytes, type ModelConfig, type Recipe, Registry, type ResolvedConfig, resolveConfig } from '@archzoo/core';

import { FULL_SCALE } from './catalog.js';

export interface ScaleInspection {
  scale: string;
  description: string;
  vocabSize: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  headDim: number;
  dFf: number;
  contextLength: number;
  params: number;
  /** Parameters outside the token embedding, the output projection and learned positions. */
  nonEmbeddingParams: number;
  forwardFlopsPerToken: number;
  trainingFlopsPerToken: number;
  dFfPerDModel: number;
  dModelPerLayer: number;
  /** float32 keys and values, summed over layers. */
  kvCacheBytesPerToken: number;
  /** float32 KV cache at `contextLength` tokens, honouring windowed layers. */
  kvCacheBytesFullContext: number;
  /** With a requested context: float32 KV cache at that many tokens, and the same with as many kv heads as query heads (MHA). */
  kvCacheAtContext?: { tokens: number; bytes: number; mhaBytes: number };
}

export interface PublishedCheck {
  name: string;
  published: number;
  computed: number;
  /** (computed - published) / published. */
  relativeDifference: number;
  /** Allowed |relativeDifference| (0 = exact). */
  tolerance: number;
  withinTolerance: boolean;
  source: string;
}

export interface RecipeInspection {
  recipe: string;
  title: string;
  parent: string | null;
  published: PublishedCheck;
  scales: ScaleInspection[];
}

function inspectConfig(scale: string, description: string, model: ModelConfig, registry: Registry, context?: number): ScaleInspection {
  const resolved = resolveConfig(model, registry);
  const cost = costReport(resolved, registry);
  const { dims } = resolved;
  return {
    scale,
    description,
    vocabSize: dims.vocab_size,
    dModel: dims.d_model,
    nLayers: dims.n_layers,
    nHeads: dims.n_heads,
    nKvHeads: dims.n_kv_heads,
    headDim: dims.head_dim,
    dFf: dims.d_ff,
    contextLength: dims.context_length,
    params: cost.params,
    nonEmbeddingParams: cost.nonEmbeddingParams,
    forwardFlopsPerToken: cost.forwardFlopsPerToken,
    trainingFlopsPerToken: cost.trainingFlopsPerToken,
    dFfPerDModel: dims.d_ff / dims.d_model,
    dModelPerLayer: dims.d_model / dims.n_layers,
    kvCacheBytesPerToken: cost.kvCacheBytesPerToken,
    kvCacheBytesFullContext: kvCacheBytes(resolved, registry, dims.context_length),
    ...(context === undefined ? {} : { kvCacheAtContext: kvCacheAt(resolved, registry, context) }),
  };
}

/** KV-cache bytes at `tokens`, and what multi-head attention (one kv head per query head) would need. */
function kvCacheAt(resolved: ResolvedConfig, registry: Registry, tokens: number): { tokens: number; bytes: number; mhaBytes: number } {
  const bytes = kvCacheBytes(resolved, registry, tokens);
  return { tokens, bytes, mhaBytes: (bytes * resolved.dims.n_heads) / resolved.dims.n_kv_heads };
}

/**
 * Inspects `scales` of `recipe` (all of them, `full` first, when none are given); with `context`,
 * also the KV cache at that many tokens.
 */
export function inspectRecipe(recipe: Recipe, scales?: readonly string[], context?: number): RecipeInspection {
  const registry = new Registry(recipe.plugins);
  const published = inspectConfig(FULL_SCALE, `published ${recipe.published.name}`, recipe.published.config, registry, context);
  const expected = recipe.published.params.value;
  const relativeDifference = (published.params - expected) / expected;

  const names = scales ?? [FULL_SCALE, ...Object.keys(recipe.scales)];
  const inspected = names.map((name) =>
    name === FULL_SCALE ? published : inspectConfig(name, recipe.scales[name].description, recipe.scales[name].model, registry, context),
  );
  return {
    recipe: recipe.name,
    title: recipe.title,
    parent: recipe.parent ?? null,
    published: {
      name: recipe.published.name,
      published: expected,
      computed: published.params,
      relativeDifference,
      tolerance: recipe.published.params.tolerance,
      withinTolerance: Math.abs(relativeDifference) <= recipe.published.params.tolerance,
      source: recipe.published.params.source,
    },
    scales: inspected,
  };
}
