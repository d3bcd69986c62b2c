// Legend: B batch, T sequence, S keys, D model width, H query heads, G kv heads, K head dim, F FFN width, V vocab.
/**
 * `describeConformance`: the checks every archzoo plugin passes, declared as vitest blocks.
 */
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_VERSION,
  Rng,
  checkOptions,
  tf,
  type Dims,
  type LayerKVCache,
  type ParamSpec,
  type Params,
  type PluginManifest,
  type PositionManifest,
  type SlotOptions,
  type Tensor,
} from '@archzoo/core';
import { useCpuBackend } from './backend.js';
import { exercisesOf, paramSpecsOf, type BoundPosition, type CallShape, type Exercise, type PositionUnderTest } from './exercises.js';
import { gradCheck, type GradCheckOptions } from './grad-check.js';
import { FLOAT32_TOLERANCE, expectClose, loadFixture, tensorFromData, type GoldenCase, type GoldenFixture, type Tolerance } from './golden.js';
import { expectNoLeaks } from './leaks.js';
import { buildParams, countParams, disposeParams, randomTensor, sizeOf, testDims } from './params.js';

export interface ConformanceCase {
  name: string;
  /** Options merged over the manifest's defaults; `type` defaults to the manifest id. */
  options?: Record<string, unknown>;
  /** Dimensions merged over `testDims()` (d_model 16, 4 heads, 2 kv heads, head_dim 4, context 16). */
  dims?: Partial<Dims>;
  /** Norms: the normalised width (d_model unless given). */
  dim?: number;
  /** Batch size. Default 2. */
  batch?: number;
  /** Sequence length. Default 5. */
  seq?: number;
  /** Absolute position of the first token. Default 0. */
  start?: number;
  /** Keys of a position bias. Default start + seq. */
  keys?: number;
  training?: boolean;
  /** Attention: the position scheme to bind. Default none (NoPE). */
  position?: PositionUnderTest;
  /** Gradient-check settings, or false to skip it (for a non-differentiable plugin, say why in the case name). */
  gradient?: GradCheckOptions | false;
  /**
   * Attention: whether to check that decoding in chunks of T-2, 1 and 1 positions through a KV
   * cache matches one full pass. Default true when T >= 3.
   */
  cache?: boolean;
}

export interface GoldenSpec {
  /** A fixture path, file URL (e.g. `new URL('./__fixtures__/x.json', import.meta.url)`) or object. */
  fixture: string | URL | GoldenFixture;
  /** Overrides the fixture's and the default tolerance. */
  tolerance?: Partial<Tolerance>;
  /** Attention fixtures with a `position`: the manifests its `options.type` may name. */
  positions?: readonly PositionManifest[];
}

/** Options that must be rejected, and a fragment of the expected message. */
export interface InvalidCase {
  name: string;
  options?: Record<string, unknown>;
  dims?: Partial<Dims>;
  message: string | RegExp;
}

export interface ConformanceSpec {
  cases: readonly ConformanceCase[];
  golden?: GoldenSpec | readonly GoldenSpec[];
  invalid?: readonly InvalidCase[];
  /** Seed of parameters, inputs and projections. Default 0. */
  seed?: number;
  /** Noise added to every parameter after init so ones/zeros inits cannot hide a wrong formula. Default 0.1. */
  jitter?: number;
}

/** Merges `options` over the manifest's defaults and sets `type` to the manifest id; mutates neither. */
export function resolveOptions(manifest: PluginManifest, options: Record<string, unknown> = {}): SlotOptions {
  return { ...manifest.defaults, ...options, type: manifest.id } as SlotOptions;
}

