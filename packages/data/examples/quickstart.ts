import { BatchSampler, evalBatches, loadCorpus } from '@archzoo/data';

// Tokenizes the Brown corpus with GPT-2 BPE on the first run, then reads the token cache.
const corpus = await loadCorpus({ data: 'brown', tokenizer: 'gpt2' });
console.log(`${corpus.name}: ${corpus.train.length} train and ${corpus.val.length} val tokens, cached: ${corpus.fromCache}`);
console.log(`unigram baseline: ${corpus.baseline.crossEntropyNats.toFixed(2)} nats/token`);

// Random training windows: inputs and targets are Int32Array [B * T], targets shifted by one.
const sampler = new BatchSampler(corpus.train, { batchSize: 4, blockSize: 64, seed: 1337 });
const checkpoint = sampler.state();
const first = sampler.next();
sampler.restore(checkpoint);
const again = sampler.next();
console.log(`restored sampler repeats its batch: ${again.inputs.every((id, index) => id === first.inputs[index])}`);

// Fixed, ordered windows of the validation split, capped at 10 batches.
let rows = 0;
for (const batch of evalBatches(corpus.val, { batchSize: 8, blockSize: 64, maxBatches: 10 })) rows += batch.rows;
console.log(`evaluation rows: ${rows}`);
