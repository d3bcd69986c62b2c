/**
 * Loads the Brown corpus twice (cold, into an empty temporary cache, then warm) for each
 * tokenizer named on the command line (default gpt2) and prints timings, token counts and the
 * unigram baselines as JSON lines. A first line times the stages of a cold load on their own:
 * reading and untagging the 500 files, and encoding them with each tokenizer.
 *
 *   pnpm --filter @archzoo/data brown-report [gpt2 cl100k_base o200k_base]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { encodeDocuments, loadCorpus, locateBrownPackage, readBrownDocuments, withTokenizer } from '../src/index.js';

const tokenizers = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['gpt2'];
const readStarted = performance.now();
const documents = await readBrownDocuments(await locateBrownPackage());
const readMs = performance.now() - readStarted;
const encodeMs: Record<string, number> = {};
for (const tokenizer of tokenizers) {
  await withTokenizer(tokenizer, (encoder) => {
    const started = performance.now();
    encodeDocuments(documents, encoder);
    encodeMs[tokenizer] = Math.round(performance.now() - started);
  });
}
console.log(JSON.stringify({ stage: 'cold parts', documents: documents.length, readMs: Math.round(readMs), encodeMs }));

const cacheDir = await mkdtemp(join(tmpdir(), 'archzoo-brown-'));
try {
  for (const tokenizer of tokenizers) {
    for (const run of ['cold', 'warm']) {
      const started = performance.now();
      const corpus = await loadCorpus({ data: 'brown', tokenizer, cacheDir });
      const elapsedMs = performance.now() - started;
      console.log(
        JSON.stringify({
          run,
          tokenizer,
          fromCache: corpus.fromCache,
          elapsedMs: Math.round(elapsedMs),
          documents: corpus.documents,
          trainTokens: corpus.train.length,
          valTokens: corpus.val.length,
          dtype: corpus.dtype,
          crossEntropyNats: Number(corpus.baseline.crossEntropyNats.toFixed(4)),
          valEntropyNats: Number(corpus.baseline.valEntropyNats.toFixed(4)),
          warnings: corpus.warnings,
        }),
      );
    }
  }
} finally {
  await rm(cacheDir, { recursive: true, force: true });
}
