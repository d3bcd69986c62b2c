/**
 * The run directory: `config.json`, `env.json`, `metrics.jsonl`, `summary.json` (and `report.md`
 * after `reproduce`). JSON files are written atomically; metrics are appended and flushed per record.
 */
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { type MetricRecord, UsageError, writeFileAtomic } from '@archzoo/core';

/** `2026-12-04T22:31:05.123Z` -> `20261204-223105`, in UTC so names sort by start time. */
function timestamp(now: Date): string {
  const iso = now.toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

function isErrorCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException)?.code === code;
}

/**
 * Creates the run directory. With `out`, that folder (it may exist but must be empty); otherwise
 * `<cwd>/runs/<recipe>-<scale>-<UTC timestamp>`, with `-2`, `-3`, ... appended when that name is taken.
 */
export async function createRunDir(cwd: string, out: string | undefined, baseName: string, now: Date): Promise<string> {
  if (out !== undefined) {
    const dir = resolve(cwd, out);
    await mkdir(dir, { recursive: true });
    const entries = await readdir(dir);
    if (entries.length > 0) {
      throw new UsageError(`--out ${dir} is not empty (it has ${entries.length} entries); pass a new or empty folder`);
    }
    return dir;
  }
  const parent = join(cwd, 'runs');
  await mkdir(parent, { recursive: true });
  const stem = `${baseName}-${timestamp(now)}`;
  for (let attempt = 1; ; attempt++) {
    const dir = join(parent, attempt === 1 ? stem : `${stem}-${attempt}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if (!isErrorCode(error, 'EEXIST')) throw error;
    }
  }
}

/** Writes `value` as indented JSON through a temporary file, fsync and rename. NaN and infinities become null. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** `metrics.jsonl`: one record per line, flushed to disk as each record arrives. */
export class MetricsLog {
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  append(record: MetricRecord): void {
    if (this.fd === undefined) throw new Error(`metrics log ${this.path} was written after close()`);
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
