// Legend: B batch, T sequence, D model width, V vocabulary.
//
// Checks that the PyTorch models of bench/pytorch_models.py are the archzoo architectures: the
// same parameter count as archzoo's costReport for the benchmarked configs, and the same loss
// from the same weights on a small config of each architecture. Needs `pnpm build` and
// /usr/bin/python3 with torch; without torch the tests are skipped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { benchRegistry, gpt3TinyConfig, inlineGpt3TinyConfig, llamaTinyConfig, loadArchzoo, pytorchDims, randomBatch } from './archzoo.mjs';
import { startPyTorchWorker, SYSTEM_PYTHON } from './pytorch.mjs';

function torchAvailable() {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!torchAvailable())('PyTorch reference models', () => {
  let az;
  let registry;
  let torch;
  let scratch;

  beforeAll(async () => {
    az = await loadArchzoo();
    await az.core.selectBackend('cpu');
    registry = benchRegistry(az);
    torch = startPyTorchWorker();
    scratch = mkdtempSync(join(tmpdir(), 'archzoo-bench-'));
  });

  afterAll(() => {
    torch?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const architectures = () => [
    ['llama', llamaTinyConfig(az)],
    ['gpt3', gpt3TinyConfig(az).config],
  ];

  it('llama-tiny counts the same parameters', async () => {
    const [arch, config] = architectures()[0];
    const resolved = az.core.resolveConfig(config, registry);
    const { params } = await torch.request({ op: 'count_params', arch, dims: pytorchDims(resolved) });
    expect(params).toBe(az.core.costReport(resolved, registry).params);
  });

  it('gpt3-tiny counts the same parameters', async () => {
    const [arch, config] = architectures()[1];
    const resolved = az.core.resolveConfig(config, registry);
    const { params } = await torch.request({ op: 'count_params', arch, dims: pytorchDims(resolved) });
    expect(params).toBe(az.core.costReport(resolved, registry).params);
  });

  // Small configs of each architecture: T 32 exceeds the GPT-3 window of 8, so the banded layers
  // mask keys, and RoPE rotates 32 positions. Both sides compute in float32. The two losses (about
  // 6.5 nats) were equal to the last bit on cpu, while a sliding window off by one moved the GPT-3
  // loss by 7e-4 and a RoPE sign error the LLaMA loss by 5e-2, so 1e-4 nats separates them.
  it.each(['llama', 'gpt3'])('%s gives the same loss from the same weights', async (arch) => {
    const { core } = az;
    const small = { vocab_size: 512, d_model: 64, n_layers: 2, n_heads: 4, d_ff: 160, context_length: 32, init_std: 0.1 };
    const config = arch === 'llama' ? { ...llamaTinyConfig(az), ...small } : { ...inlineGpt3TinyConfig({ window: 8 }), ...small, d_ff: 256 };
    const resolved = core.resolveConfig(config, registry);
    const model = new core.Model(resolved, registry);
    const params = core.initParams(model.specs, resolved, 7);
    const weightsPath = join(scratch, `${arch}.f32`);
    const values = model.specs.map((spec) => params.get(spec.name).dataSync());
    writeFileSync(weightsPath, Buffer.concat(values.map((array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength))));

    const batch = randomBatch(core, 2, 32, resolved.dims.vocab_size, 3);
    const { tf } = core;
    const inputsBT = tf.tensor2d(batch.inputs, [2, 32], 'int32');
    const targetsBT = tf.tensor2d(batch.targets, [2, 32], 'int32');
    const archzooLoss = model.loss(params, inputsBT, targetsBT).crossEntropy.dataSync()[0];
    const rows = (array) => [Array.from(array.slice(0, 32)), Array.from(array.slice(32))];
    const { loss: torchLoss } = await torch.request({
      op: 'loss_from_weights',
      arch,
      dims: pytorchDims(resolved),
      weights_path: weightsPath,
      names: model.specs.map((spec) => ({ name: spec.name, shape: spec.shape })),
      inputs: rows(batch.inputs),
      targets: rows(batch.targets),
    });
    tf.dispose([inputsBT, targetsBT, ...params.values()]);

    expect(Math.abs(torchLoss - archzooLoss)).toBeLessThan(1e-4);
  });
});
