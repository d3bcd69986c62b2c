// Legend: T sequence, V vocabulary.
// Expected logits come from __fixtures__/generate_hf_fixtures.py, a PyTorch transcription of the
// transformers forward pass of each model_type, run in float32 on the same weights.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { tf } from '@archzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';

import { loadHfCheckpoint, modelOf, paramTensors } from './load.js';

const FIXTURES = fileURLToPath(new URL('./__fixtures__/hf-models/', import.meta.url));

interface Expected {
  description: string;
  tokens: number[];
  logits: number[][];
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Runs the model of fixture `name` on its tokens and returns max |archzoo - reference| / max |reference|.
 * The weights and config.json come from `dir`, by default the fixture's own folder.
 */
async function relativeError(name: string, dir = `${FIXTURES}${name}`): Promise<number> {
  const expected = JSON.parse(readFileSync(`${FIXTURES}${name}/expected.json`, 'utf8')) as Expected;
  const checkpoint = await loadHfCheckpoint(dir);
  const params = paramTensors(checkpoint.params);
  const tokensBT = tf.tensor2d(expected.tokens, [1, expected.tokens.length], 'int32');
  const logitsBTV = modelOf(checkpoint).logitsFor(params, tokensBT);
  const actualTV = (logitsBTV.arraySync() as number[][][])[0]!;
  tf.dispose([logitsBTV, tokensBT, ...params.values()]);

  let scale = 0;
  let error = 0;
  expected.logits.forEach((row, t) =>
    row.forEach((value, v) => {
      scale = Math.max(scale, Math.abs(value));
      error = Math.max(error, Math.abs(actualTV[t]![v]! - value));
    }),
  );
  return error / scale;
}

describe('logits match the PyTorch reference', () => {
  // float32 on both sides with different summation orders; 1e-4 of the logit scale leaves room
  // for that rounding while a wrong transpose, pairing, mask or norm offset errs by far more.
  const TOLERANCE = 1e-4;
  for (const name of ['llama', 'mistral', 'qwen2', 'gemma2', 'olmo2', 'gpt2', 'llama-sharded']) {
    it(name, async () => {
      expect(await relativeError(name)).toBeLessThan(TOLERANCE);
    });
  }

  // The llama fixture's base (500000) and Llama 3.1 scaling, written as transformers 5 writes them.
  it('llama with transformers 5 rope_parameters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'archzoo-rope-parameters-'));
    try {
      cpSync(`${FIXTURES}llama`, dir, { recursive: true });
      const { rope_theta: ropeTheta, rope_scaling: ropeScaling, ...rest } = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...rest, rope_parameters: { ...ropeScaling, rope_theta: ropeTheta } }));
      expect(await relativeError('llama', dir)).toBeLessThan(TOLERANCE);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The reference ran on the rounded weights, so only float32 rounding separates the two.
  for (const name of ['llama-f16', 'llama-bf16']) {
    it(`${name} storage`, async () => {
      expect(await relativeError(name)).toBeLessThan(TOLERANCE);
    });
  }
});
