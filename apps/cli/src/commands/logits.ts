/** `archzoo logits`: the logits [T][V] of a token sequence, as JSON. */
import { resolve } from 'node:path';

import { checkFiniteLogits, selectBackend, tf, UsageError, writeFileAtomic } from '@archzoo/core';

import { stringFlag } from '../args.js';
import { HELP_FLAG, type Command } from '../command.js';
import { buildModel, loadSource, parseTokenList } from '../model-source.js';
import { BACKEND_FLAG } from '../train-flags.js';

export const logitsCommand: Command = {
  name: 'logits',
  summary: 'print the logits of a token sequence as JSON',
  synopsis: 'logits (--model HF_DIR | --run RUN_DIR) --tokens IDS [--out FILE]',
  details: 'Prints a JSON list of T rows of V logits (float32 values), one row per input position; --out writes the JSON to FILE instead.',
  flags: {
    model: { type: 'string', valueName: 'HF_DIR', description: 'Hugging Face model folder (config.json and safetensors weights)' },
    run: { type: 'string', valueName: 'RUN_DIR', description: 'archzoo run directory to load the latest checkpoint from' },
    tokens: { type: 'string', valueName: 'IDS', description: 'input as comma-separated token ids, e.g. 1,2,3' },
    out: { type: 'string', valueName: 'FILE', description: 'write the JSON to FILE (atomically) instead of stdout' },
    ...BACKEND_FLAG,
    ...HELP_FLAG,
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError(`\`archzoo logits\` takes no positional arguments, got ${positionals.join(' ')}; pass --model or --run`);
    const tokensFlag = stringFlag(values, 'tokens');
    if (tokensFlag === undefined) throw new UsageError('`archzoo logits` needs --tokens, e.g. --tokens 1,2,3');
    tf.env().set('PROD', true);
    await selectBackend(stringFlag(values, 'backend'), io.env);
    const source = await loadSource(io, 'logits', stringFlag(values, 'run'), stringFlag(values, 'model'));
    source.tokenizer?.free();
    const ids = parseTokenList(tokensFlag, source.config.dims.vocab_size);
    if (ids.length > source.config.dims.context_length) {
      throw new UsageError(`--tokens has ${ids.length} ids but the model's context is ${source.config.dims.context_length}; pass fewer`);
    }

    const { model, params, dispose } = buildModel(source);
    const vocab = source.config.dims.vocab_size;
    const rowsTV: number[][] = [];
    const tokensBT = tf.tensor2d(ids, [1, ids.length], 'int32');
    try {
      const logitsBTV = model.logitsFor(params, tokensBT);
      const valuesTV = logitsBTV.dataSync() as Float32Array;
      logitsBTV.dispose();
      for (let position = 0; position < ids.length; position++) {
        const rowV = valuesTV.subarray(position * vocab, (position + 1) * vocab);
        // JSON would print NaN and Infinity as null.
        checkFiniteLogits(rowV, position);
        rowsTV.push(Array.from(rowV));
      }
    } finally {
      tokensBT.dispose();
      dispose();
    }
    const json = `${JSON.stringify(rowsTV)}\n`;
    const out = stringFlag(values, 'out');
    if (out === undefined) io.stdout.write(json);
    else await writeFileAtomic(resolve(io.cwd, out), json);
    return 0;
  },
};
