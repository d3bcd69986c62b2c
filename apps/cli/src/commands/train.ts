/** `archzoo train <recipe>`: train one recipe scale and write a run directory. */
import { parseBackendName } from '@archzoo/core';
import { BROWN, parseTokenizerName, TOKENIZER_NAMES } from '@archzoo/data';

import { MAX_SEED, onePositional, parseIntegerFlag, stringFlag } from '../args.js';
import { DEFAULT_SCALE, findRecipe, findTrainScale } from '../catalog.js';
import { HELP_FLAG, type Command } from '../command.js';
import { formatLoss } from '../format.js';
import { BACKEND_FLAG, OUT_FLAG, SCALE_FLAG } from '../train-flags.js';
import { type RunSummary, trainRun } from '../training.js';

/** Console lines after a run: losses against the unigram baseline, speed and where the files are. */
export function summaryLines(summary: RunSummary, runDir: string): string[] {
  const margin = summary.marginOverBaseline;
  const versus = Number.isFinite(margin)
    ? `${Math.abs(margin).toFixed(4)} ${margin > 0 ? 'below' : 'above'} the unigram baseline ${formatLoss(summary.unigramBaselineLoss)}`
    : `unigram baseline ${formatLoss(summary.unigramBaselineLoss)}`;
  return [
    `${summary.interrupted ? 'interrupted' : 'finished'} after ${summary.steps} steps: train loss ${formatLoss(summary.finalTrainLoss)}, val loss ${formatLoss(summary.finalValLoss)} (${versus})`,
    `${Math.round(summary.tokensPerSecond)} tokens/s over ${summary.seconds.toFixed(1)} s; run directory ${runDir}`,
  ];
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a recipe scale and write a run directory',
  synopsis: 'train <recipe> [--scale S] [--steps N] [--seed N] [--backend B] [--data PATH] [--tokenizer NAME] [--out DIR]',
  details:
    'Writes config.json, env.json, metrics.jsonl (one record per logged step) and summary.json to the run directory.\n' +
    'Ctrl-C stops after the current step and still writes summary.json.',
  flags: {
    ...SCALE_FLAG,
    steps: { type: 'string', valueName: 'N', description: "optimizer steps, an integer >= 1 (default: the scale's)" },
    seed: {
      type: 'string',
      valueName: 'N',
      description: `seed of initialisation, batch order and dropout, an integer from 0 to ${MAX_SEED} (default: the scale's)`,
    },
    ...BACKEND_FLAG,
    data: {
      type: 'string',
      valueName: 'PATH',
      description: `"${BROWN}" (default, the Brown corpus) or a UTF-8 text file or folder of .txt/.md files`,
    },
    tokenizer: {
      type: 'string',
      valueName: 'NAME',
      description: `tiktoken encoding: ${TOKENIZER_NAMES.join(', ')} (default: the scale's); its ids must fit the model's vocab_size`,
    },
    ...OUT_FLAG,
    ...HELP_FLAG,
  },
  async run({ values, positionals }, io) {
    const recipe = findRecipe(io.recipes, onePositional('train', positionals, 'recipe name', 'run `archzoo list` to see them'));
    const scaleName = stringFlag(values, 'scale') ?? DEFAULT_SCALE;
    const scale = findTrainScale(recipe, scaleName);
    const steps = values.steps === undefined ? undefined : parseIntegerFlag('steps', values.steps as string, 1);
    const seed = values.seed === undefined ? undefined : parseIntegerFlag('seed', values.seed as string, 0, MAX_SEED);
    const backend = stringFlag(values, 'backend');
    if (backend !== undefined) parseBackendName(backend);
    const tokenizer = stringFlag(values, 'tokenizer');
    if (tokenizer !== undefined) parseTokenizerName(tokenizer);

    const outcome = await trainRun(
      { recipe, scaleName, scale, steps, seed, backend, tokenizer, data: stringFlag(values, 'data'), out: stringFlag(values, 'out') },
      io,
    );
    io.stdout.write(`${summaryLines(outcome.summary, outcome.runDir).join('\n')}\n`);
    return outcome.summary.interrupted ? 130 : 0;
  },
};
