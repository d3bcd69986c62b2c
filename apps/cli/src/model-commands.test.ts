// Tests of `generate`, `logits`, `export` and `inspect --context` on small models.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadCheckpoint, readSafetensors, Registry, writeSafetensors } from '@archzoo/core';
import { loadHfCheckpoint } from '@archzoo/hf';
import { llama } from '@archzoo/recipe-llama';
import { afterAll, describe, expect, it } from 'vitest';

import { main } from './main.js';
import { captureIo } from './test-support/capture-io.js';
import { writeFakeRun } from './test-support/fake-run.js';
import { micro, microLlama } from './test-support/micro-recipe.js';

const HF_LLAMA = fileURLToPath(new URL('../../../packages/hf/src/__fixtures__/hf-models/llama', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'archzoo-model-commands-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(argv: string[]) {
  const io = captureIo({ cwd: root, recipes: [microLlama] });
  const code = await main([...argv, ...(['generate', 'logits'].includes(argv[0]!) ? ['--backend', 'cpu'] : [])], io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

/** Writes a run directory of the micro scale with random weights and one checkpoint, as `archzoo train` lays it out. */
async function fakeRun(name: string): Promise<string> {
  const dir = join(root, name);
  await writeFakeRun(dir, { recipe: microLlama, scale: 'micro', model: micro.model, train: micro.train });
  return dir;
}

describe('archzoo logits', () => {
  it('prints the reference logits of an HF folder', async () => {
    const expected = JSON.parse(readFileSync(join(HF_LLAMA, 'expected.json'), 'utf8'));
    const { code, stdout } = await run(['logits', '--model', HF_LLAMA, '--tokens', expected.tokens.join(',')]);
    expect(code).toBe(0);
    const logitsTV = JSON.parse(stdout) as number[][];
    expect(logitsTV).toHaveLength(expected.tokens.length);
    expect(logitsTV[0]).toHaveLength(97);
    // Same tolerance as the @archzoo/hf parity test: 1e-4 of the largest reference logit (about 10.9).
    expect(Math.max(...logitsTV.flatMap((row, t) => row.map((value, v) => Math.abs(value - expected.logits[t][v]))))).toBeLessThan(1e-3);
  });

  it('rejects logits that overflow float32', async () => {
    // Finite weights, so the loader accepts them, but 3e38 in the final norm overflows the logits.
    const folder = join(root, 'overflowing-llama');
    cpSync(HF_LLAMA, folder, { recursive: true });
    const weightsPath = join(folder, 'model.safetensors');
    const { tensors } = await readSafetensors(weightsPath);
    tensors.get('model.norm.weight')!.data.fill(3e38);
    await writeSafetensors(weightsPath, tensors);
    for (const command of [['logits'], ['generate', '--max-tokens', '2']]) {
      const { code, stdout, stderr } = await run([...command, '--model', folder, '--tokens', '1,2']);
      expect(code, command[0]).toBe(2);
      expect(stdout, command[0]).toBe('');
      expect(stderr, command[0]).toMatch(/^archzoo: error: the logits of position [01] are (NaN|-?Infinity) at token id \d+; the weights are corrupt or overflow float32, so re-download, re-export or retrain them\n$/);
    }
  });

  it('rejects a token outside the vocabulary', async () => {
    const { code, stderr } = await run(['logits', '--model', HF_LLAMA, '--tokens', '1,97']);
    expect(code).toBe(2);
    expect(stderr).toBe('archzoo: error: --tokens must be comma-separated token ids below the vocabulary size 97, got "97"; pass e.g. --tokens 1,2,3\n');
  });
});

describe('negative flag values', () => {
  it.each([
    [['logits', '--model', HF_LLAMA, '--tokens', '-1'], '--tokens must be comma-separated token ids below the vocabulary size 97, got "-1"'],
    [['generate', '--model', HF_LLAMA, '--tokens', '5', '--temperature', '-1'], '--temperature must be a number >= 0 and <= 1000000, got "-1"'],
    [['generate', '--model', HF_LLAMA, '--tokens', '5', '--top-k', '-3'], '--top-k must be an integer >= 0, got -3'],
    [['inspect', 'llama', '--context', '-5'], '--context must be an integer >= 1, got -5'],
    [['train', 'llama', '--checkpoint-every', '-1'], '--checkpoint-every must be an integer >= 0, got -1'],
  ])('reaches the range check: %j', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(`archzoo: error: ${message}`);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('archzoo generate', () => {
  it('decodes greedily from an HF folder given token ids', async () => {
    const first = await run(['generate', '--model', HF_LLAMA, '--tokens', '5,17,3', '--max-tokens', '6', '--temperature', '0']);
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split(',')).toHaveLength(6);
    const again = await run(['generate', '--model', HF_LLAMA, '--tokens', '5,17,3', '--max-tokens', '6', '--temperature', '0']);
    expect(again.stdout).toBe(first.stdout);
  });

  it('encodes a prompt with the folder\'s tokenizer.json', async () => {
    const folder = join(root, 'llama-with-tokenizer');
    cpSync(HF_LLAMA, folder, { recursive: true });
    // A word-level tokenizer over the fixture's 97 ids: "the", "cat", then w2 .. w96.
    const words = ['the', 'cat', ...Array.from({ length: 95 }, (_, i) => `w${i + 2}`)];
    const tokenizer = {
      version: '1.0',
      added_tokens: [],
      normalizer: null,
      pre_tokenizer: { type: 'Whitespace' },
      post_processor: null,
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: { type: 'WordLevel', vocab: Object.fromEntries(words.map((word, id) => [word, id])), unk_token: 'the' },
    };
    writeFileSync(join(folder, 'tokenizer.json'), JSON.stringify(tokenizer));

    const byText = await run(['generate', '--model', folder, '--prompt', 'the cat', '--max-tokens', '5', '--temperature', '0']);
    expect(byText.code).toBe(0);
    const byIds = await run(['generate', '--model', folder, '--tokens', '0,1', '--max-tokens', '5', '--temperature', '0']);
    const expectedText = byIds.stdout.trim().split(',').map((id) => words[Number(id)]).join(' ');
    expect(byText.stdout).toBe(`the cat ${expectedText}\n`);
  });

  it('asks for --tokens when the folder has no tokenizer.json', async () => {
    const { code, stderr } = await run(['generate', '--model', HF_LLAMA, '--prompt', 'hello']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^archzoo: error: @huggingface\/tokenizers cannot load .*tokenizer.json \(ENOENT\); pass the prompt as --tokens 1,2,3 instead of --prompt\n$/);
  });

  it('samples text from a run with its tiktoken encoding', async () => {
    const runDir = await fakeRun('run-generate');
    const { code, stdout, stderr } = await run(['generate', '--run', runDir, '--prompt', 'The cat', '--max-tokens', '4', '--seed', '3']);
    expect(code).toBe(0);
    expect(stdout.startsWith('The cat')).toBe(true);
    expect(stderr).toMatch(/^generated 4 tokens in /);
  });

  it('rejects bad flags in one line', async () => {
    for (const [argv, message] of [
      [['generate', '--tokens', '1'], /needs exactly one of --run RUN_DIR/],
      [['generate', '--model', HF_LLAMA], /needs exactly one of --prompt TEXT or --tokens/],
      [['generate', '--model', HF_LLAMA, '--tokens', '1', '--top-p', '0'], /--top-p must be a number > 0 and <= 1, got "0"/],
      [['generate', '--model', HF_LLAMA, '--tokens', '1', '--temperature', 'hot'], /--temperature must be a number >= 0/],
    ] as const) {
      const { code, stderr } = await run([...argv]);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr.split('\n')).toHaveLength(2);
    }
  });
});

describe('archzoo export', () => {
  it('names the run directory argument when it has no checkpoint', async () => {
    const runDir = await fakeRun('run-without-checkpoints');
    rmSync(join(runDir, 'checkpoints'), { recursive: true });
    const { code, stderr } = await run(['export', runDir, '--format', 'hf', '--out', join(root, 'never-written')]);
    expect(code).toBe(2);
    expect(stderr).toBe(`archzoo: error: run directory ${runDir} has no checkpoint in checkpoints/; train it until it writes one\n`);
  });

  it('writes an HF folder that imports to the same weights', async () => {
    const runDir = await fakeRun('run-export');
    const out = join(root, 'exported');
    const { code } = await run(['export', runDir, '--format', 'hf', '--out', out]);
    expect(code).toBe(0);
    const loaded = await loadHfCheckpoint(out);
    expect(loaded.modelType).toBe('llama');
    const checkpoint = await loadCheckpoint(join(runDir, 'checkpoints', 'step-000001'), new Registry(microLlama.plugins));
    expect([...loaded.params.keys()]).toEqual([...checkpoint.snapshot.params.keys()]);
    // Compares bytes, because toEqual walks the 1.6M-value embedding one element at a time, which takes seconds.
    const bytesOf = (data: Float32Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    for (const [name, values] of checkpoint.snapshot.params) expect(bytesOf(loaded.params.get(name)!.data).equals(bytesOf(values.data)), name).toBe(true);
  });

  it('rejects an unknown format', async () => {
    const { code, stderr } = await run(['export', 'somewhere', '--format', 'onnx', '--out', join(root, 'x')]);
    expect(code).toBe(2);
    expect(stderr).toBe('archzoo: error: --format must be one of hf, got "onnx"; pass --format hf\n');
  });
});

describe('archzoo inspect --context', () => {
  it('reports the KV cache and its MHA size', async () => {
    const io = captureIo({ cwd: root, recipes: [llama] });
    expect(await main(['inspect', 'llama', '--scale', 'tiny', '--context', '1024', '--json'], io)).toBe(0);
    const [scale] = JSON.parse(io.stdout.text).scales;
    // tiny is MHA: 4 layers x 2 (keys, values) x 128 values x 4 bytes per token.
    expect(scale.kvCacheAtContext).toEqual({ tokens: 1024, bytes: 1024 * 4 * 2 * 128 * 4, mhaBytes: 1024 * 4 * 2 * 128 * 4 });
  });

  it('shows the GQA saving in text', async () => {
    const gqa = { ...llama, scales: { tiny: { ...llama.scales.tiny!, model: { ...llama.scales.tiny!.model, n_kv_heads: 1 } } } };
    const io = captureIo({ cwd: root, recipes: [gqa] });
    expect(await main(['inspect', 'llama', '--scale', 'tiny', '--context', '1024'], io)).toBe(0);
    expect(io.stdout.text).toContain('KV cache at 1024 tokens  1.00 MiB (MQA, 4.0x less than MHA\'s 4.00 MiB)');
  });
});
