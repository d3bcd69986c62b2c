// The implementation lives in core, which checkpoints also use; data keeps its export for callers.
export { writeFileAtomic } from '@archzoo/core';
