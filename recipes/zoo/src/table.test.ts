import { describe, expect, it } from 'vitest';
import { ZOO } from './catalog.js';
import { formatTable } from './format.js';
import { deriveRow, tableRows, TABLE_COLUMNS } from './table.js';
import type { TableCells } from './spec.js';

type Row = [id: string, norm: string, parallel: string, preNorm: string, position: string, activation: string, stability: string, differs: string];

/**
 * The table derived from the zoo's configs, one row per model in the lecture table's order, and
 * the columns where it differs from the CS336 lecture 3 architecture table (Stanford CS336, 2025).
 */
const EXPECTED: Row[] = [
  ['transformer', 'LayerNorm', 'Serial', '☐', 'Sine', 'ReLU', '', ''],
  ['gpt', 'LayerNorm', 'Serial', '☐', 'Absolute', 'GeLU', '', ''],
  ['t5', 'RMSNorm', 'Serial', '☑', 'Relative', 'ReLU', '', ''],
  ['gpt-2', 'LayerNorm', 'Serial', '☑', 'Absolute', 'GeLU', '', ''],
  ['t5-v1.1', 'RMSNorm', 'Serial', '☑', 'Relative', 'GeGLU', '', ''],
  ['mt5', 'RMSNorm', 'Serial', '☑', 'Relative', 'GeGLU', '', ''],
  ['gpt-3', 'LayerNorm', 'Serial', '☑', 'Absolute', 'GeLU', '', ''],
  ['gpt-j', 'LayerNorm', 'Parallel', '☑', 'RoPE', 'GeLU', '', ''],
  ['lamda', '', '', '', 'Relative', 'GeGLU', '', 'preNorm'],
  ['anthropic-lm', '', '', '', '', '', '', 'preNorm'],
  ['gopher', 'RMSNorm', 'Serial', '☑', 'Relative', 'GeLU', '', 'activation'],
  ['gpt-neox', 'LayerNorm', 'Parallel', '☑', 'RoPE', 'GeLU', '', ''],
  ['bloom', 'LayerNorm', 'Serial', '☑', 'AliBi', 'GeLU', 'Embedding norm', 'stability'],
  ['opt', 'LayerNorm', 'Serial', '☑', 'Absolute', 'ReLU', '', ''],
  ['palm', 'LayerNorm', 'Parallel', '☑', 'RoPE', 'SwiGLU', 'Z-loss', 'norm'],
  ['chinchilla', 'RMSNorm', 'Serial', '☑', 'Relative', 'GeLU', '', 'activation'],
  ['mistral', 'RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', '', ''],
  ['llama-2', 'RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', '', ''],
  ['llama', 'RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', '', ''],
  ['gpt-4', '', '', '', '', '', '', 'preNorm'],
  ['olmo-2', 'RMSNorm', 'Serial', '☐', 'RoPE', 'SwiGLU', 'Z-loss, QK-norm', ''],
  ['gemma-2', 'RMSNorm', 'Serial', '☐', 'RoPE', 'GeGLU', 'Logit soft capping, Pre+post norm', ''],
  ['nemotron-4', 'LayerNorm', 'Serial', '☑', 'RoPE', 'SqRelu', '', ''],
  ['qwen-2', 'RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', '', ''],
  ['falcon-2', 'LayerNorm', 'Parallel', '☑', 'RoPE', 'GeLU', 'Z-loss', ''],
  ['phi-3-small', 'LayerNorm', 'Serial', '☑', 'RoPE', 'GeGLU', '', 'norm'],
  ['llama-3', 'RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', '', ''],
  ['reka-flash', 'RMSNorm', '', '', 'RoPE', 'SwiGLU', '', 'parallel preNorm'],
  ['command-r-plus', 'LayerNorm', 'Parallel', '☑', 'RoPE', 'SwiGLU', 'QK-norm', 'stability'],
  ['olmo', 'LayerNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', '', 'norm'],
  ['qwen', 'RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', '', ''],
  ['deepseek', 'RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', '', ''],
  ['yi', 'RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', '', ''],
  ['mixtral', 'RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', '', 'norm parallel preNorm position activation'],
  ['command-a', 'LayerNorm', 'Parallel', '☑', 'Hybrid (RoPE+NoPE)', 'SwiGLU', '', 'preNorm'],
  ['gemma-3', 'RMSNorm', 'Serial', '☐', 'RoPE', 'GeGLU', 'Pre+post norm, QK-norm', ''],
  ['smollm2', 'RMSNorm', 'Serial', '☑', 'RoPE', 'SwiGLU', '', 'preNorm'],
];

