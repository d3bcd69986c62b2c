export { cells, deriveSpec, OPTIONAL_SPEC_FIELDS, SPEC_FIELDS, type PublishedParams, type SpecDiff, type SpecField, type TableCells, type UnknownChoice, type ZooSpec } from './spec.js';
export { findSpec, ZOO } from './catalog.js';
export { pluginIdsOf, tinyOf } from './tiny.js';
export { deriveRow, tableRows, TABLE_COLUMNS, type TableRow } from './table.js';
export { formatTable, type TableFormat } from './format.js';
