import type { ConfigErrorCode, Diagnostic, SourceLocation } from "./diagnostic.ts";
import { where } from "./xen-boot-error.ts";

/**
 * A device tree that cannot be read at all: a syntax error, a missing or cyclic
 * `/include/`, a malformed .dtb. The message reads `[xen-dom0less] file:line:col: detail`.
 */
export class ConfigError extends Error implements SourceLocation {
  /** Stable code, e.g. `"syntax"` or `"include-cycle"`. */
  readonly code: ConfigErrorCode;
  /** File the problem is in. */
  readonly file: string;
  /** 1-based line (0 for a .dtb). */
  readonly line: number;
  /** 1-based column (0 for a .dtb). */
  readonly column: number;
  /** The message without the `[xen-dom0less] file:line:col:` prefix. */
  readonly detail: string;

  /** Creates the error at `loc`; `detail` says what was being done and what was wrong. */
  constructor(code: ConfigErrorCode, loc: SourceLocation, detail: string, options?: { cause?: unknown }) {
    super(`[xen-dom0less] ${where(loc)}: ${detail}`, options);
    this.name = "ConfigError";
    this.code = code;
    this.file = loc.file;
    this.line = loc.line;
    this.column = loc.column;
    this.detail = detail;
  }

  /** The error as an error-severity {@link Diagnostic} at path `/`. */
  toDiagnostic(): Diagnostic {
    return {
      severity: "error",
      code: this.code,
      message: this.detail,
      path: "/",
      file: this.file,
      line: this.line,
      column: this.column,
    };
  }
}