function cellsOf(row: Row): TableCells {
  const [, norm, parallel, preNorm, position, activation, stability] = row;
  return { norm, parallel, preNorm, position, activation, stability };
}

describe('regenerated table', () => {
  const rows = tableRows();

  it('has a row per spec, in table order', () => {
    expect(rows.map((row) => row.id)).toEqual(EXPECTED.map(([id]) => id));
  });

  it.each(EXPECTED.map((row) => [row[0], row] as const))('derives the cells of %s', (id, expected) => {
    const row = rows.find((candidate) => candidate.id === id)!;
    expect(row.derived).toEqual(cellsOf(expected));
  });

  it.each(EXPECTED.map((row) => [row[0], row] as const))('flags the disagreements of %s', (id, expected) => {
    const row = rows.find((candidate) => candidate.id === id)!;
    expect(row.differs.join(' ')).toBe(expected[7]);
  });

  it('explains exactly the differing columns', () => {
    for (const row of rows) {
      const spec = ZOO.find((candidate) => candidate.id === row.id)!;
      expect(Object.keys(spec.disagreements ?? {}).sort(), row.id).toEqual([...row.differs].sort());
      expect(row.disagreement.includes('no explanation recorded'), row.id).toBe(false);
    }
  });
});

describe('deriveRow', () => {
  it('blanks columns whose fields are unknown', () => {
    const lamda = ZOO.find((spec) => spec.id === 'lamda')!;
    const derived = deriveRow(lamda);
    expect(derived.norm).toBe('');
    expect(derived.parallel).toBe('');
    expect(derived.preNorm).toBe('');
  });

  it('counts only plain pre-norm as pre-norm', () => {
    const olmo2 = ZOO.find((spec) => spec.id === 'olmo-2')!;
    const asPre = { ...olmo2, config: { ...olmo2.config!, block: { ...olmo2.config!.block, placement: 'pre' as const } } };
    expect(deriveRow(olmo2).preNorm).toBe('☐');
    expect(deriveRow(asPre).preNorm).toBe('☑');
  });

  it('labels a MoE by its expert type', () => {
    const mixtral = ZOO.find((spec) => spec.id === 'mixtral')!;
    const reglu = { ...mixtral, config: { ...mixtral.config!, ffn: { ...mixtral.config!.ffn, expert: 'reglu' } } };
    expect(deriveRow(reglu).activation).toBe('ReGLU');
  });
});

describe('formatTable', () => {
  const rows = tableRows();

  it('prints a Markdown header, separator and one line per row', () => {
    const lines = formatTable(rows, 'md').trimEnd().split('\n');
    expect(lines[0]).toBe(
      '| Model | Year | Norm | Parallel Layer | Pre-norm | Position Embedding | Activations | Stability Tricks | Public config disagrees |',
    );
    expect(lines).toHaveLength(rows.length + 2);
    expect(lines[2]).toBe('| Original transformer | 2017 | LayerNorm | Serial | ☐ | Sine | ReLU |  |  |');
  });

  it('prints JSON records with the lecture cells beside the derived ones', () => {
    const records = JSON.parse(formatTable(rows, 'json')) as Record<string, unknown>[];
    expect(records).toHaveLength(rows.length);
    const palm = records.find((record) => record.id === 'palm')!;
    expect(palm.Norm).toBe('LayerNorm');
    expect((palm.lecture as Record<string, string>).Norm).toBe('RMSNorm');
    expect(palm['Public config disagrees']).toMatch(/^Norm: .*arXiv 2204\.02311/);
  });

  it('names every lecture column', () => {
    expect(TABLE_COLUMNS.map(([, title]) => title)).toEqual(['Norm', 'Parallel Layer', 'Pre-norm', 'Position Embedding', 'Activations', 'Stability Tricks']);
  });
});
