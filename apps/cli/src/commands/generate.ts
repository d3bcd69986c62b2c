/** `archzoo generate`: sample text from an archzoo run or a Hugging Face model folder. */
import { generate, selectBackend, tf, UsageError } from '@archzoo/core';

import { MAX_SEED, parseIntegerFlag, stringFlag } from '../args.js';
import { HELP_FLAG, type Command } from '../command.js';
import { buildModel, loadSource, parseTokenList } from '../model-source.js';
import { BACKEND_FLAG } from '../train-flags.js';

const DEFAULT_MAX_TOKENS = 50;

/** Parses a number flag within [min, max]; `minExclusive` rejects min itself. */
export function parseNumberFlag(flag: string, value: string, min: number, max: number, minExclusive = false): number {
  const parsed = Number(value.trim());
  const range = `${minExclusive ? '>' : '>='} ${min} and <= ${max}`;
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > max || (minExclusive && parsed === min)) {
    throw new UsageError(`--${flag} must be a number ${range}, got "${value}"`);
  }
  return parsed;
}

export const generateCommand: Command = {
  name: 'generate',
  summary: 'generate text from a trained run or a Hugging Face model',
  synopsis: 'generate (--run RUN_DIR | --model HF_DIR) (--prompt TEXT | --tokens IDS) [--max-tokens N] [--temperature T] [--top-k K] [--top-p P] [--seed S]',
  details:
    'Decodes incrementally through a KV cache. --run loads the newest checkpoint of an `archzoo train` run and its tiktoken encoding;\n' +
    '--model loads config.json, the safetensors weights and tokenizer.json of a Hugging Face model folder.\n' +
    'Prints the prompt followed by the generated text (or the generated ids with --tokens), and the speed on stderr.',
  flags: {
    run: { type: 'string', valueName: 'RUN_DIR', description: 'archzoo run directory to load the latest checkpoint from' },
    model: { type: 'string', valueName: 'HF_DIR', description: 'Hugging Face model folder (config.json, model.safetensors, tokenizer.json)' },
    prompt: { type: 'string', valueName: 'TEXT', description: "prompt text, encoded with the model's tokenizer" },
    tokens: { type: 'string', valueName: 'IDS', description: 'prompt as comma-separated token ids, e.g. 1,2,3 (no tokenizer needed)' },
    'max-tokens': { type: 'string', valueName: 'N', description: `tokens to generate, an integer >= 0 (default ${DEFAULT_MAX_TOKENS}, capped by the context length)` },
    temperature: { type: 'string', valueName: 'T', description: 'softmax temperature >= 0; 0 is greedy (default 1)' },
    'top-k': { type: 'string', valueName: 'K', description: 'sample among the K most likely tokens; 0 keeps all (default 0)' },
    'top-p': { type: 'string', valueName: 'P', description: 'sample among the most likely tokens whose probability reaches P, in (0, 1] (default 1)' },
    seed: { type: 'string', valueName: 'S', description: `sampling seed, an integer from 0 to ${MAX_SEED} (default 0)` },
    ...BACKEND_FLAG,
    ...HELP_FLAG,
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError(`\`archzoo generate\` takes no positional arguments, got ${positionals.join(' ')}; pass --run or --model`);
    const prompt = stringFlag(values, 'prompt');
    const tokensFlag = stringFlag(values, 'tokens');
    if ((prompt === undefined) === (tokensFlag === undefined)) throw new UsageError('`archzoo generate` needs exactly one of --prompt TEXT or --tokens 1,2,3');
    const maxFlag = stringFlag(values, 'max-tokens');
    const maxTokens = maxFlag === undefined ? undefined : parseIntegerFlag('max-tokens', maxFlag, 0);
    const temperatureFlag = stringFlag(values, 'temperature');
    const topKFlag = stringFlag(values, 'top-k');
    const topPFlag = stringFlag(values, 'top-p');
    const seedFlag = stringFlag(values, 'seed');
    const options = {
      temperature: temperatureFlag === undefined ? 1 : parseNumberFlag('temperature', temperatureFlag, 0, 1e6),
      topK: topKFlag === undefined ? 0 : parseIntegerFlag('top-k', topKFlag, 0),
      topP: topPFlag === undefined ? 1 : parseNumberFlag('top-p', topPFlag, 0, 1, true),
      seed: seedFlag === undefined ? 0 : parseIntegerFlag('seed', seedFlag, 0, MAX_SEED),
    };

    tf.env().set('PROD', true);
    await selectBackend(stringFlag(values, 'backend'), io.env);
    const source = await loadSource(io, 'generate', stringFlag(values, 'run'), stringFlag(values, 'model'));
    const { vocab_size: vocab, context_length: context } = source.config.dims;
    if (prompt !== undefined && source.tokenizer === undefined) {
      throw new UsageError(`${source.tokenizerProblem ?? 'no tokenizer loaded'}; pass the prompt as --tokens 1,2,3 instead of --prompt`);
    }
    const promptIds = prompt !== undefined ? source.tokenizer!.encode(prompt) : parseTokenList(tokensFlag!, vocab);
    if (promptIds.length === 0 || promptIds.length >= context) {
      throw new UsageError(`the prompt has ${promptIds.length} tokens but must have 1 to ${context - 1} for this model's context of ${context}`);
    }
    const badId = promptIds.find((id) => id >= vocab);
    if (badId !== undefined) throw new UsageError(`prompt token id ${badId} is outside the model's vocabulary of ${vocab}; use the model's own tokenizer`);

    const { model, params, dispose } = buildModel(source);
    try {
      const started = performance.now();
      const ids = generate(model, params, promptIds, { ...options, maxTokens: Math.min(maxTokens ?? DEFAULT_MAX_TOKENS, context - promptIds.length) });
      const seconds = (performance.now() - started) / 1000;
      // Decoding prompt and continuation together keeps the spacing a tokenizer puts between tokens.
      io.stdout.write(prompt !== undefined ? `${source.tokenizer!.decode([...promptIds, ...ids])}\n` : `${ids.join(',')}\n`);
      io.stderr.write(`generated ${ids.length} tokens in ${seconds.toFixed(2)} s (${(ids.length / Math.max(seconds, 1e-9)).toFixed(1)} tokens/s)\n`);
    } finally {
      dispose();
      source.tokenizer?.free();
    }
    return 0;
  },
};
