/**
 * User-facing errors. Every error a user can cause (a config, a flag, a file) is an
 * `ArchzooError` whose message is one line: what was expected, the value received, and the fix.
 */
export class ArchzooError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** An invalid model or training config, found before anything is built. */
export class ConfigError extends ArchzooError {}

/** An invalid command-line flag or argument. */
export class UsageError extends ArchzooError {}

/** A missing, empty or malformed data file or folder. */
export class DataError extends ArchzooError {}

/** A plugin that cannot be registered or resolved (unknown id, duplicate id, wrong contract). */
export class PluginError extends ArchzooError {}

/** A backend that was requested but cannot be initialised here. */
export class BackendError extends ArchzooError {}

/** A checkpoint or weights file that cannot be read. */
export class CheckpointError extends ArchzooError {}

/** A model output that is NaN or infinite, such as logits from weights that overflow float32. */
export class NumericError extends ArchzooError {}
