/** One document of a corpus: the unit that the train/validation split assigns. */
export interface TextDocument {
  /** Stable identifier, e.g. `ca01` for Brown or a path relative to the data folder. */
  readonly id: string;
  readonly text: string;
}

/**
 * A soft problem found while loading data. Library code never prints: callers pass these
 * records to their logger.
 */
export interface DataWarning {
  /** Namespaced code, e.g. `data/split_by_position`. */
  readonly code: string;
  readonly message: string;
}
