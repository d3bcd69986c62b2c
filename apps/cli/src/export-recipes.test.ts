// `archzoo export` on runs of each recipe: the folder it writes imports to the run's weights, and
// `archzoo logits` gives the same logits from the folder as from the run.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadCheckpoint, type ModelConfig, type Recipe, Registry } from '@archzoo/core';
import { loadHfCheckpoint } from '@archzoo/hf';
import { tiny as gemma2Tiny } from '@archzoo/recipe-gemma2';
import { gpt3, tiny as gpt3Tiny } from '@archzoo/recipe-gpt3';
import { tiny as llamaTiny } from '@archzoo/recipe-llama';
import { olmo2, tiny as olmo2Tiny } from '@archzoo/recipe-olmo2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { main } from './main.js';
import { captureIo } from './test-support/capture-io.js';
import { writeFakeRun } from './test-support/fake-run.js';
import { microGemma2 } from './test-support/micro-gemma2.js';
import { micro, microLlama } from './test-support/micro-recipe.js';

const root = mkdtempSync(join(tmpdir(), 'archzoo-export-recipes-'));
const env = { ARCHZOO_CACHE_DIR: join(root, 'cache') };
const RECIPES: readonly Recipe[] = [microLlama, microGemma2, olmo2, gpt3];

beforeAll(() => {
  const corpus = join(root, 'corpus');
  mkdirSync(corpus);
  // Twelve short documents, so the document-hash split keeps one or two for validation.
  for (let doc = 0; doc < 12; doc++) {
    const text = Array.from({ length: 8 }, (_, i) => `Document ${doc} line ${i}: the sliding window sees only the last few tokens.`).join(' ');
    writeFileSync(join(corpus, `doc-${String(doc).padStart(2, '0')}.txt`), `${text}\n`);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(argv: string[]) {
  const io = captureIo({ cwd: root, recipes: RECIPES, env });
  const code = await main(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

/** Runs `archzoo logits` on the cpu backend and returns its JSON output. */
async function logits(source: '--run' | '--model', dir: string, tokens: string): Promise<string> {
  const { code, stdout, stderr } = await run(['logits', source, dir, '--tokens', tokens, '--backend', 'cpu']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return stdout;
}

/** Checks that the exported folder contains the run's weights at `step` bit for bit. */
async function expectSameWeights(runDir: string, folder: string, recipe: Recipe, step: string): Promise<void> {
  const checkpoint = await loadCheckpoint(join(runDir, 'checkpoints', step), new Registry(recipe.plugins));
  const loaded = await loadHfCheckpoint(folder);
  expect([...loaded.params.keys()]).toEqual([...checkpoint.snapshot.params.keys()]);
  for (const [name, values] of checkpoint.snapshot.params) {
    const exported = loaded.params.get(name)!.data;
    expect(Buffer.from(exported.buffer, exported.byteOffset, exported.byteLength).equals(Buffer.from(values.data.buffer, values.data.byteOffset, values.data.byteLength)), name).toBe(true);
  }
}

describe('archzoo export of a trained run', () => {
  it('writes a Gemma 2 folder that logits reads', async () => {
    const runDir = join(root, 'run-gemma2');
    const trained = await run(['train', 'gemma2', '--scale', 'micro', '--backend', 'wasm', '--data', 'corpus', '--out', runDir]);
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);

    const out = join(root, 'gemma2-hf');
    const exported = await run(['export', runDir, '--format', 'hf', '--out', out]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).model_type).toBe('gemma2');
    await expectSameWeights(runDir, out, microGemma2, 'step-000003');

    const fromFolder = await logits('--model', out, '1,2,3');
    const rowsTV = JSON.parse(fromFolder) as number[][];
    expect(rowsTV).toHaveLength(3);
    expect(rowsTV[0]).toHaveLength(50257);
    // Same weights and the same float32 computation on the same backend, so the JSON is identical.
    expect(fromFolder).toBe(await logits('--run', runDir, '1,2,3'));
  });
});

describe('archzoo export of tiny recipe scales', () => {
  // The tiny scales' architectures with a 256-token vocabulary, so the embedding stays small.
  const CASES: Array<[string, Recipe, ModelConfig, string]> = [
    ['llama', microLlama, llamaTiny.model, 'llama'],
    ['gemma2', microGemma2, gemma2Tiny.model, 'gemma2'],
    ['olmo2', olmo2, olmo2Tiny.model, 'olmo2'],
    ['gpt3 without banded layers', gpt3, { ...gpt3Tiny.model, layer_pattern: [] }, 'gpt2'],
  ];
  for (const [name, recipe, model, modelType] of CASES) {
    it(`exports ${name} as ${modelType}`, async () => {
      const runDir = join(root, `run-${modelType}-tiny`);
      await writeFakeRun(runDir, { recipe, scale: 'tiny', model: { ...model, vocab_size: 256 }, train: micro.train });
      const out = join(root, `${modelType}-tiny-hf`);
      const { code, stderr } = await run(['export', runDir, '--format', 'hf', '--out', out]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).model_type).toBe(modelType);
      await expectSameWeights(runDir, out, recipe, 'step-000001');
      expect(await logits('--model', out, '5,200,17,0,255')).toBe(await logits('--run', runDir, '5,200,17,0,255'));
    });
  }

  it('rejects GPT-3 banded layers in one line', async () => {
    const runDir = join(root, 'run-gpt3-banded');
    await writeFakeRun(runDir, { recipe: gpt3, scale: 'tiny', model: { ...gpt3Tiny.model, vocab_size: 256 }, train: micro.train });
    const out = join(root, 'gpt3-banded-hf');
    const { code, stderr } = await run(['export', runDir, '--format', 'hf', '--out', out]);
    expect(code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(stderr).toMatch(
      /^archzoo: error: cannot export as a Hugging Face checkpoint: layers? 1(, \d+)* have a sliding window of 16 tokens, but Hugging Face gpt2 has no banded attention; export supports the model_types [a-z0-9, ]+\n$/,
    );
  });
});
