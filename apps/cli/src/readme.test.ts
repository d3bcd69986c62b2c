import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { main } from './main.js';
import { captureIo } from './test-support/capture-io.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

/** Each ```console block: the command after `$ archzoo` and the output lines below it. */
const examples = [...readme.matchAll(/```console\n\$ archzoo (.*)\n([\s\S]*?)```/g)].map(([, command, output]) => ({ command, output }));

describe('README console examples', () => {
  it('has examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples)('prints what `archzoo $command` shows', async ({ command, output }) => {
    const io = captureIo({ cwd: process.cwd() });
    expect(await main(command.split(' '), io)).toBe(0);
    expect(io.stdout.text).toBe(output);
  });
});