/** Schema and `validate` problems of `options` (already merged over defaults). */
export function optionProblems(manifest: PluginManifest, options: SlotOptions, dims: Dims): string[] {
  const problems = checkOptions(manifest.kind, options, manifest.schema);
  if (problems.length === 0 && manifest.validate) problems.push(...manifest.validate(options, dims));
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

function majorOf(version: string): number {
  return Number.parseInt(version.split('.')[0] ?? '', 10);
}

function callShapeOf(testCase: ConformanceCase): CallShape {
  const seq = testCase.seq ?? 5;
  const start = testCase.start ?? 0;
  return {
    batch: testCase.batch ?? 2,
    seq,
    start,
    keys: testCase.keys ?? start + seq,
    dim: testCase.dim,
    training: testCase.training ?? false,
  };
}

/** Everything one case needs, built from a seed; `dispose` frees every tensor made here. */
interface Prepared {
  options: SlotOptions;
  dims: Dims;
  specs: ParamSpec[];
  params: Record<string, Tensor>;
  exercises: Exercise[];
  inputs: Record<string, Tensor>[];
  constants: Record<string, Tensor>[];
  dispose(): void;
}

function prepare(manifest: PluginManifest, testCase: ConformanceCase, seed: number, jitter: number, optionsOverride?: SlotOptions): Prepared {
  const dims = testDims(testCase.dims);
  const options = optionsOverride ?? resolveOptions(manifest, testCase.options);
  const shape = callShapeOf(testCase);
  const specs = paramSpecsOf(manifest, options, dims, shape.dim);
  const rng = new Rng(seed);
  const params = buildParams(specs, rng, { jitter, nLayers: dims.n_layers });
  let position: BoundPosition | undefined;
  if (testCase.position) {
    const positionOptions = resolveOptions(testCase.position.manifest, testCase.position.options);
    const positionParams = buildParams(testCase.position.manifest.params(positionOptions, dims), rng, { jitter });
    position = { manifest: testCase.position.manifest, options: positionOptions, params: positionParams };
  }
  const exercises = exercisesOf(manifest, options, dims, shape, position);
  const inputs = exercises.map((exercise) =>
    Object.fromEntries(Object.entries(exercise.inputShapes).map(([name, inputShape]) => [name, randomTensor(inputShape, rng)])),
  );
  const constants = exercises.map((exercise) => exercise.makeConstants?.() ?? {});
  return {
    options,
    dims,
    specs,
    params,
    exercises,
    inputs,
    constants,
    dispose() {
      disposeParams(params);
      if (position) disposeParams(position.params);
      for (const record of [...inputs, ...constants]) disposeParams(record);
    },
  };
}

function withPrepared<T>(manifest: PluginManifest, testCase: ConformanceCase, seed: number, jitter: number, body: (prepared: Prepared) => T): T {
  const prepared = prepare(manifest, testCase, seed, jitter);
  try {
    return body(prepared);
  } finally {
    prepared.dispose();
  }
}

/** Runs an exercise inside `tf.tidy` and returns copies of its outputs as plain arrays. */
function outputValues(exercise: Exercise, inputs: Record<string, Tensor>, params: Params, constants: Record<string, Tensor>): Record<string, Float32Array> {
  return tf.tidy(() => {
    const outputs = exercise.run(inputs, params, constants);
    return Object.fromEntries(Object.entries(outputs).map(([name, tensor]) => [name, tensor.dataSync().slice() as Float32Array]));
  });
}

function bitsOf(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

function checkMetadata(manifest: PluginManifest): void {
  expect(manifest.id, 'manifest id').toMatch(/^[a-z0-9_]+$/);
  expect(['norm', 'position', 'ffn', 'attention', 'stability']).toContain(manifest.kind);
  expect(majorOf(manifest.contract), `contract "${manifest.contract}" major`).toBe(majorOf(CONTRACT_VERSION));
  expect(manifest.package, 'package name').toMatch(/^(@[a-z0-9-]+\/)?[a-z0-9._-]+$/);
  expect(manifest.description.length, 'description length').toBeGreaterThan(0);
  expect(manifest.references.length, 'number of references').toBeGreaterThan(0);
  for (const key of Object.keys(manifest.defaults)) {
    expect(Object.keys(manifest.schema), `default "${key}" must be a schema field`).toContain(key);
  }
  const defaultProblems = checkOptions(manifest.kind, { ...manifest.defaults, type: manifest.id }, manifest.schema).filter(
    (problem) => !problem.includes(' is required '),
  );
  expect(defaultProblems, 'problems of the defaults').toEqual([]);
  for (const [key, field] of Object.entries(manifest.schema)) {
    expect(field.description.length, `schema field "${key}" description`).toBeGreaterThan(0);
  }
}

function checkParamSpecs(kind: PluginManifest['kind'], specs: readonly ParamSpec[], params: Record<string, Tensor>): void {
  const names = specs.map((spec) => spec.name);
  expect(new Set(names).size, `parameter names must be unique: ${names.join(', ')}`).toBe(names.length);
  for (const spec of specs) {
    expect(spec.name, 'relative parameter name').toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/);
    expect(spec.shape.every((extent) => Number.isInteger(extent) && extent > 0), `${spec.name} shape [${spec.shape}]`).toBe(true);
    expect(typeof spec.decay, `${spec.name}.decay`).toBe('boolean');
    // AdamW in archzoo skips weight decay on norm gains and biases, so their specs must say so.
    if (kind === 'norm') expect(spec.decay, `norm parameter ${spec.name}.decay`).toBe(false);
    if (spec.name === 'bias' || spec.name.endsWith('.bias')) expect(spec.decay, `bias ${spec.name}.decay`).toBe(false);
    expect(params[spec.name].shape, `${spec.name} built shape`).toEqual(spec.shape);
  }
  const built = Object.values(params).reduce((total, tensor) => total + tensor.size, 0);
  expect(built, 'sum of built tensor sizes').toBe(countParams(specs));
}

function checkShapes(exercise: Exercise, inputs: Record<string, Tensor>, params: Params, constants: Record<string, Tensor>): void {
  const shapes = tf.tidy(() => {
    const outputs = exercise.run(inputs, params, constants);
    return Object.fromEntries(Object.entries(outputs).map(([name, tensor]) => [name, { shape: tensor.shape, dtype: tensor.dtype }]));
  });
  for (const name of Object.keys(exercise.outputShapes)) {
    if (!(name in shapes)) {
      expect(exercise.optionalOutputs ?? [], `${exercise.call} returned no "${name}"`).toContain(name);
      continue;
    }
    expect(shapes[name].shape, `${exercise.call} output "${name}" shape`).toEqual(exercise.outputShapes[name]);
    expect(shapes[name].dtype, `${exercise.call} output "${name}" dtype`).toBe('float32');
  }
  expect(Object.keys(shapes).sort(), `${exercise.call} output names`).toEqual(
    Object.keys(exercise.outputShapes).filter((name) => name in shapes).sort(),
  );
}

/** Lists the named tensors a gradient check differentiates: the inputs, then the parameters if used. */
function differentiable(exercise: Exercise, inputs: Record<string, Tensor>, params: Params): [string, Tensor][] {
  const entries: [string, Tensor][] = Object.entries(inputs);
  if (exercise.usesParams) entries.push(...Object.entries(params).map(([name, tensor]): [string, Tensor] => [`params.${name}`, tensor]));
  return entries;
}

function runExerciseOn(exercise: Exercise, names: readonly string[], tensors: readonly Tensor[], params: Params, constants: Record<string, Tensor>): Tensor[] {
  const inputs: Record<string, Tensor> = {};
  const usedParams: Record<string, Tensor> = { ...params };
  names.forEach((name, i) => {
    if (name.startsWith('params.')) usedParams[name.slice('params.'.length)] = tensors[i];
    else inputs[name] = tensors[i];
  });
  const outputs = exercise.run(inputs, usedParams, constants);
  return Object.keys(outputs)
    .sort()
    .map((name) => outputs[name]);
}

function hasDifferentiable(exercise: Exercise, specs: readonly ParamSpec[]): boolean {
  return Object.keys(exercise.inputShapes).length > 0 || (exercise.usesParams && specs.length > 0);
}

function declareCase(manifest: PluginManifest, testCase: ConformanceCase, seed: number, jitter: number): void {
  // The plan (calls, parameter specs) is pure config work, so it is known when tests are declared.
  const dims = testDims(testCase.dims);
  const options = resolveOptions(manifest, testCase.options);
  const problems = optionProblems(manifest, options, dims);

  describe(testCase.name, () => {
    it('accepts its options', () => {
      expect(problems).toEqual([]);
    });
    if (problems.length) return;

    const shape = callShapeOf(testCase);
    const specs = paramSpecsOf(manifest, options, dims, shape.dim);
    const plan = exercisesOf(manifest, options, dims, shape);

    if (plan.length === 0 && manifest.kind === 'position') {
      // A position scheme without embed, rotate or bias is NoPE, which can have nothing to build.
      it('declares no parameters when it has no calls', () => {
        expect(specs).toEqual([]);
      });
      return;
    }

    it('has at least one call to exercise', () => {
      expect(plan.map((exercise) => exercise.call).length).toBeGreaterThan(0);
    });

    it('builds parameters matching its specs', () => {
      withPrepared(manifest, testCase, seed, jitter, ({ specs: built, params }) => checkParamSpecs(manifest.kind, built, params));
    });

    it('returns the documented output shapes', () => {
      withPrepared(manifest, testCase, seed, jitter, ({ exercises, inputs, params, constants }) => {
        exercises.forEach((exercise, i) => checkShapes(exercise, inputs[i], params, constants[i]));
      });
    });

    it('is deterministic bit for bit', () => {
      withPrepared(manifest, testCase, seed, jitter, ({ exercises, inputs, params, constants }) => {
        exercises.forEach((exercise, i) => {
          const first = outputValues(exercise, inputs[i], params, constants[i]);
          const second = outputValues(exercise, inputs[i], params, constants[i]);
          for (const name of Object.keys(first)) {
            expect(Array.from(bitsOf(second[name])), `${exercise.call} output "${name}" bits`).toEqual(Array.from(bitsOf(first[name])));
            expect(first[name].every(Number.isFinite), `${exercise.call} output "${name}" is finite`).toBe(true);
          }
        });
      });
    });

    it('leaks no tensors in forward and gradient', () => {
      withPrepared(manifest, testCase, seed, jitter, ({ exercises, inputs, params, constants }) => {
        exercises.forEach((exercise, i) => {
          const keep = [...Object.values(inputs[i]), ...Object.values(params), ...Object.values(constants[i])];
          expectNoLeaks(() => exercise.run(inputs[i], params, constants[i]), { keep, label: `${manifest.id}.${exercise.call} forward` });
          const wrt = differentiable(exercise, inputs[i], params);
          if (wrt.length === 0) return;
          const names = wrt.map(([name]) => name);
          const loss = (...tensors: Tensor[]) => tf.addN(runExerciseOn(exercise, names, tensors, params, constants[i]).map((output) => tf.sum(output)));
          expectNoLeaks(() => tf.grads(loss)(wrt.map(([, tensor]) => tensor)), { keep, label: `${manifest.id}.${exercise.call} gradient` });
        });
      });
    });

    it('leaves its options unchanged', () => {
      // Frozen options make any write throw (modules run in strict mode).
      const frozen = deepFreeze(structuredClone(options));
      const prepared = prepare(manifest, testCase, seed, jitter, frozen);
      try {
        prepared.exercises.forEach((exercise, i) => {
          tf.dispose(Object.values(exercise.run(prepared.inputs[i], prepared.params, prepared.constants[i])));
        });
      } finally {
        prepared.dispose();
      }
      expect(frozen).toStrictEqual(options);
    });

    if (manifest.flopsPerToken || (manifest.kind === 'attention' && (manifest.attended || manifest.cachedPositions))) {
      it('reports finite non-negative costs', () => {
        const attended = manifest.kind === 'attention' && manifest.attended ? manifest.attended(options, shape.seq) : shape.seq;
        expect(Number.isFinite(attended), `attended ${attended} is finite`).toBe(true);
        expect(attended, 'attended').toBeGreaterThanOrEqual(0);
        if (manifest.flopsPerToken) {
          const flops = manifest.flopsPerToken(options, dims, attended);
          expect(Number.isFinite(flops), `flopsPerToken ${flops} is finite`).toBe(true);
          expect(flops, 'flopsPerToken').toBeGreaterThanOrEqual(0);
        }
        if (manifest.kind === 'attention' && manifest.cachedPositions) {
          const cached = manifest.cachedPositions(options, shape.seq);
          expect(Number.isInteger(cached), `cachedPositions ${cached} is an integer`).toBe(true);
          expect(cached, 'cachedPositions').toBeGreaterThanOrEqual(1);
          expect(cached, `cachedPositions for ${shape.seq} tokens`).toBeLessThanOrEqual(shape.seq);
        }
      });
    }

    if (manifest.kind === 'attention' && testCase.cache !== false && shape.seq >= 3) {
      it('matches the full pass when decoding through a KV cache', () => {
        withPrepared(manifest, testCase, seed, jitter, ({ exercises, inputs, params }) => {
          const [exercise] = exercises;
          const xBTD = inputs[0].x;
          const chunks = [shape.seq - 2, 1, 1];
          const decodeAll = (): Tensor[] => {
            const cache: LayerKVCache = { start: shape.start };
            const outputs: Tensor[] = [];
            let offset = 0;
            for (const length of chunks) {
              const chunkBTD = tf.slice(xBTD, [0, offset, 0], [-1, length, -1]);
              outputs.push(exercise.decode!(chunkBTD, params, cache, shape.start + offset));
              chunkBTD.dispose();
              offset += length;
            }
            outputs.push(...[cache.keys, cache.values].filter((tensor): tensor is Tensor => tensor !== undefined));
            return outputs;
          };
          const full = exercise.run(inputs[0], params, {}).y;
          const decoded = decodeAll();
          const joined = tf.concat(decoded.slice(0, chunks.length), 1);
          try {
            expectClose(joined, { shape: full.shape, data: Array.from(full.dataSync()) }, FLOAT32_TOLERANCE, `${manifest.id} cached decoding`);
          } finally {
            tf.dispose([full, joined, ...decoded]);
          }
          // The attention must dispose the cache tensors it replaces; the caller frees the last ones.
          expectNoLeaks(decodeAll, { label: `${manifest.id} cached decoding` });
        });
      });
    }

    it('builds the same model after a JSON round trip of its options', () => {
      const copy = JSON.parse(JSON.stringify(options)) as SlotOptions;
      expect(copy).toStrictEqual(options);
      expect(countParams(paramSpecsOf(manifest, copy, dims, shape.dim))).toBe(countParams(specs));
      const original = prepare(manifest, testCase, seed, jitter);
      const restored = prepare(manifest, testCase, seed, jitter, copy);
      try {
        original.exercises.forEach((exercise, i) => {
          const before = outputValues(exercise, original.inputs[i], original.params, original.constants[i]);
          const after = outputValues(restored.exercises[i], restored.inputs[i], restored.params, restored.constants[i]);
          for (const name of Object.keys(before)) {
            expect(Array.from(bitsOf(after[name])), `${exercise.call} output "${name}" after the round trip`).toEqual(Array.from(bitsOf(before[name])));
          }
        });
      } finally {
        original.dispose();
        restored.dispose();
      }
    });

    const gradientPlan = plan.filter((exercise) => hasDifferentiable(exercise, specs));
    if (testCase.gradient !== false && gradientPlan.length > 0) {
      it(`matches finite-difference gradients (${gradientPlan.map((exercise) => exercise.call).join(', ')})`, () => {
        withPrepared(manifest, testCase, seed, jitter, ({ exercises, inputs, params, constants }) => {
          exercises.forEach((exercise, i) => {
            const wrt = differentiable(exercise, inputs[i], params);
            if (wrt.length === 0) return;
            const names = wrt.map(([name]) => `${exercise.call}: ${name}`);
            const keys = wrt.map(([name]) => name);
            gradCheck((...tensors) => runExerciseOn(exercise, keys, tensors, params, constants[i]), wrt.map(([, tensor]) => tensor), {
              seed,
              ...(testCase.gradient || {}),
              names,
            });
          });
        });
      });
    }
  });
}

function goldenCallShape(manifest: PluginManifest, goldenCase: GoldenCase, call: string): CallShape {
  const inputs = goldenCase.inputs ?? {};
  const start = goldenCase.start ?? 0;
  const first = Object.values(inputs)[0]?.shape ?? [];
  let batch = first[0] ?? 1;
  let seq = first[1] ?? 1;
  let keys = start + seq;
  if (call === 'rotate' || call === 'queryKey') seq = inputs.q.shape[2];
  if (call === 'scores') seq = inputs.scores.shape[2];
  if (call === 'bias') {
    const biasShape = goldenCase.expected.bias.shape;
    batch = 1;
    seq = biasShape[1];
    keys = biasShape[2];
  }
  const dim = manifest.kind === 'norm' ? first[first.length - 1] : undefined;
  return { batch, seq, start, keys, dim, training: false };
}

function runGoldenCase(manifest: PluginManifest, fixture: GoldenFixture, goldenCase: GoldenCase, spec: GoldenSpec): void {
  const dims = testDims(goldenCase.dims);
  const options = resolveOptions(manifest, goldenCase.options);
  expect(optionProblems(manifest, options, dims), 'option problems').toEqual([]);
  const call = goldenCase.call ?? 'apply';
  const shape = goldenCase.call === undefined && manifest.kind === 'position' ? undefined : goldenCallShape(manifest, goldenCase, call);
  if (!shape) throw new Error(`golden case "${goldenCase.name}" of a position plugin must name its "call" (embed, rotate or bias)`);

  const owned: Tensor[] = [];
  const fromRecord = (record: Record<string, { shape: number[]; data: number[] }> = {}): Record<string, Tensor> => {
    const out: Record<string, Tensor> = {};
    for (const [name, data] of Object.entries(record)) {
      out[name] = tensorFromData(data);
      owned.push(out[name]);
    }
    return out;
  };
  try {
    const params = fromRecord(goldenCase.params);
    const specs = paramSpecsOf(manifest, options, dims, shape.dim);
    expect(Object.keys(params).sort(), 'fixture parameter names').toEqual(specs.map((s) => s.name).sort());
    for (const s of specs) expect(params[s.name].shape, `fixture ${s.name} shape`).toEqual(s.shape);

    let position: BoundPosition | undefined;
    if (goldenCase.position) {
      const positionManifest = spec.positions?.find((candidate) => candidate.id === goldenCase.position?.options.type);
      if (!positionManifest) throw new Error(`golden case "${goldenCase.name}" needs position "${goldenCase.position.options.type}"; pass its manifest in golden.positions`);
      position = { manifest: positionManifest, options: resolveOptions(positionManifest, goldenCase.position.options), params: fromRecord(goldenCase.position.params) };
    }
    const exercise = exercisesOf(manifest, options, dims, shape, position).find((candidate) => candidate.call === call);
    if (!exercise) throw new Error(`golden case "${goldenCase.name}" calls "${call}", which ${manifest.kind} plugin "${manifest.id}" does not have`);
    const inputs = fromRecord(goldenCase.inputs);
    const constants = goldenCase.constants ? fromRecord(goldenCase.constants) : exercise.makeConstants?.() ?? {};
    if (!goldenCase.constants) owned.push(...Object.values(constants));

    const tolerance: Tolerance = { ...FLOAT32_TOLERANCE, ...fixture.tolerance, ...goldenCase.tolerance, ...spec.tolerance };
    tf.tidy(() => {
      const outputs = exercise.run(inputs, params, constants);
      expect(Object.keys(outputs).sort(), 'output names').toEqual(Object.keys(goldenCase.expected).sort());
      for (const [name, expected] of Object.entries(goldenCase.expected)) {
        expectClose(outputs[name], expected, tolerance, `${goldenCase.name}: ${call} output "${name}"`);
      }
    });
  } finally {
    for (const tensor of owned) tensor.dispose();
  }
}

/**
 * Declares the conformance suite of `manifest` as vitest blocks on the tfjs `cpu` backend.
 * The suite checks the manifest metadata first. Each case then checks its options, parameter
 * specs against built tensors, output shapes, bitwise determinism, tensor leaks, unchanged
 * options, a JSON round trip, costs, KV-cached decoding (attention) and finite-difference
 * gradients. Every golden fixture case and every invalid-options case follows.
 */
export function describeConformance(manifest: PluginManifest, spec: ConformanceSpec): void {
  const seed = spec.seed ?? 0;
  const jitter = spec.jitter ?? 0.1;
  describe(`${manifest.kind} plugin "${manifest.id}" conformance`, () => {
    useCpuBackend();

    it('has complete manifest metadata', () => {
      checkMetadata(manifest);
    });

    it('has at least one case', () => {
      expect(spec.cases.length).toBeGreaterThan(0);
    });

    for (const testCase of spec.cases) declareCase(manifest, testCase, seed, jitter);

    const goldenSpecs: readonly GoldenSpec[] = spec.golden === undefined ? [] : Array.isArray(spec.golden) ? spec.golden : [spec.golden as GoldenSpec];
    for (const goldenSpec of goldenSpecs) {
      const fixture = loadFixture(goldenSpec.fixture);
      describe(`golden fixture from ${fixture.generator}`, () => {
        for (const goldenCase of fixture.cases) {
          it(goldenCase.name, () => runGoldenCase(manifest, fixture, goldenCase, goldenSpec));
        }
      });
    }

    for (const invalid of spec.invalid ?? []) {
      it(`rejects ${invalid.name}`, () => {
        const problems = optionProblems(manifest, resolveOptions(manifest, invalid.options), testDims(invalid.dims));
        expect(problems.length, 'number of problems').toBeGreaterThan(0);
        const matcher = typeof invalid.message === 'string' ? (p: string) => p.includes(invalid.message as string) : (p: string) => (invalid.message as RegExp).test(p);
        expect(problems.some(matcher), `expected a problem matching ${String(invalid.message)}, got: ${problems.join(' | ')}`).toBe(true);
      });
    }
  });
}

