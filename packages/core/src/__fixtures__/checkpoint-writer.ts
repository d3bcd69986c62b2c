// Writes checkpoints of a wide fixture model in a loop until killed, for the crash-safety test.
// Usage: node --import tsx checkpoint-writer.ts ROOT FIRST_STEP
// Every value in the checkpoint of step S equals S, so a reader can tell torn files from whole ones.
// The script prints `wrote STEP` after each checkpoint is in place.
import { resolveConfig } from '../config.js';
import { writeCheckpoint } from '../io/checkpoint.js';
import { modelParamSpecs } from '../params.js';
import { Registry } from '../registry.js';
import type { TensorValues, TrainerSnapshot } from '../train.js';
import { WIDE_CONFIG, WIDE_TRAIN, testPlugins } from './plugins.js';

const [root, firstStep] = process.argv.slice(2);
const registry = new Registry(testPlugins);
const model = resolveConfig(WIDE_CONFIG, registry);
const specs = modelParamSpecs(model, registry);

function filled(step: number): Map<string, TensorValues> {
  return new Map(specs.map((spec) => [spec.name, { shape: [...spec.shape], data: new Float32Array(spec.shape.reduce((a, b) => a * b, 1)).fill(step) }]));
}

for (let step = Number(firstStep); ; step++) {
  const snapshot: TrainerSnapshot = {
    step,
    optimizerStep: step,
    losses: Array.from({ length: step }, (_, i) => i),
    dropoutRng: [step, 2, 3, 4],
    data: { step },
    params: filled(step),
    m: filled(step),
    v: filled(step),
  };
  await writeCheckpoint(root!, snapshot, { model, train: WIDE_TRAIN }, { keep: 2 });
  process.stdout.write(`wrote ${step}\n`);
}
