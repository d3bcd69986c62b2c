/**
 * `archzoo reproduce <recipe>`: train with the recipe's own seed and steps on the default data and
 * compare the losses with the result recorded for that scale and backend.
 */
import { join } from 'node:path';

import { compareWithRecord, parseBackendName, type RecordedResult, writeFileAtomic } from '@archzoo/core';
import { BROWN } from '@archzoo/data';

import { onePositional, stringFlag } from '../args.js';
import { DEFAULT_SCALE, findRecipe, findTrainScale } from '../catalog.js';
import { HELP_FLAG, type Command } from '../command.js';
import { renderReport } from '../report.js';
import { BACKEND_FLAG, OUT_FLAG, SCALE_FLAG } from '../train-flags.js';
import { trainRun } from '../training.js';
import { summaryLines } from './train.js';

export const reproduceCommand: Command = {
  name: 'reproduce',
  summary: "train with a recipe's recorded setup and compare with its recorded losses",
  synopsis: 'reproduce <recipe> [--scale S] [--backend B] [--out DIR]',
  details:
    "Uses the scale's seed, steps and tokenizer on the Brown corpus, then compares the training losses and the final\n" +
    'validation loss with the result recorded for that scale and the backend actually used. Writes report.md beside\n' +
    'the files `archzoo train` writes. Exit code 0 only when every point is within the recorded tolerance; 1 otherwise.',
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
        `to record one, add this run's losses (summary.json, metrics.jsonl) to the recipe's recorded results`;
    }
    io.stdout.write(`${verdictLine}\n`);

    const margin = outcome.summary.marginOverBaseline;
    io.stdout.write(
      Number.isFinite(margin) && margin > 0
        ? `val loss beats the unigram baseline by ${margin.toFixed(4)} nats/token\n`
        : `val loss does NOT beat the unigram baseline (${outcome.summary.unigramBaselineLoss.toFixed(4)} nats/token)\n`,
    );

    const reportPath = join(outcome.runDir, 'report.md');
    await writeFileAtomic(reportPath, renderReport({ recipe, outcome, record, verdict, verdictLine }));
    io.stdout.write(`report written to ${reportPath}\n`);
    return match ? 0 : 1;
  },
};
