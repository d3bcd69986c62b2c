import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CheckpointError } from '../errors.js';
import { Rng } from '../rng.js';
import { encodeSafetensors, MAX_SAFETENSORS_HEADER_BYTES, parseSafetensors, readSafetensors, writeSafetensors } from './safetensors.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'archzoo-safetensors-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Builds a file by hand from the format description: length prefix, JSON header, raw data. */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(0), headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(headerLength ?? json.byteLength), true);
  return concat([prefix, json, data]);
}

function uint16Bytes(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 2);
  values.forEach((value, i) => new DataView(bytes.buffer).setUint16(i * 2, value, true));
  return bytes;
}

function sampleTensors(): Map<string, { shape: number[]; data: Float32Array }> {
  return new Map([
    ['embed.weight', { shape: [3, 2], data: new Float32Array([1, -2, 3.5, 0, -0.125, 1e-8]) }],
    ['layers.0.norm.weight', { shape: [2], data: new Float32Array([0.5, 2]) }],
    ['empty', { shape: [0, 4], data: new Float32Array(0) }],
    ['scalar', { shape: [], data: new Float32Array([7]) }],
  ]);
}

function expectCheckpointError(bytes: Uint8Array, pattern: RegExp): void {
  let caught: unknown;
  try {
    parseSafetensors(bytes, 'weights.safetensors');
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CheckpointError);
  const message = (caught as Error).message;
  expect(message).toMatch(/^weights\.safetensors: /);
  expect(message).toMatch(pattern);
  expect(message).not.toContain('\n');
}

describe('safetensors round trip', () => {
  it('writes and reads F32 tensors with metadata', async () => {
    const path = join(folder, 'round-trip.safetensors');
    await writeSafetensors(path, sampleTensors(), { format: 'pt', step: '120' });

    const { tensors, metadata } = await readSafetensors(path);
    expect([...tensors.keys()]).toEqual(['embed.weight', 'layers.0.norm.weight', 'empty', 'scalar']);
    for (const [name, expected] of sampleTensors()) {
      const tensor = tensors.get(name)!;
      expect(tensor.dtype).toBe('F32');
      expect(tensor.shape).toEqual(expected.shape);
      expect(Array.from(tensor.data)).toEqual(Array.from(expected.data));
    }
    expect(Object.fromEntries(metadata)).toEqual({ format: 'pt', step: '120' });
    expect(await readdir(folder)).toEqual(['round-trip.safetensors']);
  });

  it('pads the header to 8 bytes with spaces', async () => {
    const bytes = concat(encodeSafetensors(sampleTensors()));
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header['embed.weight']).toEqual({ dtype: 'F32', shape: [3, 2], data_offsets: [0, 24] });
    expect(header['layers.0.norm.weight']).toEqual({ dtype: 'F32', shape: [2], data_offsets: [24, 32] });
    expect(header.__metadata__).toBeUndefined();
  });

  it('reads bytes passed directly', async () => {
    const { tensors } = await readSafetensors(concat(encodeSafetensors(sampleTensors())));
    expect(Array.from(tensors.get('scalar')!.data)).toEqual([7]);
  });

  it('rejects data that does not match the shape', () => {
    const tensors = new Map([['w', { shape: [2, 2], data: new Float32Array(3) }]]);
    expect(() => encodeSafetensors(tensors)).toThrow(/tensor w has shape \[2,2\] \(4 values\) but 3 values/);
  });
});

