/**
 * The zoo's record of one published model: its representative configuration as an archzoo
 * `ModelConfig`, the source of every field, the choices that were never published, and the row
 * the CS336 lecture 3 architecture table (Stanford CS336, 2025) gives it.
 */
import type { ModelConfig } from '@archzoo/core';

/**
 * The fields every spec accounts for: each is either set in `config` with a source in `sources`,
 * or listed in `unknown`. Block fields are listed one by one because papers state them separately.
 */
export const SPEC_FIELDS = [
  'vocab_size',
  'd_model',
  'n_layers',
  'n_heads',
  'n_kv_heads',
  'd_ff',
  'context_length',
  'norm',
  'position',
  'attention',
  'ffn',
  'stability',
  'block.placement',
  'block.layout',
  'block.final_norm',
  'block.embedding_norm',
  'tie_embeddings',
] as const;

/**
 * Optional config fields that need a source when set. A layer_pattern is sourced by the
 * attention and position entries whose per-layer options it holds.
 */
export const OPTIONAL_SPEC_FIELDS = ['head_dim'] as const;

/** A field of `SPEC_FIELDS` or `OPTIONAL_SPEC_FIELDS`, or a finer path such as `norm.eps`. */
export type SpecField = (typeof SPEC_FIELDS)[number] | (typeof OPTIONAL_SPEC_FIELDS)[number] | `${string}.${string}`;

/** The six cells of the lecture table, as printed; an empty cell is ''. */
export interface TableCells {
  norm: string;
  parallel: string;
  preNorm: string;
  position: string;
  activation: string;
  stability: string;
}

/** A choice the published material does not state. */
export interface UnknownChoice {
  field: SpecField;
  /** What is missing and where it was looked for. */
  reason: string;
  /**
   * The value `config` carries so that a tiny proxy can be built, labelled as an assumption.
   * Absent when the spec has no config.
   */
  assumption?: string;
}

/** A parameter count published for the model. */
export interface PublishedParams {
  value: number;
  source: string;
  /** Allowed relative difference between the count from `config` and `value`. */
  tolerance: number;
  /** Why the tolerance is that large. */
  toleranceReason: string;
}

export interface ZooSpec {
  /** Stable kebab-case id, e.g. "llama-2-70b". */
  id: string;
  /** The model's display name. */
  name: string;
  /** The model name exactly as the lecture table prints it, e.g. "Phi3 (small) - same for phi4". */
  lectureName: string;
  year: number;
  /** The spec this one is a diff from, if any. */
  parent?: string;
  /**
   * The representative configuration; null when too little was published to build even a proxy.
   * Fields listed in `unknown` carry labelled assumptions.
   */
  config: ModelConfig | null;
  /** Source of each set field of `SPEC_FIELDS` (and of finer paths where they differ). */
  sources: Partial<Record<SpecField, string>>;
  unknown: UnknownChoice[];
  /**
   * Fields whose values were recalled from the paper or config but not checked against the
   * primary source; they are encoded but should be checked before being relied on.
   */
  unverified: SpecField[];
  /** Features of the real model that archzoo cannot express, and what the config does instead. */
  limitations: string[];
  /** Anything a reader needs to interpret the config (encoder-decoder models, chosen size). */
  notes: string[];
  params?: PublishedParams;
  /** The lecture table's row for this model, cell for cell. */
  lectureRow: TableCells;
  /**
   * For each column where the cell derived from `config` differs from `lectureRow`, why, with a
   * source. A test checks that these are exactly the differing columns.
   */
  disagreements?: Partial<Record<keyof TableCells, string>>;
}

/** What a derived spec changes from its parent; `config` replaces the parent's config fields shallowly. */
export interface SpecDiff extends Omit<Partial<ZooSpec>, 'config'> {
  id: string;
  name: string;
  lectureName: string;
  year: number;
  lectureRow: TableCells;
  config?: Partial<ModelConfig>;
}

/**
 * Builds a spec as `parent` plus `diff`: config fields, sources and the unknown list are merged
 * (an unknown entry of the diff replaces the parent's entry for the same field and drops its
 * source), everything else is replaced. A field the diff sources is no longer unknown.
 */
export function deriveSpec(parent: ZooSpec, diff: SpecDiff): ZooSpec {
  const diffUnknown = diff.unknown ?? [];
  const sources = { ...parent.sources, ...diff.sources };
  for (const choice of diffUnknown) delete sources[choice.field];
  const unknown = [
    ...parent.unknown.filter((u) => !diffUnknown.some((d) => d.field === u.field) && !(u.field in (diff.sources ?? {}))),
    ...diffUnknown,
  ];
  const config = parent.config === null ? null : ({ ...parent.config, ...diff.config } as ModelConfig);
  return {
    ...parent,
    ...diff,
    parent: parent.id,
    config,
    sources,
    unknown,
    unverified: diff.unverified ?? parent.unverified,
    limitations: diff.limitations ?? parent.limitations,
    notes: diff.notes ?? parent.notes,
    params: diff.params,
    disagreements: diff.disagreements,
  };
}

/** Builds a `TableCells` from the six cells in table order. */
export function cells(norm: string, parallel: string, preNorm: string, position: string, activation: string, stability: string): TableCells {
  return { norm, parallel, preNorm, position, activation, stability };
}
