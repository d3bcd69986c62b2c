/**
 * Backend set-up for plugin tests. The conformance checks run on the tfjs `cpu` backend: it is
 * always installed, computes in float32 and is deterministic, so tolerances mean the same on every
 * machine.
 */
import { beforeAll } from 'vitest';
import { tf } from '@archzoo/core';

/** Selects the tfjs `cpu` backend and waits until it is ready. */
export async function setCpuBackend(): Promise<void> {
  if (tf.getBackend() !== 'cpu') {
    const ok = await tf.setBackend('cpu');
    if (!ok) throw new Error('the tfjs cpu backend failed to initialise; check that @tensorflow/tfjs is installed');
  }
  await tf.ready();
}

/** Registers a vitest `beforeAll` hook in the enclosing suite that selects the `cpu` backend. */
export function useCpuBackend(): void {
  beforeAll(setCpuBackend);
}
