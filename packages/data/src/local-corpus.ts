import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';

import { DataError } from '@archzoo/core';

import { compareCodeUnits } from './order.js';
import type { DataWarning, TextDocument } from './text-document.js';

/** File extensions read from a data folder (compared case-insensitively). */
export const TEXT_EXTENSIONS: readonly string[] = ['.txt', '.md'];

/** One text file of a local corpus, with the stat fields that identify its content. */
export interface LocalFile {
  /** Path relative to the data folder with '/' separators, or the file name for a single file. */
  readonly id: string;
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** The files of a local corpus, found without reading their contents. */
export interface LocalListing {
  readonly root: string;
  readonly kind: 'file' | 'folder';
  readonly files: readonly LocalFile[];
}

/**
 * Lists a local corpus: a single UTF-8 file is one document, and a folder contributes every
 * `.txt` and `.md` file below it, sorted by relative path. Hidden entries (names starting with
 * '.') are skipped and symbolic links to folders are not followed.
 */
export async function listLocalFiles(path: string): Promise<LocalListing> {
  const root = resolve(path);
  const rootStat = await stat(root).catch(() => undefined);
  if (rootStat === undefined) {
    throw new DataError(
      `data path not found: ${root}; pass an existing UTF-8 text file, a folder of .txt/.md files, or 'brown'`,
    );
  }

  if (rootStat.isFile()) {
    const file = { id: root.split(sep).pop() ?? root, path: root, size: rootStat.size, mtimeMs: rootStat.mtimeMs };
    return { root, kind: 'file', files: [file] };
  }
  if (!rootStat.isDirectory()) {
    throw new DataError(`data path is neither a file nor a folder: ${root}; pass a text file or a folder`);
  }

  const files: LocalFile[] = [];
  await collectTextFiles(root, root, files);
  if (files.length === 0) {
    throw new DataError(
      `expected .txt or .md files in data folder ${root}, but found none; add text files or pass a file path`,
    );
  }
  files.sort((a, b) => compareCodeUnits(a.id, b.id));
  return { root, kind: 'folder', files };
}

async function collectTextFiles(root: string, dir: string, files: LocalFile[]): Promise<void> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await collectTextFiles(root, path, files);
      continue;
    }
    if (!TEXT_EXTENSIONS.includes(extname(entry.name).toLowerCase())) continue;

    const fileStat = await stat(path).catch(() => undefined);
    if (fileStat === undefined || !fileStat.isFile()) continue;
    const id = relative(root, path).split(sep).join('/');
    files.push({ id, path, size: fileStat.size, mtimeMs: fileStat.mtimeMs });
  }
}

/** Decodes strict UTF-8 (a leading byte order mark is dropped) or raises a DataError naming the file. */
export function decodeUtf8(bytes: Uint8Array, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DataError(
      `expected UTF-8 text in ${path}, but it contains invalid UTF-8 bytes; convert it, e.g. 'iconv -f latin1 -t utf-8'`,
    );
  }
}

/** Documents read from a listing, plus warnings for files that were skipped. */
export interface LocalDocuments {
  readonly documents: TextDocument[];
  readonly warnings: DataWarning[];
}

/**
 * Reads the files of a listing as documents. Files with only whitespace are skipped with a
 * warning, and a corpus with no text at all is a DataError.
 */
export async function readLocalDocuments(listing: LocalListing): Promise<LocalDocuments> {
  const documents: TextDocument[] = [];
  const emptyIds: string[] = [];

  for (const file of listing.files) {
    const text = decodeUtf8(await readFile(file.path), file.path);
    if (text.trim().length === 0) {
      emptyIds.push(file.id);
    } else {
      documents.push({ id: file.id, text });
    }
  }

  if (documents.length === 0) {
    const what = listing.kind === 'file' ? 'file' : 'folder';
    throw new DataError(`expected text in data ${what} ${listing.root}, but it is empty; add text or pass other data`);
  }

  const warnings: DataWarning[] = [];
  if (emptyIds.length > 0) {
    warnings.push({
      code: 'data/empty_files_skipped',
      message: `skipped ${emptyIds.length} empty file(s) in ${listing.root}: ${emptyIds.slice(0, 5).join(', ')}`,
    });
  }
  return { documents, warnings };
}
