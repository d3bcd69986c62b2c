// Cached decoding of imported checkpoints against full recomputation.
import { fileURLToPath } from 'node:url';

import { generate, tf } from '@archzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';

import { loadHfCheckpoint, modelOf, paramTensors } from './load.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('generation from imported checkpoints', () => {
  // gemma2: windows of 4 on layers 0 and 2, soft-caps; mistral: MQA with a window of 5.
  for (const name of ['gemma2', 'mistral']) {
    it(`caches like recomputation: ${name}`, async () => {
      const checkpoint = await loadHfCheckpoint(fileURLToPath(new URL(`./__fixtures__/hf-models/${name}`, import.meta.url)));
      const model = modelOf(checkpoint);
      const params = paramTensors(checkpoint.params);
      const options = { maxTokens: 16, temperature: 0 };
      const cached = generate(model, params, [5, 17, 3], options);
      expect(generate(model, params, [5, 17, 3], { ...options, useCache: false })).toEqual(cached);
      tf.dispose([...params.values()]);
    });
  }
});
