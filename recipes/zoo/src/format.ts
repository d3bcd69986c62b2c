/** Renders the regenerated table as Markdown or JSON. */
import { TABLE_COLUMNS, type TableRow } from './table.js';

export type TableFormat = 'md' | 'json';

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/**
 * Formats `rows` with the columns Model, Year, the six lecture columns (derived from the configs)
 * and "Public config disagrees", which contains the disagreement notes.
 */
export function formatTable(rows: readonly TableRow[], format: TableFormat): string {
  if (format === 'json') {
    const records = rows.map((row) => ({
      id: row.id,
      model: row.name,
      year: row.year,
      ...Object.fromEntries(TABLE_COLUMNS.map(([key, title]) => [title, row.derived[key]])),
      lecture: Object.fromEntries(TABLE_COLUMNS.map(([key, title]) => [title, row.lecture[key]])),
      'Public config disagrees': row.disagreement,
    }));
    return `${JSON.stringify(records, null, 2)}\n`;
  }
  const header = ['Model', 'Year', ...TABLE_COLUMNS.map(([, title]) => title), 'Public config disagrees'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const row of rows) {
    const cellsOfRow = [row.name, String(row.year), ...TABLE_COLUMNS.map(([key]) => row.derived[key]), row.disagreement];
    lines.push(`| ${cellsOfRow.map(escapeCell).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
