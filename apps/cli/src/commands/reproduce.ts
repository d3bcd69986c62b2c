/**
 * `archzoo reproduce <recipe>`: train with the recipe's own seed and steps on the default data and
 * compare the losses with the result recorded for that scale and backend.
 */
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import { compareWithRecord, curveFromLosses, parseBackendName, type Recipe, type RecordedResult, roundLoss, writeFileAtomic } from '@archzoo/core';
import { BROWN } from '@archzoo/data';

import { onePositional, stringFlag } from '../args.js';
import { DEFAULT_SCALE, findRecipe, findTrainScale } from '../catalog.js';
import { HELP_FLAG, type Command } from '../command.js';
import { renderReport } from '../report.js';
import { writeJsonAtomic } from '../run-dir.js';
import { BACKEND_FLAG, OUT_FLAG, SCALE_FLAG } from '../train-flags.js';
import { trainRun, type TrainOutcome } from '../training.js';
import { summaryLines } from './train.js';

export const reproduceCommand: Command = {
  name: 'reproduce',
  summary: "train with a recipe's recorded setup and compare with its recorded losses",
  synopsis: 'reproduce <recipe> [--scale S] [--backend B] [--out DIR]',
  details:
    "Uses the scale's seed, steps and tokenizer on the Brown corpus, then compares the training losses and the final\n" +
    'validation loss with the result recorded for that scale and the backend actually used. Writes report.md beside\n' +
    'the files `archzoo train` writes, and record.json: this run as a recorded result, with the mean training loss of\n' +
    'every window of steps/12 steps, ready to add to the recipe. Exit code 0 only when every point is within the\n' +
    'recorded tolerance; 1 otherwise.',
  flags: { ...SCALE_FLAG, ...BACKEND_FLAG, ...OUT_FLAG, ...HELP_FLAG },
  async run({ values, positionals }, io) {
    const recipe = findRecipe(io.recipes, onePositional('reproduce', positionals, 'recipe name', 'run `archzoo list` to see them'));
    const scaleName = stringFlag(values, 'scale') ?? DEFAULT_SCALE;
    const scale = findTrainScale(recipe, scaleName);
    const backend = stringFlag(values, 'backend');
    if (backend !== undefined) parseBackendName(backend);

    const outcome = await trainRun({ recipe, scaleName, scale, backend, data: BROWN, out: stringFlag(values, 'out') }, io);
    io.stdout.write(`${summaryLines(outcome.summary, outcome.runDir).join('\n')}\n`);

    const backendName = outcome.backend.name;
    const record: RecordedResult | undefined = recipe.recorded.find((entry) => entry.scale === scaleName && entry.backend === backendName);
    let verdictLine: string;
    let match = false;
    const verdict = record ? compareWithRecord(record, outcome.losses, outcome.summary.finalValLoss) : undefined;
    if (record && verdict) {
      const tokenizer = outcome.corpus.tokenizer.name;
      if (record.seed !== outcome.train.seed || record.steps !== outcome.train.steps || record.tokenizer !== tokenizer) {
        io.stderr.write(
          `archzoo: warning: the record was made with seed ${record.seed}, ${record.steps} steps and tokenizer ${record.tokenizer}, ` +
            `but scale ${scaleName} now sets seed ${outcome.train.seed}, ${outcome.train.steps} steps and tokenizer ${tokenizer}, so the losses are not expected to match\n`,
        );
      }
      for (const line of verdict.lines) io.stdout.write(`${line}\n`);
      match = verdict.match && !outcome.summary.interrupted;
      verdictLine = `${match ? 'MATCH' : 'MISMATCH'}: max |diff| ${verdict.maxDifference.toFixed(4)} vs tolerance ${record.tolerance.nats} nats/token`;
    } else {
      const recordedOn = recipe.recorded.filter((entry) => entry.scale === scaleName).map((entry) => entry.backend);
      const others = recordedOn.length ? `; recorded backends for this scale: ${recordedOn.join(', ')}` : '';
      verdictLine =
        `NO RECORD: ${recipe.name} has no recorded result for scale ${scaleName} on backend ${backendName}${others}; ` +
        `to record one, add the contents of record.json in the run directory to the recipe's recorded results`;
    }
    io.stdout.write(`${verdictLine}\n`);

    const margin = outcome.summary.marginOverBaseline;
    io.stdout.write(
      Number.isFinite(margin) && margin > 0
        ? `val loss beats the unigram baseline by ${margin.toFixed(4)} nats/token\n`
        : `val loss does NOT beat the unigram baseline (${outcome.summary.unigramBaselineLoss.toFixed(4)} nats/token)\n`,
    );

    // An interrupted run is no record.
    if (!outcome.summary.interrupted) await writeJsonAtomic(join(outcome.runDir, 'record.json'), recordOfRun(recipe, scaleName, outcome));
    const reportPath = join(outcome.runDir, 'report.md');
    await writeFileAtomic(reportPath, renderReport({ recipe, outcome, record, verdict, verdictLine }));
    io.stdout.write(`report written to ${reportPath}\n`);
    return match ? 0 : 1;
  },
};

/** Default tolerance of a new record. The records in the recipes state their own. */
const DEFAULT_TOLERANCE = {
  nats: 0.1,
  reason: 'the default for a new record: replace it with the spread measured between runs of this record on other machines or thread counts',
};

/**
 * Builds the recorded result of a run. Its curve contains the mean training loss over windows of
 * steps/12 steps (50 for 600), which damps batch-to-batch noise. Its tolerance is that of the
 * scale's existing record when there is one.
 */
export function recordOfRun(recipe: Recipe, scaleName: string, outcome: TrainOutcome): RecordedResult {
  const { summary, backend, train, corpus } = outcome;
  const window = Math.max(1, Math.round(outcome.losses.length / 12));
  const existing = recipe.recorded.find((entry) => entry.scale === scaleName);
  const blas = backend.detail.blas === 'openblas' ? 'OpenBLAS' : backend.detail.blas;
  const gemm = blas === undefined ? '' : `, ${blas}, ${backend.detail.threads} GEMM threads`;
  const machine = `${cpus().length}-core ${cpus()[0]?.model.trim() ?? 'unknown CPU'} with ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version.slice(1)}`;
  return {
    scale: scaleName,
    backend: backend.name,
    seed: train.seed,
    steps: outcome.losses.length,
    data: corpus.source,
    tokenizer: corpus.tokenizer.name,
    trainCurve: curveFromLosses(outcome.losses, window),
    curveWindow: window,
    finalValLoss: roundLoss(summary.finalValLoss),
    tolerance: existing?.tolerance ?? DEFAULT_TOLERANCE,
    provenance:
      `\`archzoo reproduce ${recipe.name} --scale ${scaleName}\` (${backend.requested} chose ${backend.name}${gemm}) on a ${machine}, ` +
      `${new Date().toISOString().slice(0, 10)}; ${summary.seconds.toFixed(0)} s of training and evaluation, final validation loss ` +
      `${summary.finalValLoss.toFixed(4)} against the unigram baseline ${summary.unigramBaselineLoss.toFixed(4)}`,
  };
}
