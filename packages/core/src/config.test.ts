import { describe, expect, it } from 'vitest';
import { testConfig, testPlugins } from './__fixtures__/plugins.js';
import { checkResolvedConfig, resolveConfig, type ModelConfig } from './config.js';
import { ConfigError } from './errors.js';
import { countParams, modelParamSpecs } from './params.js';
import { Registry } from './registry.js';

const registry = new Registry(testPlugins);

function problemOf(config: unknown): string {
  try {
    resolveConfig(config as ModelConfig, registry);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('config was accepted');
}

describe('resolveConfig', () => {
  it('fills defaults', () => {
    const resolved = resolveConfig(testConfig, registry);
    expect(resolved.dims.n_kv_heads).toBe(2);
    expect(resolved.dims.head_dim).toBe(4);
    expect(resolved.norm).toEqual({ eps: 1e-6, type: 'test_rms' });
    expect(resolved.block).toEqual({ placement: 'pre', layout: 'serial', final_norm: true, embedding_norm: false });
    expect(resolved.layers).toHaveLength(2);
  });

  it('defaults the embedding init std to init_std', () => {
    expect(resolveConfig(testConfig, registry).embedding_init_std).toBe(0.02);
    expect(resolveConfig({ ...testConfig, init_std: 0.1 }, registry).embedding_init_std).toBe(0.1);
    const palmLike = resolveConfig({ ...testConfig, embedding_init_std: 1 }, registry);
    expect(palmLike.embedding_init_std).toBe(1);
    expect(palmLike.init_std).toBe(0.02);
    expect(modelParamSpecs(palmLike, registry).find((spec) => spec.name === 'embed.weight')!.init).toEqual({ kind: 'normal', std: 1 });
  });

  it('rejects a zero embedding init std', () => {
    expect(problemOf({ ...testConfig, embedding_init_std: 0 })).toMatch(/embedding_init_std must be > 0/);
  });

  it('rejects n_heads not dividing d_model', () => {
    expect(problemOf({ ...testConfig, d_model: 770, n_heads: 12 })).toBe(
      'invalid model config: n_heads (12) must divide d_model (770); change n_heads or set head_dim explicitly',
    );
  });

  it('rejects n_kv_heads not dividing n_heads', () => {
    expect(problemOf({ ...testConfig, n_kv_heads: 3, n_heads: 2 })).toContain('n_kv_heads (3) must divide n_heads (2)');
  });

  it('rejects unknown plugin ids with the registered list', () => {
    expect(problemOf({ ...testConfig, norm: { type: 'groupnorm' } })).toContain(
      'norm.type "groupnorm" is not a registered norm plugin; registered: test_rms',
    );
  });

  it('rejects unknown options and fields', () => {
    expect(problemOf({ ...testConfig, norm: { type: 'test_rms', epsilon: 1 } })).toContain('norm.epsilon is not an option of "test_rms"; valid options: eps');
    expect(problemOf({ ...testConfig, dmodel: 3 })).toContain('config.dmodel is not a model config field');
  });

  it('rejects bad numbers', () => {
    expect(problemOf({ ...testConfig, d_model: -8 })).toContain('config.d_model must be >= 1, got -8');
    expect(problemOf({ ...testConfig, n_layers: 1.5 })).toContain('config.n_layers must be an integer, got 1.5');
    expect(problemOf({ ...testConfig, vocab_size: '17' })).toContain('config.vocab_size must be a finite number, got "17"');
  });

  it('counts every problem in the message', () => {
    expect(problemOf({ ...testConfig, norm: { type: 'x' }, ffn: { type: 'y' } })).toMatch(/\(and 1 more problem\)$/);
  });

  it('applies layer_pattern cyclically', () => {
    const resolved = resolveConfig({ ...testConfig, n_layers: 3, layer_pattern: [{ position: null }, {}] }, registry);
    expect(resolved.layers.map((l) => l.position?.type ?? null)).toEqual([null, 'test_none', null]);
  });

  it('rejects attention dropout for an attention plugin without a dropout option', () => {
    expect(problemOf({ ...testConfig, dropout: { attention: 0.1 } })).toContain(
      'dropout.attention (0.1) needs an attention plugin with a dropout option, but "test_causal" has none',
    );
  });

  it('derives d_ff from a rule', () => {
    // LLaMA-7B: floor(2/3 * 4 * 4096) = 10922, rounded up to a multiple of 256 = 11008.
    const resolved = resolveConfig({ ...testConfig, d_model: 4096, n_heads: 32, d_ff: { rule: '8/3', multiple_of: 256 } }, registry);
    expect(resolved.dims.d_ff).toBe(11008);
    expect(resolveConfig({ ...testConfig, d_ff: { rule: '4x' } }, registry).dims.d_ff).toBe(32);
  });

  it('rejects an unknown d_ff rule', () => {
    expect(problemOf({ ...testConfig, d_ff: { rule: '3x' } })).toContain('d_ff.rule must be one of "4x", "8/3", got "3x"');
  });

  it('does not mutate the input', () => {
    const config = JSON.parse(JSON.stringify(testConfig)) as ModelConfig;
    const copy = JSON.stringify(config);
    resolveConfig(config, registry);
    expect(JSON.stringify(config)).toBe(copy);
  });

  it('builds the same parameter count after a JSON round trip', () => {
    const direct = countParams(modelParamSpecs(resolveConfig(testConfig, registry), registry));
    const roundTrip = countParams(modelParamSpecs(resolveConfig(JSON.parse(JSON.stringify(testConfig)), registry), registry));
    // embed 17*8 + 2 layers * (2 norms*8 + 8*24 + 8*8 + 8*16 + 16*8) + final 8 + head 8*17
    expect(direct).toBe(17 * 8 + 2 * (16 + 192 + 64 + 128 + 128) + 8 + 8 * 17);
    expect(roundTrip).toBe(direct);
  });
});

describe('checkResolvedConfig', () => {
  const resolved = resolveConfig(testConfig, registry);
  const stored = () => JSON.parse(JSON.stringify(resolved)) as Record<string, any>;

  function storedProblemOf(config: unknown): string {
    try {
      checkResolvedConfig(config, registry);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('stored config was accepted');
  }

  it('accepts a resolved config after a JSON round trip', () => {
    expect(checkResolvedConfig(stored(), registry)).toEqual(resolved);
  });

  it('rejects an unknown key and a bad dim', () => {
    expect(storedProblemOf({ ...stored(), foo: 1 })).toMatch(/^invalid model config: config.foo is not a model config field/);
    const config = stored();
    config.dims.d_model = -5;
    expect(storedProblemOf(config)).toMatch(/^invalid model config: config.d_model must be >= 1, got -5/);
  });

  it('rejects a layer slot its schema rejects', () => {
    const config = stored();
    config.layers[0].ffn.d_ff_typo = 1;
    expect(storedProblemOf(config)).toMatch(/^invalid model config: layers\[0\]\.ffn\.d_ff_typo is not an option/);
  });

  it('rejects a layer that differs from what the config resolves to', () => {
    const config = stored();
    const position = JSON.stringify(config.layers[1].position);
    config.layers[1].position = null;
    expect(storedProblemOf(config)).toBe(`invalid model config: layers[1].position is null, but the rest of the config resolves it to ${position}`);
  });
});
