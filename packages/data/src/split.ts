import { createHash } from 'node:crypto';

import { DataError } from '@archzoo/core';

import { compareCodeUnits } from './order.js';
import type { DataWarning, TextDocument } from './text-document.js';

/** Default share of the corpus held out for validation, as in nanoGPT's 90/10 split. */
export const DEFAULT_VAL_FRACTION = 0.1;

/**
 * Rule that assigned documents to the splits. `document-hash`: whole documents, the validation set being the
 * `round(n * valFraction)` documents whose id hashes lowest. `position`: the corpus is cut by
 * character position and the last `valFraction` of characters is validation.
 */
export type SplitRule = { readonly type: 'document-hash' | 'position'; readonly valFraction: number };

export interface DocumentSplit {
  readonly rule: SplitRule;
  readonly train: TextDocument[];
  readonly val: TextDocument[];
  readonly warnings: DataWarning[];
}

/** Rejects a validation fraction outside (0, 0.5]. */
export function checkValFraction(valFraction: number): void {
  if (!(valFraction > 0 && valFraction <= 0.5)) {
    throw new DataError(`valFraction must be in (0, 0.5], got ${valFraction}; use e.g. 0.1`);
  }
}

/** SHA-256 of a document id as a hex string: the document's rank in the split. */
function idRank(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** Chooses the split rule for `documentCount` documents. */
export function chooseSplitRule(documentCount: number, valFraction: number): SplitRule {
  checkValFraction(valFraction);
  const valCount = Math.round(documentCount * valFraction);
  const wholeDocuments = valCount >= 1 && valCount < documentCount;
  return { type: wholeDocuments ? 'document-hash' : 'position', valFraction };
}

/**
 * Splits documents into train and validation. The result depends only on the ids and texts,
 * not on the input order. With too few documents for a whole-document split (fewer than
 * `0.5 / valFraction`, or a single one), it falls back to a split by position and adds a warning.
 */
export function splitDocuments(documents: readonly TextDocument[], valFraction = DEFAULT_VAL_FRACTION): DocumentSplit {
  const rule = chooseSplitRule(documents.length, valFraction);
  const sorted = [...documents].sort((a, b) => compareCodeUnits(a.id, b.id));

  if (rule.type === 'document-hash') {
    const valCount = Math.round(documents.length * valFraction);
    const ranked = sorted
      .map((document) => ({ document, rank: idRank(document.id) }))
      .sort((a, b) => compareCodeUnits(a.rank, b.rank));
    const valIds = new Set(ranked.slice(0, valCount).map((entry) => entry.document.id));
    return {
      rule,
      train: sorted.filter((document) => !valIds.has(document.id)),
      val: sorted.filter((document) => valIds.has(document.id)),
      warnings: [],
    };
  }

  const { train, val } = splitByPosition(sorted, valFraction);
  const percent = `${Number((valFraction * 100).toPrecision(6))}%`;
  const warning: DataWarning = {
    code: 'data/split_by_position',
    message:
      `${documents.length} document(s) are too few to hold out ${percent} as whole documents, ` +
      `so the last ${percent} of characters is the validation split`,
  };
  return { rule, train, val, warnings: [warning] };
}

/**
 * Cuts the documents, in order, at character `floor(total * (1 - valFraction))`. The document
 * containing the cut appears in both halves, as `<id>#train` and `<id>#val`.
 */
function splitByPosition(
  documents: readonly TextDocument[],
  valFraction: number,
): { train: TextDocument[]; val: TextDocument[] } {
  const codePoints = documents.map((document) => Array.from(document.text));
  const total = codePoints.reduce((sum, points) => sum + points.length, 0);
  const cut = Math.floor(total * (1 - valFraction));

  const train: TextDocument[] = [];
  const val: TextDocument[] = [];
  let offset = 0;
  documents.forEach((document, index) => {
    const points = codePoints[index];
    const start = offset;
    offset += points.length;
    if (offset <= cut) {
      train.push(document);
    } else if (start >= cut) {
      val.push(document);
    } else {
      train.push({ id: `${document.id}#train`, text: points.slice(0, cut - start).join('') });
      val.push({ id: `${document.id}#val`, text: points.slice(cut - start).join('') });
    }
  });
  return { train, val };
}
