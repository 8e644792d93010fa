/** Errors the user can fix; printed as one line plus a hint, exit code 2. */
export class KnownError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.hint = hint;
  }
}

export class UsageError extends KnownError {}
export class ConfigError extends KnownError {}
export class SourceError extends KnownError {}
/** A report, baseline or other output that could not be written. */
export class OutputError extends KnownError {}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
