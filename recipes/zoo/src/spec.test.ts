import { countParams, modelParamSpecs, resolveConfig } from '@archzoo/core';
import { describe, expect, it } from 'vitest';
import { ZOO } from './catalog.js';
import { cells, deriveSpec, OPTIONAL_SPEC_FIELDS, SPEC_FIELDS, type ZooSpec } from './spec.js';
import { zooRegistry } from './test-support/registry.js';

/** Reads a field of `SPEC_FIELDS` from the config, following "block.x" paths. */
function fieldValue(spec: ZooSpec, field: string): unknown {
  const config = spec.config as unknown as Record<string, unknown> | null;
  if (config === null) return undefined;
  const [head, tail] = field.split('.');
  const value = config[head!];
  return tail === undefined ? value : (value as Record<string, unknown> | undefined)?.[tail];
}

/** The model names of the CS336 lecture 3 architecture table, in its row order. */
const TABLE_MODELS = [
  'Original transformer', 'GPT', 'T5 (11B)', 'GPT-2', 'T5 v1.1 (XXL 11B)', 'mT5', 'GPT-3 (175B)', 'GPT-J', 'LaMDA',
  'Anthropic LM (not Claude)', 'Gopher (280B)', 'GPT-NeoX', 'BLOOM (175B)', 'OPT (175B)', 'PaLM (540B)', 'Chinchilla',
  'Mistral (7B)', 'LLaMA 2 (70B)', 'LLaMA (65B)', 'GPT-4', 'OLMo 2', 'Gemma 2 (27B)', 'Nemotron-4 (340B)', 'Qwen 2 (72B)',
  'Falcon 2 11B', 'Phi-3 small', 'Llama 3 (70B)', 'Reka Flash', 'Command R+', 'OLMo', 'Qwen (14B)', 'DeepSeek (67B)',
  'Yi (34B)', 'Mixtral', 'Command A', 'Gemma 3', 'SmolLM2 (1.7B)',
];

const registry = zooRegistry();

/** The same names exactly as the lecture table prints them. */
const LECTURE_NAMES = [
  'Original transformer', 'GPT', 'T5 (11B)', 'GPT2', 'T5 (XXL 11B) v1.1', 'mT5', 'GPT3 (175B)', 'GPTJ', 'LaMDA',
  'Anthropic LM (not claude)', 'Gopher (280B)', 'GPT-NeoX', 'BLOOM (175B)', 'OPT (175B)', 'PaLM (540B)', 'Chinchilla',
  'Mistral (7B)', 'LLaMA2 (70B)', 'LLaMA (65B)', 'GPT4', 'Olmo 2', 'Gemma 2 (27B)', 'Nemotron-4 (340B)',
  'Qwen 2 (72b) - same for 2.5', 'Falcon 2 11B', 'Phi3 (small) - same for phi4', 'Llama 3 (70B)', 'Reka Flash', 'Command R+',
  'OLMO', 'Qwen (14B)', 'DeepSeek (67B)', 'Yi (34B)', 'Mixtral of Experts', 'Command A', 'Gemma 3', 'SmolLM2 (1.7B)',
];

/** The lecture table's years, in row order. */
const LECTURE_YEARS = [
  2017, 2018, 2019, 2019, 2020, 2020, 2020, 2021, 2021, 2021, 2021, 2022, 2022, 2022, 2022, 2022, 2023, 2023, 2023, 2023,
  2024, 2024, 2024, 2024, 2024, 2024, 2024, 2024, 2024, 2024, 2024, 2024, 2024, 2024, 2025, 2025, 2025,
];

describe('zoo catalog', () => {
  it('has one spec per table row, in order', () => {
    expect(ZOO.map((spec) => spec.name)).toEqual(TABLE_MODELS);
  });

  it('keeps the lecture table names', () => {
    expect(ZOO.map((spec) => spec.lectureName)).toEqual(LECTURE_NAMES);
  });

  it('keeps the lecture table years', () => {
    expect(ZOO.map((spec) => spec.year)).toEqual(LECTURE_YEARS);
  });

  it('has unique ids', () => {
    expect(new Set(ZOO.map((spec) => spec.id)).size).toBe(ZOO.length);
  });
});

