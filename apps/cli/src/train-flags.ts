/** Flags shared by `train` and `reproduce`. */
import { BACKEND_NAMES } from '@archzoo/core';

import type { FlagSpecs } from './args.js';
import { DEFAULT_SCALE } from './catalog.js';

export const SCALE_FLAG: FlagSpecs = {
  scale: { type: 'string', valueName: 'S', description: `recipe scale to train, e.g. tiny or small (default ${DEFAULT_SCALE})` },
};

export const BACKEND_FLAG: FlagSpecs = {
  backend: {
    type: 'string',
    valueName: 'B',
    description: `TensorFlow.js backend: ${BACKEND_NAMES.join(', ')} (default $ARCHZOO_BACKEND, else auto: the fastest that starts)`,
  },
};

export const OUT_FLAG: FlagSpecs = {
  out: {
    type: 'string',
    valueName: 'DIR',
    description: 'run directory, new or empty (default runs/<recipe>-<scale>-<UTC timestamp>)',
  },
};
