/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`, then the
 * data buffer. Offsets are relative to the start of the data buffer, and the tensors must cover it
 * exactly, without overlaps or holes, as the reference Rust implementation requires.
 *
 * Reading accepts floating-point and integer dtypes and converts every tensor to float32; writing
 * produces F32. Every malformed input raises a one-line `CheckpointError` naming the file.
 */
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';

import { CheckpointError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';

/** Bytes per element of each dtype this reader accepts. */
const DTYPE_SIZES = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1 } as const;

export type SafetensorsDtype = keyof typeof DTYPE_SIZES;

/** Dtypes `readSafetensors` accepts, in the order error messages list them. */
export const SAFETENSORS_DTYPES = Object.keys(DTYPE_SIZES) as SafetensorsDtype[];

/** Maximum header length this reader parses, the same limit as the Rust `safetensors` crate's MAX_HEADER_SIZE. */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

const METADATA_KEY = '__metadata__';
const LITTLE_ENDIAN_HOST = endianness() === 'LE';
const BF16_SCRATCH = new DataView(new ArrayBuffer(4));

/** One tensor as read: its stored dtype, its shape, and its values converted to float32. */
export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array;
}

/** One tensor to write as F32; `data.length` must equal the product of `shape`. */
export interface Float32TensorData {
  shape: readonly number[];
  data: Float32Array;
}

export interface SafetensorsContents {
  /** Tensors by name, in header order. */
  tensors: Map<string, SafetensorsTensor>;
  /** The `__metadata__` string map (empty when the header has none). */
  metadata: Map<string, string>;
}

interface HeaderEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsReadOptions {
  /** The fix that every error states in place of its own, such as how to replace a damaged checkpoint. */
  fix?: string;
}

/** Reads a safetensors file from a path or from bytes; `label` names the bytes in error messages. */
export async function readSafetensors(source: string | Uint8Array, label = '<bytes>', options: SafetensorsReadOptions = {}): Promise<SafetensorsContents> {
  if (typeof source !== 'string') return parseSafetensors(source, label, options);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read failed';
    throw new CheckpointError(`${source}: cannot read the safetensors file (${code}); ${options.fix ?? 'check the path and its permissions'}`);
  }
  return parseSafetensors(bytes, source, options);
}

/** Parses safetensors bytes; `file` names them in error messages. */
export function parseSafetensors(bytes: Uint8Array, file: string, options: SafetensorsReadOptions = {}): SafetensorsContents {
  const fail = (problem: string, fix: string): never => {
    throw new CheckpointError(`${file}: ${problem}; ${options.fix ?? fix}`);
  };
  const rewrite = 'rewrite the file with a safetensors writer';
  if (bytes.byteLength < 8) {
    fail(`file is truncated: ${bytes.byteLength} bytes, fewer than the 8-byte header length`, 'the file was cut short, so copy or save it again');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_SAFETENSORS_HEADER_BYTES)) {
    fail(`header length ${headerLength} exceeds the ${MAX_SAFETENSORS_HEADER_BYTES}-byte limit`, `the file is corrupt or not safetensors, so ${rewrite}`);
  }
  const dataStart = 8 + Number(headerLength);
  if (dataStart > bytes.byteLength) {
    fail(
      `file is truncated: the header needs ${dataStart} bytes but the file has ${bytes.byteLength}`,
      'the file was cut short, so copy or save it again',
    );
  }

  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart));
    header = JSON.parse(text);
  } catch (error) {
    fail(`header is not valid UTF-8 JSON (${(error as Error).message.split('\n')[0]})`, rewrite);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    fail(`header must be a JSON object, got ${Array.isArray(header) ? 'an array' : JSON.stringify(header)}`, rewrite);
  }

  const dataLength = bytes.byteLength - dataStart;
  const metadata = new Map<string, string>();
  const entries: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      readMetadata(value, metadata, fail);
      continue;
    }
    entries.push(readEntry(name, value, dataLength, fail));
  }
  checkCoverage(entries, dataLength, fail);

  const tensors = new Map<string, SafetensorsTensor>();
  for (const entry of entries) {
    const data = toFloat32(bytes.subarray(dataStart + entry.begin, dataStart + entry.end), entry.dtype);
    tensors.set(entry.name, { dtype: entry.dtype, shape: entry.shape, data });
  }
  return { tensors, metadata };
}

type Fail = (problem: string, fix: string) => never;

function readMetadata(value: unknown, metadata: Map<string, string>, fail: Fail): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`${METADATA_KEY} must be an object of strings, got ${JSON.stringify(value)}`, 'store metadata as {"key": "value"} strings');
  }
  for (const [key, text] of Object.entries(value as Record<string, unknown>)) {
    if (typeof text !== 'string') {
      fail(`${METADATA_KEY}.${key} must be a string, got ${JSON.stringify(text)}`, 'store metadata values as strings (JSON-encode other values)');
    }
    metadata.set(key, text as string);
  }
}

function readEntry(name: string, value: unknown, dataLength: number, fail: Fail): HeaderEntry {
  const fix = 'rewrite the file with a safetensors writer';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`tensor ${name} must be an object {dtype, shape, data_offsets}, got ${JSON.stringify(value)}`, fix);
  }
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_SIZES, dtype)) {
    fail(`tensor ${name} has unsupported dtype ${JSON.stringify(dtype)}`, `supported dtypes are ${SAFETENSORS_DTYPES.join(', ')}, so convert the tensor to one of them`);
  }
  const isDimension = (dim: unknown): dim is number => Number.isSafeInteger(dim) && (dim as number) >= 0;
  if (!Array.isArray(shape) || !shape.every(isDimension)) {
    fail(`tensor ${name} has invalid shape ${JSON.stringify(shape)}: it must be a list of non-negative integers`, fix);
  }
  const isOffset = (offset: unknown): offset is number => Number.isSafeInteger(offset) && (offset as number) >= 0;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isOffset) || offsets[0] > offsets[1]) {
    fail(`tensor ${name} has invalid data_offsets ${JSON.stringify(offsets)}: they must be [begin, end] integers with begin <= end`, fix);
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLength) {
    fail(`tensor ${name} has data_offsets [${begin}, ${end}] outside the ${dataLength}-byte data buffer`, 'the file is truncated or corrupt, so save it again');
  }
  const size = DTYPE_SIZES[dtype as SafetensorsDtype];
  // Multiplication stops growing the count past 2^53 bytes, where it would lose precision, but a 0 dim still zeroes it.
  let bytes: number = size;
  for (const dim of shape as number[]) bytes = bytes > Number.MAX_SAFE_INTEGER && dim !== 0 ? bytes : bytes * dim;
  if (bytes !== end - begin) {
    const expected = bytes > Number.MAX_SAFE_INTEGER ? `more than ${Number.MAX_SAFE_INTEGER}` : String(bytes);
    fail(`tensor ${name} has shape ${JSON.stringify(shape)} of ${dtype}, which needs ${expected} bytes, but data_offsets span ${end - begin}`, fix);
  }
  return { name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end };
}

/** Requires the tensors to tile the data buffer: sorted by begin, each starts where the previous ended. */
function checkCoverage(entries: HeaderEntry[], dataLength: number, fail: Fail): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  let previous = '';
  for (const entry of sorted) {
    if (entry.begin < position) {
      fail(`tensors ${previous} and ${entry.name} overlap at byte ${entry.begin} of the data buffer`, 'rewrite the file with a safetensors writer');
    }
    if (entry.begin > position) {
      fail(`bytes ${position} to ${entry.begin} of the data buffer belong to no tensor`, 'rewrite the file with a safetensors writer');
    }
    position = entry.end;
    previous = entry.name;
  }
  if (position !== dataLength) {
    fail(`the data buffer has ${dataLength - position} trailing bytes after the last tensor`, 'the file is corrupt, so save it again');
  }
}

function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * Converts little-endian raw values to float32.
 * NOTE: I64 and I32 values beyond 2^24 in magnitude lose precision in float32.
 */
function toFloat32(raw: Uint8Array, dtype: SafetensorsDtype): Float32Array {
  const count = raw.byteLength / DTYPE_SIZES[dtype];
  // Copies into a fresh, aligned buffer; Buffer.slice would return a view into Node's shared pool.
  if (dtype === 'F32' && LITTLE_ENDIAN_HOST) return new Float32Array(new Uint8Array(raw).buffer);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'F64':
        out[i] = view.getFloat64(i * 8, true);
        break;
      case 'F32':
        out[i] = view.getFloat32(i * 4, true);
        break;
      case 'F16':
        out[i] = float16ToFloat32(view.getUint16(i * 2, true));
        break;
      case 'BF16':
        // bfloat16 is the upper half of a float32.
        BF16_SCRATCH.setUint32(0, view.getUint16(i * 2, true) << 16);
        out[i] = BF16_SCRATCH.getFloat32(0);
        break;
      case 'I64':
        out[i] = Number(view.getBigInt64(i * 8, true));
        break;
      case 'I32':
        out[i] = view.getInt32(i * 4, true);
        break;
      case 'I16':
        out[i] = view.getInt16(i * 2, true);
        break;
      case 'I8':
        out[i] = view.getInt8(i);
        break;
      case 'U8':
        out[i] = view.getUint8(i);
        break;
    }
  }
  return out;
}

/**
 * Encodes tensors as an F32 safetensors file, in the given order, and returns its chunks: the
 * length prefix with the header (padded with spaces to a multiple of 8 bytes, so the data starts
 * aligned), then each tensor's bytes.
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, Float32TensorData>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array[] {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of tensors) {
    if (name === METADATA_KEY) throw new CheckpointError(`tensor name ${METADATA_KEY} is reserved for metadata; rename the tensor`);
    const elements = tensor.shape.reduce((a, b) => a * b, 1);
    if (!tensor.shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0) || elements !== tensor.data.length) {
      throw new CheckpointError(
        `tensor ${name} has shape ${JSON.stringify(tensor.shape)} (${elements} values) but ${tensor.data.length} values; pass matching shape and data`,
      );
    }
    header[name] = { dtype: 'F32', shape: [...tensor.shape], data_offsets: [offset, offset + tensor.data.byteLength] };
    offset += tensor.data.byteLength;
    chunks.push(littleEndianBytes(tensor.data));
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const prefix = new Uint8Array(8 + padded).fill(0x20);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(padded), true);
  prefix.set(json, 8);
  return [prefix, ...chunks];
}

function littleEndianBytes(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  data.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return bytes;
}

/**
 * Writes tensors as an F32 safetensors file atomically: a temporary file in the same folder is
 * written, flushed to disk and renamed over `path`, then the folder is flushed.
 */
export async function writeSafetensors(
  path: string,
  tensors: ReadonlyMap<string, Float32TensorData>,
  metadata: Readonly<Record<string, string>> = {},
): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}
