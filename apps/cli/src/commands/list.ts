/** `archzoo list`: the recipes this CLI ships, with their parents and scales. */
import { UsageError } from '@archzoo/core';

import { inspectableScales } from '../catalog.js';
import { HELP_FLAG, type Command } from '../command.js';

export const listCommand: Command = {
  name: 'list',
  summary: 'list the recipes with their titles, parents and scales',
  synopsis: 'list [--json]',
  details: 'Scale "full" is the published architecture (inspect only); the others can be trained.',
  flags: {
    json: { type: 'boolean', description: 'print a JSON array instead of a table' },
    ...HELP_FLAG,
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) {
      throw new UsageError(`\`archzoo list\` takes no arguments, got: ${positionals.join(' ')}; run \`archzoo list\``);
    }
    const rows = io.recipes.map((recipe) => ({
      name: recipe.name,
      title: recipe.title,
      parent: recipe.parent ?? null,
      published: recipe.published.name,
      scales: inspectableScales(recipe),
    }));
    if (values.json) {
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    const nameWidth = Math.max(6, ...rows.map((row) => row.name.length));
    const titleWidth = Math.max(5, ...rows.map((row) => row.title.length));
    const parentWidth = Math.max(6, ...rows.map((row) => (row.parent ?? '-').length));
    const line = (name: string, title: string, parent: string, scales: string) =>
      `${name.padEnd(nameWidth)}  ${title.padEnd(titleWidth)}  ${parent.padEnd(parentWidth)}  ${scales}\n`;
    io.stdout.write(line('RECIPE', 'TITLE', 'PARENT', 'SCALES'));
    for (const row of rows) io.stdout.write(line(row.name, row.title, row.parent ?? '-', row.scales.join(', ')));
    return 0;
  },
};
