export { BatchSampler, type BatchSamplerOptions, type BatchSamplerState } from './batch-sampler.js';
export { type BatchShape, type TokenBatch } from './batch.js';
export { brownToText, detokenize } from './brown-text.js';
export { type BrownPackage, listBrownDocumentIds, locateBrownPackage, readBrownDocuments } from './brown-corpus.js';
export { evalBatches, type EvalBatchOptions, evalWindowCount } from './eval-batches.js';
export { BROWN, loadCorpus, type LoadCorpusOptions, type LoadedCorpus } from './load-corpus.js';
export {
  decodeUtf8,
  type LocalDocuments,
  type LocalFile,
  type LocalListing,
  listLocalFiles,
  readLocalDocuments,
  TEXT_EXTENSIONS,
} from './local-corpus.js';
export {
  checkValFraction,
  chooseSplitRule,
  DEFAULT_VAL_FRACTION,
  type DocumentSplit,
  type SplitRule,
  splitDocuments,
} from './split.js';
export type { DataWarning, TextDocument } from './text-document.js';
export {
  defaultCacheDir,
  readTokenCache,
  TOKEN_CACHE_VERSION,
  type TokenCacheEntry,
  type TokenCacheIdentity,
  type TokenCacheInput,
  type TokenCacheLookup,
  type TokenCacheMeta,
  tokenCacheKey,
  type TokenFileMeta,
  writeTokenCache,
} from './token-cache.js';
export { allocateTokens, encodeDocuments, type TokenArray, type TokenDtype, tokenDtype } from './token-stream.js';
export {
  createTokenizer,
  DEFAULT_TOKENIZER,
  isTokenizerName,
  parseTokenizerName,
  type Tokenizer,
  TOKENIZER_NAMES,
  type TokenizerName,
  withTokenizer,
} from './tokenizer.js';
export { type UnigramBaseline, unigramBaseline } from './unigram-baseline.js';
export { writeFileAtomic } from './atomic-write.js';