describe.each(ZOO.map((spec) => [spec.id, spec] as const))('spec %s', (_id, spec) => {
  const unknownFields = new Set<string>(spec.unknown.map((choice) => choice.field));

  it('sources or lists as unknown every field', () => {
    for (const field of SPEC_FIELDS) {
      const covered = (spec.sources[field] ?? '').length > 0 || unknownFields.has(field);
      expect(covered, `${field} has neither a source nor an unknown entry`).toBe(true);
    }
  });

  it('sets every field it does not list as unknown', () => {
    if (spec.config === null) return;
    for (const field of SPEC_FIELDS) {
      if (unknownFields.has(field)) continue;
      expect(fieldValue(spec, field), `${field} is unset but not listed as unknown`).not.toBeUndefined();
    }
  });

  it('sources every optional field it sets', () => {
    for (const field of OPTIONAL_SPEC_FIELDS) {
      if (fieldValue(spec, field) === undefined) continue;
      expect(spec.sources[field], `${field} is set without a source`).toBeTruthy();
    }
  });

  it('never sources a field it lists as unknown', () => {
    for (const field of unknownFields) expect(spec.sources[field as keyof typeof spec.sources], field).toBeUndefined();
  });

  it('labels an assumption for every unknown field it builds with', () => {
    for (const choice of spec.unknown) {
      if (spec.config === null) expect(choice.assumption, choice.field).toBeUndefined();
      else expect(choice.assumption, choice.field).toMatch(/^archzoo (assumes|keeps|borrows)/);
    }
  });

  it('lists every field as unknown when it has no config', () => {
    if (spec.config !== null) return;
    expect([...unknownFields].sort()).toEqual([...SPEC_FIELDS].sort());
  });

  it('marks only known fields as unverified', () => {
    for (const field of spec.unverified) {
      const top = field.split('.')[0]!;
      const known = top in (spec.config ?? {}) || field in spec.sources || top === 'block';
      expect(known, `${field} is unverified but not part of the config`).toBe(true);
    }
  });

  it('resolves with the zoo plugins after a JSON round trip', () => {
    if (spec.config === null) return;
    const roundTrip = resolveConfig(JSON.parse(JSON.stringify(spec.config)), registry);
    const direct = resolveConfig(spec.config, registry);
    expect(countParams(modelParamSpecs(roundTrip, registry))).toBe(countParams(modelParamSpecs(direct, registry)));
  });
});

describe('deriveSpec', () => {
  const parent: ZooSpec = {
    id: 'parent',
    name: 'Parent',
    lectureName: 'Parent',
    year: 2020,
    config: ZOO.find((spec) => spec.id === 'llama')!.config,
    sources: { d_model: 'parent paper', tie_embeddings: 'parent code' },
    unknown: [{ field: 'position.theta', reason: 'not stated', assumption: 'archzoo assumes 10000' }],
    unverified: ['d_model'],
    limitations: [],
    notes: [],
    params: { value: 1, source: 'parent', tolerance: 0, toleranceReason: 'exact' },
    lectureRow: cells('', '', '', '', '', ''),
    disagreements: { norm: 'parent note' },
  };
  const child = deriveSpec(parent, {
    id: 'child',
    name: 'Child',
    lectureName: 'Child',
    year: 2021,
    config: { d_model: 1024 },
    sources: { d_model: 'child paper', 'position.theta': 'child config' },
    unknown: [{ field: 'tie_embeddings', reason: 'not stated', assumption: 'archzoo assumes untied' }],
    lectureRow: cells('', '', '', '', '', ''),
  });

  it('merges config fields over the parent', () => {
    expect(child.config!.d_model).toBe(1024);
    expect(child.config!.n_layers).toBe(parent.config!.n_layers);
    expect(child.parent).toBe('parent');
  });

  it('drops unknowns the diff sources', () => {
    expect(child.unknown.map((choice) => choice.field)).toEqual(['tie_embeddings']);
  });

  it('drops sources the diff marks unknown', () => {
    expect(child.sources.tie_embeddings).toBeUndefined();
    expect(child.sources.d_model).toBe('child paper');
  });

  it('does not inherit params or disagreements', () => {
    expect(child.params).toBeUndefined();
    expect(child.disagreements).toBeUndefined();
  });
});
