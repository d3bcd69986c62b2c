/** `archzoo export`: write the latest checkpoint of a run as a Hugging Face model folder. */
import { mkdir, readdir } from 'node:fs/promises';
import { resolve } from 'node:path';

import { UsageError } from '@archzoo/core';
import { archzooToHfConfig, exportHfCheckpoint } from '@archzoo/hf';

import { onePositional, stringFlag } from '../args.js';
import { HELP_FLAG, type Command } from '../command.js';
import { loadRunSource } from '../model-source.js';

const FORMATS = ['hf'];

export const exportCommand: Command = {
  name: 'export',
  summary: 'export the latest checkpoint of a run as a Hugging Face model folder',
  synopsis: 'export RUN_DIR --format hf --out DIR',
  details:
    'Writes config.json and model.safetensors (float32, each written atomically) into DIR, which must be new or empty.\n' +
    'The layout sets the Hugging Face model_type: RMSNorm pre-norm with RoPE and SwiGLU exports as llama, qwen2 or mistral,\n' +
    'Gemma 2 sandwich norms as gemma2, OLMo 2 reordered norms as olmo2, and LayerNorm with learned positions as gpt2.\n' +
    'Other layouts, and GPT-3 runs with banded (sliding-window) layers, are rejected with the part that does not fit.',
  flags: {
    format: { type: 'string', valueName: 'F', description: `output format: ${FORMATS.join(', ')}` },
    out: { type: 'string', valueName: 'DIR', description: 'output folder, new or empty' },
    ...HELP_FLAG,
  },
  async run({ values, positionals }, io) {
    const runDir = onePositional('export', positionals, 'run directory', 'pass the folder `archzoo train` wrote');
    const format = stringFlag(values, 'format');
    if (format === undefined || !FORMATS.includes(format)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got ${format === undefined ? 'nothing' : `"${format}"`}; pass --format hf`);
    }
    const outFlag = stringFlag(values, 'out');
    if (outFlag === undefined) throw new UsageError('`archzoo export` needs --out DIR, a new or empty folder');
    const out = resolve(io.cwd, outFlag);

    const source = await loadRunSource(io, runDir, 'run directory');
    source.tokenizer?.free();
    // Checking the layout before creating DIR leaves no empty folder behind a rejected run.
    archzooToHfConfig(source.config);
    await mkdir(out, { recursive: true });
    const entries = await readdir(out);
    if (entries.length > 0) throw new UsageError(`--out ${out} is not empty (it has ${entries.length} entries); pass a new or empty folder`);
    await exportHfCheckpoint(out, source.config, source.values, source.registry);
    io.stdout.write(`wrote ${out}/config.json and ${out}/model.safetensors\n`);
    return 0;
  },
};