describe('safetensors dtypes', () => {
  // Bit patterns from IEEE 754 binary16 and bfloat16 (the upper 16 bits of binary32).
  it('converts F16 to float32', () => {
    const halves = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x3555, 0x7c00, 0x8000];
    const file = rawFile({ h: { dtype: 'F16', shape: [7], data_offsets: [0, 14] } }, uint16Bytes(halves));
    const data = parseSafetensors(file, 'f16').tensors.get('h')!.data;
    expect(Array.from(data)).toEqual([1, -2, 65504, 2 ** -24, Math.fround(0.333251953125), Infinity, -0]);
  });

  it('converts BF16 to float32', () => {
    const file = rawFile({ b: { dtype: 'BF16', shape: [2, 2], data_offsets: [0, 8] } }, uint16Bytes([0x3f80, 0x4049, 0xc2f7, 0x0000]));
    const tensor = parseSafetensors(file, 'bf16').tensors.get('b')!;
    expect(tensor.dtype).toBe('BF16');
    expect(tensor.shape).toEqual([2, 2]);
    expect(Array.from(tensor.data)).toEqual([1, 3.140625, -123.5, 0]);
  });

  it('converts I32 and I64 to float32', () => {
    const data = new Uint8Array(4 * 2 + 8 * 2);
    const view = new DataView(data.buffer);
    view.setInt32(0, -5, true);
    view.setInt32(4, 1 << 20, true);
    view.setBigInt64(8, -3n, true);
    view.setBigInt64(16, 50257n, true);
    const file = rawFile(
      {
        i32: { dtype: 'I32', shape: [2], data_offsets: [0, 8] },
        i64: { dtype: 'I64', shape: [2], data_offsets: [8, 24] },
      },
      data,
    );
    const { tensors } = parseSafetensors(file, 'ints');
    expect(Array.from(tensors.get('i32')!.data)).toEqual([-5, 1 << 20]);
    expect(Array.from(tensors.get('i64')!.data)).toEqual([-3, 50257]);
  });
});

