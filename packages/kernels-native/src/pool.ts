/**
 * Reuse of kernel output buffers once their tensors are disposed.
 *
 * A disposed tensor's values become garbage, and V8 frees the memory only at its next collection,
 * so a training step that disposes 16 MiB products keeps asking malloc for new blocks and writes
 * them while they are cold. The pool keeps the ArrayBuffers of disposed outputs and hands them to
 * the next output of the same byte length instead.
 *
 * A buffer is reused only when nothing can still read it. The pool follows the tfjs `cpu`
 * backend's data storage (@tensorflow/tfjs-backend-cpu 4.22). Every entry stored with values in
 * a pooled buffer counts as a reference, slices that share the buffer included. The buffer
 * returns to the pool when its last entry is deleted. Values that leave the backend
 * through `readSync` or `read` (`dataSync()`, `data()`, `arraySync()`, `bufferSync()`) may
 * be kept by the caller, so their buffers are never reused and are left to the garbage collector.
 */

/** The parts of the tfjs cpu backend the pool follows. */
export interface PooledBackend {
  data: {
    has(dataId: object): boolean;
    get(dataId: object): { values?: unknown } | undefined;
    set(dataId: object, entry: { values?: unknown }): void;
    delete(dataId: object): boolean;
  };
  readSync(dataId: object): unknown;
  read(dataId: object): Promise<unknown>;
}

/** Default of ARCHZOO_KERNELS_POOL_MB. */
export const DEFAULT_POOL_MB = 1024;

// Buffers the pool allocated, so that user arrays stored in tensors are never taken.
const owned = new WeakSet<ArrayBuffer>();
// Buffers whose values left the backend, which are never reused.
const escaped = new WeakSet<ArrayBuffer>();
// Data-storage entries referring to each owned buffer.
const references = new WeakMap<ArrayBuffer, number>();
// Free buffers by byte length, most recently freed last.
const free = new Map<number, ArrayBuffer[]>();
const followed = new WeakSet<object>();

let limitBytes = DEFAULT_POOL_MB * 2 ** 20;
let freeBytes = 0;
let reused = 0;
let allocated = 0;

/** Sets the most bytes the pool keeps free (0 turns reuse off) and drops what exceeds it. */
export function setPoolLimit(megabytes: number): void {
  if (!Number.isInteger(megabytes) || megabytes < 0) throw new RangeError(`the pool limit must be a whole number of MiB >= 0, got ${megabytes}`);
  limitBytes = megabytes * 2 ** 20;
  for (const [bytes, list] of free) {
    while (freeBytes > limitBytes && list.length > 0) {
      list.pop();
      freeBytes -= bytes;
    }
  }
}

/** Counts for tests and benchmarks: outputs served from the pool, outputs newly allocated, free bytes held. */
export function poolStats(): { reused: number; allocated: number; freeBytes: number } {
  return { reused, allocated, freeBytes };
}

/** Empties the pool and zeroes its counts. */
export function clearPool(): void {
  free.clear();
  freeBytes = 0;
  reused = 0;
  allocated = 0;
}

/** Returns an ArrayBuffer of `bytes` bytes with unspecified contents, a disposed output's when one is free. */
export function takeBuffer(bytes: number): ArrayBuffer {
  const list = free.get(bytes);
  const buffer = list?.pop();
  if (buffer) {
    freeBytes -= bytes;
    reused++;
    return buffer;
  }
  allocated++;
  const fresh = Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer;
  owned.add(fresh);
  return fresh;
}

function release(buffer: ArrayBuffer): void {
  const bytes = buffer.byteLength;
  if (escaped.has(buffer) || freeBytes + bytes > limitBytes) return;
  let list = free.get(bytes);
  if (!list) {
    list = [];
    free.set(bytes, list);
  }
  list.push(buffer);
  freeBytes += bytes;
}

function ownedBuffer(values: unknown): ArrayBuffer | undefined {
  if (!ArrayBuffer.isView(values)) return undefined;
  const buffer = values.buffer as ArrayBuffer;
  return owned.has(buffer) ? buffer : undefined;
}

function addReference(values: unknown): void {
  const buffer = ownedBuffer(values);
  if (buffer) references.set(buffer, (references.get(buffer) ?? 0) + 1);
}

function dropReference(values: unknown): void {
  const buffer = ownedBuffer(values);
  const count = buffer && references.get(buffer);
  if (!buffer || !count) return;
  if (count > 1) {
    references.set(buffer, count - 1);
    return;
  }
  references.delete(buffer);
  release(buffer);
}

function markEscaped(values: unknown): void {
  const buffer = ownedBuffer(values);
  if (buffer) escaped.add(buffer);
}

/**
 * Follows a backend's data storage and reads, once per backend. Must run before the first
 * pooled buffer is stored in that backend, which the kernel wrapper in register.ts ensures.
 */
export function followBackend(backend: PooledBackend): void {
  if (followed.has(backend)) return;
  followed.add(backend);

  const storage = backend.data;
  const set = storage.set.bind(storage);
  const remove = storage.delete.bind(storage);
  const has = storage.has.bind(storage);
  const get = storage.get.bind(storage);
  storage.set = (dataId, entry) => {
    const previous = has(dataId) ? get(dataId)?.values : undefined;
    // Count the new entry first, so that storing the same values again frees nothing.
    addReference(entry.values);
    dropReference(previous);
    set(dataId, entry);
  };
  storage.delete = (dataId) => {
    const values = has(dataId) ? get(dataId)?.values : undefined;
    const deleted = remove(dataId);
    dropReference(values);
    return deleted;
  };

  const readSync = backend.readSync.bind(backend);
  const read = backend.read.bind(backend);
  backend.readSync = (dataId) => {
    const values = readSync(dataId);
    markEscaped(values);
    return values;
  };
  backend.read = async (dataId) => {
    const values = await read(dataId);
    markEscaped(values);
    return values;
  };
}
