/**
 * The CS336 lecture 3 architecture table (Stanford CS336, 2025), regenerated from the zoo's
 * configs: each column is derived from the config fields it describes, and a field the spec lists
 * as unknown derives to an empty cell.
 */
import type { ModelConfig, SlotOptions } from '@archzoo/core';
import { ZOO } from './catalog.js';
import type { SpecField, TableCells, ZooSpec } from './spec.js';

/** Column titles, in table order, for the keys of `TableCells`. */
export const TABLE_COLUMNS: readonly [keyof TableCells, string][] = [
  ['norm', 'Norm'],
  ['parallel', 'Parallel Layer'],
  ['preNorm', 'Pre-norm'],
  ['position', 'Position Embedding'],
  ['activation', 'Activations'],
  ['stability', 'Stability Tricks'],
];

const POSITION_LABELS: Record<string, string> = {
  sinusoidal: 'Sine',
  learned: 'Absolute',
  t5_relative: 'Relative',
  rope: 'RoPE',
  alibi: 'AliBi',
  none: 'NoPE',
};

const MLP_LABELS: Record<string, string> = { relu: 'ReLU', gelu: 'GeLU', gelu_tanh: 'GeLU', relu2: 'SqRelu', silu: 'SiLU' };
const FFN_LABELS: Record<string, string> = { swiglu: 'SwiGLU', geglu: 'GeGLU', reglu: 'ReGLU', glu: 'GLU', glu_bilinear: 'Bilinear GLU' };

/** Stability labels in the order the lecture table lists them. */
const STABILITY_ORDER = ['Z-loss', 'Logit soft capping', 'Pre+post norm', 'QK-norm', 'QKV clipping', 'Embedding norm'] as const;
const STABILITY_LABELS: Record<string, (typeof STABILITY_ORDER)[number] | undefined> = {
  z_loss: 'Z-loss',
  attn_softcap: 'Logit soft capping',
  final_softcap: 'Logit soft capping',
  qk_norm: 'QK-norm',
  qkv_clip: 'QKV clipping',
  // embedding_scale and logit_scale rescale activations; the table does not count them as tricks.
};

function positionCell(config: ModelConfig): string {
  const pattern = config.layer_pattern ?? [];
  const layerTypes = pattern.length === 0
    ? [config.position.type]
    : pattern.map((entry) => (entry.position === null ? 'none' : ((entry.position?.type as string | undefined) ?? config.position.type)));
  const types = [...new Set(layerTypes)];
  if (types.length === 1) return POSITION_LABELS[types[0]!] ?? types[0]!;
  if (types.length === 2 && types.includes('rope') && types.includes('none')) return 'Hybrid (RoPE+NoPE)';
  return types.map((type) => POSITION_LABELS[type] ?? type).join('+');
}

function activationCell(ffn: SlotOptions): string {
  if (ffn.type === 'mlp') return MLP_LABELS[(ffn.activation as string | undefined) ?? 'gelu'] ?? String(ffn.activation);
  if (ffn.type === 'moe') return FFN_LABELS[(ffn.expert as string | undefined) ?? 'swiglu'] ?? String(ffn.expert);
  return FFN_LABELS[ffn.type] ?? ffn.type;
}

function stabilityCell(config: ModelConfig, isUnknown: (field: SpecField) => boolean): string {
  const labels = new Set<string>();
  for (const options of config.stability ?? []) {
    const label = STABILITY_LABELS[options.type];
    if (label) labels.add(label);
  }
  if (!isUnknown('block.placement') && config.block?.placement === 'sandwich') labels.add('Pre+post norm');
  if (!isUnknown('block.embedding_norm') && config.block?.embedding_norm) labels.add('Embedding norm');
  return STABILITY_ORDER.filter((label) => labels.has(label)).join(', ');
}

/** Computes the six table cells from the spec's config; unknown fields and a null config give ''. */
export function deriveRow(spec: ZooSpec): TableCells {
  const { config } = spec;
  if (config === null) return { norm: '', parallel: '', preNorm: '', position: '', activation: '', stability: '' };
  const unknown = new Set<string>(spec.unknown.map((choice) => choice.field));
  const isUnknown = (field: SpecField) => unknown.has(field);
  const layout = config.block?.layout ?? 'serial';
  const placement = config.block?.placement ?? 'pre';
  const normLabel = config.norm.type === 'rmsnorm' ? 'RMSNorm' : 'LayerNorm';
  const layoutLabel = layout === 'serial' ? 'Serial' : 'Parallel';
  // Sandwich and reordered norms also sit on sublayer outputs, so only 'pre' counts as pre-norm.
  const preNormLabel = placement === 'pre' ? '☑' : '☐';
  return {
    norm: isUnknown('norm') ? '' : normLabel,
    parallel: isUnknown('block.layout') ? '' : layoutLabel,
    preNorm: isUnknown('block.placement') ? '' : preNormLabel,
    position: isUnknown('position') ? '' : positionCell(config),
    activation: isUnknown('ffn') ? '' : activationCell(config.ffn),
    stability: isUnknown('stability') ? '' : stabilityCell(config, isUnknown),
  };
}

function sameCell(column: keyof TableCells, derived: string, lecture: string): boolean {
  if (column !== 'stability') return derived === lecture;
  const split = (cell: string) => cell.split(',').map((label) => label.trim()).filter(Boolean).sort().join(', ');
  return split(derived) === split(lecture);
}

export interface TableRow {
  id: string;
  name: string;
  year: number;
  /** Cells derived from the config. */
  derived: TableCells;
  /** Cells as the lecture table prints them. */
  lecture: TableCells;
  /** Columns whose derived cell differs from the lecture's (stability labels compare as sets). */
  differs: (keyof TableCells)[];
  /** One note per differing column, from the spec's `disagreements`, joined by '; '; '' when none differ. */
  disagreement: string;
}

/** Builds one row per spec (default: the whole zoo, in table order). */
export function tableRows(specs: readonly ZooSpec[] = ZOO): TableRow[] {
  return specs.map((spec) => {
    const derived = deriveRow(spec);
    const differs = TABLE_COLUMNS.map(([column]) => column).filter((column) => !sameCell(column, derived[column], spec.lectureRow[column]));
    const titles = new Map(TABLE_COLUMNS);
    const disagreement = differs
      .map((column) => `${titles.get(column)}: ${spec.disagreements?.[column] ?? 'no explanation recorded'}`)
      .join('; ');
    return { id: spec.id, name: spec.name, year: spec.year, derived, lecture: spec.lectureRow, differs, disagreement };
  });
}