describe('safetensors malformed input', () => {
  const valid = { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const eightBytes = new Uint8Array(8);

  const cases: Array<[string, () => Uint8Array, RegExp]> = [
    ['file shorter than 8 bytes', () => new Uint8Array(5), /truncated: 5 bytes, fewer than the 8-byte header length/],
    ['header longer than the file', () => rawFile(valid, eightBytes).subarray(0, 20), /truncated: the header needs \d+ bytes but the file has 20/],
    ['header length over the limit', () => rawFile('{}', new Uint8Array(0), MAX_SAFETENSORS_HEADER_BYTES + 1), /exceeds the 100000000-byte limit/],
    ['header length near 2^64', () => rawFile('{}', new Uint8Array(0), Number.MAX_SAFE_INTEGER), /exceeds the 100000000-byte limit/],
    ['invalid JSON', () => rawFile('{"w": ', eightBytes), /header is not valid UTF-8 JSON/],
    ['invalid UTF-8', () => concat([rawFile('  ').subarray(0, 8), new Uint8Array([0xff, 0xfe])]), /header is not valid UTF-8 JSON/],
    ['header that is an array', () => rawFile([1, 2]), /header must be a JSON object, got an array/],
    ['unknown dtype', () => rawFile({ w: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } }, new Uint8Array(2)), /unsupported dtype "F8_E4M3".*supported dtypes are F64, F32, F16, BF16, I64, I32, I16, I8, U8/],
    ['non-integer shape', () => rawFile({ w: { dtype: 'F32', shape: [1.5], data_offsets: [0, 4] } }, new Uint8Array(4)), /invalid shape \[1\.5\]/],
    ['negative shape', () => rawFile({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)), /invalid shape \[-1\]/],
    ['shape that is not a list', () => rawFile({ w: { dtype: 'F32', shape: '2', data_offsets: [0, 8] } }, eightBytes), /invalid shape "2"/],
    ['shape and length mismatch', () => rawFile({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, eightBytes), /shape \[3\] of F32, which needs 12 bytes, but data_offsets span 8/],
    ['huge shape', () => rawFile({ w: { dtype: 'F32', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 8] } }, eightBytes), /needs more than 9007199254740991 bytes/],
    ['offsets past the data', () => rawFile({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, eightBytes), /data_offsets \[0, 16\] outside the 8-byte data buffer/],
    ['reversed offsets', () => rawFile({ w: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, eightBytes), /invalid data_offsets \[8,0\]/],
    ['missing offsets', () => rawFile({ w: { dtype: 'F32', shape: [2] } }, eightBytes), /invalid data_offsets undefined/],
    [
      'overlapping tensors',
      () =>
        rawFile(
          { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } },
          new Uint8Array(12),
        ),
      /tensors a and b overlap at byte 4/,
    ],
    ['hole in the data', () => rawFile({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, eightBytes), /bytes 0 to 4 of the data buffer belong to no tensor/],
    ['trailing bytes', () => rawFile(valid, new Uint8Array(12)), /4 trailing bytes after the last tensor/],
    ['entry that is not an object', () => rawFile({ w: 3 }), /tensor w must be an object/],
    ['metadata that is not strings', () => rawFile({ __metadata__: { step: 3 } }), /__metadata__\.step must be a string, got 3/],
  ];

  for (const [name, build, pattern] of cases) {
    it(`rejects ${name}`, () => expectCheckpointError(build(), pattern));
  }

  it('names a missing file', async () => {
    const path = join(folder, 'missing.safetensors');
    await expect(readSafetensors(path)).rejects.toThrow(`${path}: cannot read the safetensors file (ENOENT)`);
  });

  it('names a truncated file on disk', async () => {
    const path = join(folder, 'cut.safetensors');
    const bytes = concat(encodeSafetensors(sampleTensors()));
    await writeFile(path, bytes.subarray(0, bytes.byteLength - 3));
    await expect(readSafetensors(path)).rejects.toThrow(new RegExp(`^${path}: tensor \\S+ has data_offsets .* outside`));
    expect((await readFile(path)).byteLength).toBe(bytes.byteLength - 3);
  });
});

describe('safetensors fuzz', () => {
  /** Applies one random corruption: bit flips, a truncation, a length-prefix flip, a header character or a header number edit. */
  function mutate(original: Uint8Array, rng: Rng): Uint8Array {
    const bytes = original.slice();
    const headerEnd = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
    switch (rng.nextInt(5)) {
      case 0: {
        for (let flips = 1 + rng.nextInt(4); flips > 0; flips--) bytes[rng.nextInt(bytes.length)]! ^= 1 << rng.nextInt(8);
        return bytes;
      }
      case 1:
        return bytes.subarray(0, rng.nextInt(bytes.length));
      case 2: {
        // Flips inside the 8-byte length prefix, where a single bit changes the header length.
        bytes[rng.nextInt(8)]! ^= 1 << rng.nextInt(8);
        return bytes;
      }
      case 3: {
        // Replaces one header character with a JSON-significant one.
        const symbols = '{}[]",:0123456789-.eE ';
        bytes[8 + rng.nextInt(headerEnd - 8)] = symbols.charCodeAt(rng.nextInt(symbols.length));
        return bytes;
      }
      default: {
        // Rewrites one number in the header text, keeping the byte length when the new one fits.
        const text = new TextDecoder().decode(bytes.subarray(8, headerEnd));
        const numbers = [...text.matchAll(/\d+/g)];
        const target = numbers[rng.nextInt(numbers.length)]!;
        const replacement = String(rng.nextInt(10 ** target[0].length)).padStart(target[0].length, '0');
        const edited = text.slice(0, target.index) + replacement + text.slice(target.index! + target[0].length);
        bytes.set(new TextEncoder().encode(edited), 8);
        return bytes;
      }
    }
  }

  it('returns a result or a CheckpointError for 5000 mutated files', () => {
    const seeds = [
      concat(encodeSafetensors(sampleTensors(), { step: '42' })),
      rawFile({ h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] }, b: { dtype: 'BF16', shape: [1], data_offsets: [6, 8] } }, new Uint8Array(8)),
    ];
    const rng = new Rng(20261204);
    const outcomes = { valid: 0, rejected: 0 };
    for (let trial = 0; trial < 5000; trial++) {
      const bytes = mutate(seeds[trial % seeds.length]!, rng);
      try {
        const { tensors } = parseSafetensors(bytes, 'fuzz.safetensors');
        for (const tensor of tensors.values()) expect(tensor.data.length).toBe(tensor.shape.reduce((a, b) => a * b, 1));
        outcomes.valid += 1;
      } catch (error) {
        if (!(error instanceof CheckpointError)) throw new Error(`trial ${trial} threw ${String(error)}`);
        expect(error.message).not.toContain('\n');
        outcomes.rejected += 1;
      }
    }
    // Both outcomes occur, so the mutations reach past the first checks and also leave valid files.
    expect(outcomes.valid).toBeGreaterThan(100);
    expect(outcomes.rejected).toBeGreaterThan(1000);
  });
});
