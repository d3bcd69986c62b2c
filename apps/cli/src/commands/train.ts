/** `archzoo train <recipe>`: train one recipe scale and write a run directory. */
import { parseBackendName, UsageError } from '@archzoo/core';
import { BROWN, parseTokenizerName, TOKENIZER_NAMES } from '@archzoo/data';

import { MAX_SEED, onePositional, parseIntegerFlag, stringFlag } from '../args.js';
import { DEFAULT_SCALE, findRecipe, findTrainScale } from '../catalog.js';
import { HELP_FLAG, type Command } from '../command.js';
import { formatLoss } from '../format.js';
import { BACKEND_FLAG, OUT_FLAG, SCALE_FLAG } from '../train-flags.js';
import { readResumePoint } from '../checkpointing.js';
import { type RunSummary, trainRun } from '../training.js';

/** Flags that set the run's config, which `--resume` takes from the run directory instead. */
const RUN_CONFIG_FLAGS = ['scale', 'steps', 'seed', 'data', 'tokenizer', 'out'] as const;

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
  synopsis:
    'train <recipe> [--scale S] [--steps N] [--seed N] [--backend B] [--data PATH] [--tokenizer NAME] [--out DIR] [--checkpoint-every N]\n' +
    '   or: archzoo train <recipe> --resume RUN_DIR [--backend B] [--checkpoint-every N]',
  details:
    'Writes config.json, env.json, metrics.jsonl (one record per logged step) and summary.json to the run directory.\n' +
    'Checkpoints go to checkpoints/step-NNNNNN/ in the run directory; the newest 3 are kept.\n' +
    'Ctrl-C or SIGTERM stops after the current step, writes a checkpoint and summary.json, and prints the --resume command.',
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
    'checkpoint-every': {
      type: 'string',
      valueName: 'N',
      description: "write a checkpoint every N steps, an integer >= 0 (default: the scale's eval interval; 0: only at the end and on interrupt)",
    },
    resume: {
      type: 'string',
      valueName: 'RUN_DIR',
      description: 'continue that run from its latest checkpoint, with its config and data, appending to its metrics.jsonl',
    },
    ...HELP_FLAG,
  },
  async run({ values, positionals }, io) {
    const recipe = findRecipe(io.recipes, onePositional('train', positionals, 'recipe name', 'run `archzoo list` to see them'));
    const resumeDir = stringFlag(values, 'resume');
    if (resumeDir !== undefined) {
      const conflicting = RUN_CONFIG_FLAGS.find((flag) => values[flag] !== undefined);
      if (conflicting !== undefined) {
        throw new UsageError(`--${conflicting} conflicts with --resume, which continues the run with its own config; drop --${conflicting} or start a new run`);
      }
    }
    const resume = resumeDir === undefined ? undefined : await readResumePoint(io.cwd, resumeDir, recipe);
    const scaleName = resume?.scaleName ?? stringFlag(values, 'scale') ?? DEFAULT_SCALE;
    const scale = findTrainScale(recipe, scaleName);
    const steps = values.steps === undefined ? undefined : parseIntegerFlag('steps', values.steps as string, 1);
    const seed = values.seed === undefined ? undefined : parseIntegerFlag('seed', values.seed as string, 0, MAX_SEED);
    const backend = stringFlag(values, 'backend');
    if (backend !== undefined) parseBackendName(backend);
    const tokenizer = stringFlag(values, 'tokenizer');
    if (tokenizer !== undefined) parseTokenizerName(tokenizer);
    const every = values['checkpoint-every'] === undefined ? undefined : parseIntegerFlag('checkpoint-every', values['checkpoint-every'] as string, 0);

    const outcome = await trainRun(
      {
        recipe,
        scaleName,
        scale,
        steps,
        seed,
        backend,
        tokenizer,
        data: stringFlag(values, 'data'),
        out: stringFlag(values, 'out'),
        checkpoints: { every },
        resume,
      },
      io,
    );
    io.stdout.write(`${summaryLines(outcome.summary, outcome.runDir).join('\n')}\n`);
    // Shells report death by signal N as 128 + N: SIGINT is 2, SIGTERM is 15.
    if (outcome.interruptedBy === 'SIGTERM') return 143;
    return outcome.summary.interrupted ? 130 : 0;
  },
};
