/**
 * `archzoo table`: the CS336 lecture 3 architecture table (Stanford CS336, 2025) regenerated from
 * the zoo's configs, with a column that explains where the public configs disagree with it.
 */
import { UsageError } from '@archzoo/core';
import { formatTable, tableRows, type TableFormat } from '@archzoo/zoo';

import { HELP_FLAG, type Command } from '../command.js';

const FORMATS: readonly TableFormat[] = ['md', 'json'];

export const tableCommand: Command = {
  name: 'table',
  summary: 'print the architecture table of the zoo, derived from each model config',
  synopsis: 'table [--format md|json]',
  details:
    'Each row is one model of the CS336 lecture 3 architecture table (Stanford CS336, 2025), with the\n' +
    'cells computed from the zoo config. An empty cell is a choice that no checked public source\n' +
    'states. The last column explains, with a source, every cell where the config disagrees with the\n' +
    'lecture table.',
  flags: {
    format: { type: 'string', valueName: 'FORMAT', description: 'output format: md (Markdown table, the default) or json' },
    ...HELP_FLAG,
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) {
      throw new UsageError(`\`archzoo table\` takes no arguments, got: ${positionals.join(' ')}; run \`archzoo table\``);
    }
    const format = (values.format as string | undefined) ?? 'md';
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format "${format}" is not a table format; valid formats: ${FORMATS.join(', ')}`);
    }
    io.stdout.write(formatTable(tableRows(), format as TableFormat));
    return 0;
  },
};
