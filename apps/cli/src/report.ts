/** `report.md` of a reproduction: the result, the comparison with the record, and what the recipe changes. */
import type { Recipe, RecordedResult, ReproductionVerdict } from '@archzoo/core';

import { formatCompact, formatInteger, formatLoss } from './format.js';
import type { TrainOutcome } from './training.js';

export interface ReportInput {
  recipe: Recipe;
  outcome: TrainOutcome;
  record: RecordedResult | undefined;
  verdict: ReproductionVerdict | undefined;
  /** The verdict line the console printed. */
  verdictLine: string;
}

/** Renders the markdown report of a reproduction run. */
export function renderReport({ recipe, outcome, record, verdict, verdictLine }: ReportInput): string {
  const { summary, backend, corpus, train } = outcome;
  const lines = [
    `# ${recipe.title}: reproduction at scale ${summary.scale}`,
    '',
    `- Backend: ${backend.name} (TensorFlow.js ${backend.tfBackend}, requested ${backend.requested})`,
    `- Data: ${corpus.source}, tokenizer ${corpus.tokenizer.name}, ${formatInteger(corpus.train.length)} train / ${formatInteger(corpus.val.length)} validation tokens`,
    `- Training: ${summary.steps} of ${train.steps} steps, seed ${train.seed}, batch ${train.batch_size} x ${train.seq_len} tokens${summary.interrupted ? ' (interrupted)' : ''}`,
    '',
    '## Result',
    '',
    '| metric | value |',
    '| --- | --- |',
    `| final train loss (nats/token) | ${formatLoss(summary.finalTrainLoss)} |`,
    `| final validation loss (nats/token) | ${formatLoss(summary.finalValLoss)} |`,
    `| unigram baseline (nats/token) | ${formatLoss(summary.unigramBaselineLoss)} |`,
    `| margin over baseline (nats/token) | ${formatLoss(summary.marginOverBaseline)} |`,
    `| throughput (tokens/s) | ${Math.round(summary.tokensPerSecond)} |`,
    `| wall time (s) | ${summary.seconds.toFixed(1)} |`,
    `| parameters | ${formatInteger(summary.params)} (non-embedding ${formatInteger(summary.nonEmbeddingParams)}) |`,
    `| forward FLOPs per token | ${formatCompact(summary.forwardFlopsPerToken)} (training ${formatCompact(summary.trainingFlopsPerToken)}) |`,
    '',
    '## Comparison with the recorded result',
    '',
  ];
  if (record && verdict) {
    lines.push(`Recorded on ${record.backend} with seed ${record.seed}; tolerance ${record.tolerance.nats} nats/token (${record.tolerance.reason}).`);
    lines.push(`Record provenance: ${record.provenance}`, '');
    lines.push(...verdict.lines.map((line) => `- ${line}`), '');
  }
  lines.push(`**${verdictLine}**`, '');
  lines.push(`## What ${recipe.name} changes from ${recipe.parent ?? 'a plain decoder-only transformer'}`, '');
  lines.push(...recipe.changes.map((change) => `- ${change}`), '');
  return lines.join('\n');
}
