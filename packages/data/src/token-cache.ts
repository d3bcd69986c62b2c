import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir, endianness } from 'node:os';
import { join } from 'node:path';

import { writeFileAtomic } from './atomic-write.js';
import type { SplitRule } from './split.js';
import { allocateTokens, type TokenArray, type TokenDtype } from './token-stream.js';

/** Version of the on-disk layout. Raising it makes old cache entries miss. */
export const TOKEN_CACHE_VERSION = 1;

/** `$ARCHZOO_CACHE_DIR` when set, else `~/.cache/archzoo/tokens`. */
export function defaultCacheDir(): string {
  const fromEnv = process.env.ARCHZOO_CACHE_DIR;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homedir(), '.cache', 'archzoo', 'tokens');
}

/** Everything a cached token stream depends on. */
export interface TokenCacheIdentity {
  /** Short readable corpus name used in file names, e.g. `brown`. */
  readonly corpusName: string;
  /** JSON-serializable corpus identity: package and version, or path plus file sizes and mtimes. */
  readonly corpus: unknown;
  readonly tokenizer: string;
  /** Requested validation fraction. With the corpus, it fixes the split rule. */
  readonly valFraction: number;
}

/** Name of the split procedure in `split.ts`. A change to that procedure must change this name. */
const SPLIT_METHOD = 'sha256-id-rank, position fallback';

/** Cache file stem: `<corpus>-<tokenizer>-<first 16 hex digits of a SHA-256 over the identity>`. */
export function tokenCacheKey(identity: TokenCacheIdentity): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([TOKEN_CACHE_VERSION, identity.corpus, identity.tokenizer, SPLIT_METHOD, identity.valFraction]))
    .digest('hex');
  const slug = identity.corpusName.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 40);
  return `${slug}-${identity.tokenizer}-${digest.slice(0, 16)}`;
}

/** Description of one token file in the JSON sidecar. */
export interface TokenFileMeta {
  readonly file: string;
  readonly tokens: number;
  /** SHA-256 of the file bytes, hex. */
  readonly sha256: string;
}

/**
 * The JSON sidecar `<key>.json`. Token files are raw little-endian arrays with no header
 * (readable with `numpy.memmap(path, dtype='<u2')`, for example), so all metadata lives here.
 */
export interface TokenCacheMeta {
  readonly format: 'archzoo-tokens';
  readonly version: number;
  readonly key: string;
  readonly dtype: TokenDtype;
  readonly tokenizer: string;
  readonly vocabSize: number;
  readonly eotToken: number;
  readonly split: SplitRule;
  readonly documents: { readonly train: number; readonly val: number };
  readonly train: TokenFileMeta;
  readonly val: TokenFileMeta;
}

export interface TokenCacheEntry {
  readonly meta: TokenCacheMeta;
  readonly train: TokenArray;
  readonly val: TokenArray;
}

export type TokenCacheLookup =
  | { readonly status: 'hit'; readonly entry: TokenCacheEntry }
  | { readonly status: 'miss' }
  | { readonly status: 'corrupt'; readonly reason: string };

const BYTES_PER_TOKEN: Record<TokenDtype, number> = { uint16: 2, uint32: 4 };
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function toLittleEndianBytes(tokens: TokenArray): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(tokens.buffer, tokens.byteOffset, tokens.byteLength);
  const bytes = new Uint8Array(tokens.byteLength);
  const view = new DataView(bytes.buffer);
  tokens.forEach((id, index) => {
    if (tokens.BYTES_PER_ELEMENT === 2) view.setUint16(index * 2, id, true);
    else view.setUint32(index * 4, id, true);
  });
  return bytes;
}

function fromLittleEndianBytes(bytes: Uint8Array, dtype: TokenDtype): TokenArray {
  const width = BYTES_PER_TOKEN[dtype];
  const tokens = allocateTokens(dtype, bytes.byteLength / width);
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(tokens.buffer).set(bytes);
    return tokens;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let index = 0; index < tokens.length; index++) {
    tokens[index] = width === 2 ? view.getUint16(index * 2, true) : view.getUint32(index * 4, true);
  }
  return tokens;
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isFileMeta(value: TokenFileMeta | undefined, expectedFile: string): boolean {
  return value?.file === expectedFile && isCount(value.tokens) && typeof value.sha256 === 'string';
}

