/**
 * The error thrown for bad command-line input.
 *
 * @module
 */

/** Exit code of the CLI for bad command-line input (like most Unix tools). */
export const USAGE_EXIT_CODE = 2;

/**
 * Bad command-line input: an unknown option, a missing or bad value, or a
 * combination of options that does not make sense. The CLI prints the
 * one-line `message` plus "see v8r-demo --help" and exits with
 * {@link USAGE_EXIT_CODE}.
 *
 * @example
 * ```ts
 * const err = new UsageError("unknown option --prot");
 * err.message; // "[v8r-demo] unknown option --prot"
 * err.exitCode; // 2
 * ```
 */
export class UsageError extends Error {
  /** Stable code callers can test for. */
  readonly code = "V8R_DEMO_USAGE" as const;
  /** The process exit code this error maps to. */
  readonly exitCode: number = USAGE_EXIT_CODE;
  /** Build an error; `reason` is one line, without the package prefix. */
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`[v8r-demo] ${reason}`, options);
    this.name = "UsageError";
  }
}
