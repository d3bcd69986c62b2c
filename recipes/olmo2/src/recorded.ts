/**
 * Recorded reproductions of the recipe's scales, one per backend, checked by `archzoo reproduce`.
 */
import type { RecordedResult } from '@archzoo/core';

// NOTE: no reproduction has been recorded yet, so `archzoo reproduce olmo2` reports NO RECORD.
export const recorded: RecordedResult[] = [];