/** Checks the sidecar fields that reading relies on; file names must be the entry's own. */
function hasValidFields(meta: TokenCacheMeta, key: string): boolean {
  return (
    Object.hasOwn(BYTES_PER_TOKEN, meta.dtype) &&
    isCount(meta.vocabSize) &&
    isCount(meta.eotToken) &&
    isCount(meta.documents?.train) &&
    isCount(meta.documents?.val) &&
    typeof meta.split?.type === 'string' &&
    isFileMeta(meta.train, `${key}.train.bin`) &&
    isFileMeta(meta.val, `${key}.val.bin`)
  );
}

/**
 * Looks up `key` in `cacheDir`. A missing sidecar is a miss. A sidecar that does not parse or
 * does not match its key, or a token file whose size or SHA-256 differs from the sidecar, is
 * reported as corrupt so the caller rebuilds the entry instead of trusting it.
 */
export async function readTokenCache(cacheDir: string, key: string): Promise<TokenCacheLookup> {
  const sidecar = await readOptional(join(cacheDir, `${key}.json`));
  if (sidecar === undefined) return { status: 'miss' };

  let meta: TokenCacheMeta;
  try {
    meta = JSON.parse(sidecar.toString('utf8')) as TokenCacheMeta;
  } catch {
    return { status: 'corrupt', reason: `sidecar ${key}.json is not valid JSON` };
  }
  if (meta?.format !== 'archzoo-tokens' || meta.version !== TOKEN_CACHE_VERSION || meta.key !== key) {
    return { status: 'corrupt', reason: `sidecar ${key}.json has another format, version or key` };
  }
  if (!hasValidFields(meta, key)) {
    return { status: 'corrupt', reason: `sidecar ${key}.json has missing or invalid fields` };
  }

  const streams: TokenArray[] = [];
  for (const fileMeta of [meta.train, meta.val]) {
    const bytes = await readOptional(join(cacheDir, fileMeta.file));
    if (bytes === undefined) return { status: 'corrupt', reason: `token file ${fileMeta.file} is missing` };

    const expectedBytes = fileMeta.tokens * BYTES_PER_TOKEN[meta.dtype];
    if (bytes.byteLength !== expectedBytes) {
      return {
        status: 'corrupt',
        reason: `token file ${fileMeta.file} has ${bytes.byteLength} bytes, expected ${expectedBytes}`,
      };
    }
    if (sha256(bytes) !== fileMeta.sha256) {
      return { status: 'corrupt', reason: `token file ${fileMeta.file} does not match its SHA-256` };
    }
    streams.push(fromLittleEndianBytes(bytes, meta.dtype));
  }
  return { status: 'hit', entry: { meta, train: streams[0], val: streams[1] } };
}

/** Input of `writeTokenCache`. File names, token counts and hashes are derived from it. */
export interface TokenCacheInput {
  readonly dtype: TokenDtype;
  readonly tokenizer: string;
  readonly vocabSize: number;
  readonly eotToken: number;
  readonly split: SplitRule;
  readonly documents: { readonly train: number; readonly val: number };
  readonly train: TokenArray;
  readonly val: TokenArray;
}

/**
 * Writes `<key>.train.bin`, `<key>.val.bin` and then the `<key>.json` sidecar, each atomically.
 * The sidecar goes last, so a crash mid-write leaves at worst a miss or a detectable mismatch.
 */
export async function writeTokenCache(cacheDir: string, key: string, input: TokenCacheInput): Promise<TokenCacheMeta> {
  await mkdir(cacheDir, { recursive: true });

  const writeStream = async (part: 'train' | 'val', tokens: TokenArray): Promise<TokenFileMeta> => {
    if (tokens.BYTES_PER_ELEMENT !== BYTES_PER_TOKEN[input.dtype]) {
      throw new TypeError(`${part} tokens are ${tokens.constructor.name}, but dtype is ${input.dtype}`);
    }
    const file = `${key}.${part}.bin`;
    const bytes = toLittleEndianBytes(tokens);
    await writeFileAtomic(join(cacheDir, file), bytes);
    return { file, tokens: tokens.length, sha256: sha256(bytes) };
  };

  const meta: TokenCacheMeta = {
    format: 'archzoo-tokens',
    version: TOKEN_CACHE_VERSION,
    key,
    dtype: input.dtype,
    tokenizer: input.tokenizer,
    vocabSize: input.vocabSize,
    eotToken: input.eotToken,
    split: input.split,
    documents: input.documents,
    train: await writeStream('train', input.train),
    val: await writeStream('val', input.val),
  };
  await writeFileAtomic(join(cacheDir, `${key}.json`), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}
