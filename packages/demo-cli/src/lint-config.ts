/**
 * Lint a dom0less device tree file with the xen-dom0less linter, for
 * `v8r-demo lint FILE` and for `--config FILE` before booting.
 *
 * @module
 */
import { type Diagnostic, type Dom0lessConfig, formatDiagnostic, lintSource } from "@v8r/xen-dom0less";
import { ConfigFileError, readConfigFile, readIncludedFile } from "@v8r/xen-dom0less/node";
import type { LogFormat } from "./options.ts";

/** The outcome of linting one file. */
export interface ConfigLintReport {
  /** The file as given. */
  readonly file: string;
  /** Its bytes, as read for linting (so a boot uses exactly what was checked). */
  readonly bytes: Uint8Array;
  /** Every diagnostic, sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
  /** Number of errors (any error stops a boot). */
  readonly errors: number;
  /** Number of warnings. */
  readonly warnings: number;
  /** The dom0less model, when the file loaded (a boot reuses it instead of parsing again). */
  readonly config?: Dom0lessConfig;
}

/** Exit codes of `v8r-demo lint`, the same as `xen-dom0less lint`'s. */
export const LINT_EXIT_CODES = { clean: 0, errors: 1, unreadable: 2 } as const;

/**
 * Read and lint `file` (.dts text or .dtb bytes, told apart by content).
 * A file that cannot be parsed comes back as one error diagnostic. The
 * file must be a regular file within xen-dom0less's size limit, checked
 * before it is read (so `/dev/zero` or a FIFO is refused at once).
 *
 * @throws Error when the file cannot be read
 * @example
 * ```ts
 * const report = await lintConfigFile("my.dts");
 * process.exitCode = lintExitCode(report);
 * ```
 */
export async function lintConfigFile(file: string): Promise<ConfigLintReport> {
  let bytes: Uint8Array;
  try {
    bytes = readConfigFile(file);
  } catch (err) {
    const reason = err instanceof ConfigFileError ? err.detail : (err as Error).message;
    throw new Error(`[v8r-demo] reading the config ${file}: ${reason}`, { cause: err });
  }
  return lintConfigBytes(file, bytes);
}

/**
 * Lint device-tree bytes (.dts as UTF-8, or .dtb) named `file`, for the
 * demo's platform: Xen on Armv8-R (FVP_BaseR_AEMv8R, an MPU build), so
 * the MPU rules always apply.
 */
export async function lintConfigBytes(file: string, bytes: Uint8Array): Promise<ConfigLintReport> {
  const { diagnostics, config } = lintSource({ bytes, file, readFile: readIncludedText, arch: "armv8-r" });
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return { file, bytes, diagnostics, errors, warnings: diagnostics.length - errors, ...(config === undefined ? {} : { config }) };
}

/** The exit code of `v8r-demo lint` for a report: 1 with errors, else 0 (warnings allowed). */
export function lintExitCode(report: ConfigLintReport): number {
  return report.errors > 0 ? LINT_EXIT_CODES.errors : LINT_EXIT_CODES.clean;
}

/**
 * Reads a file named by `/include/` (relative to the including file):
 * `undefined` when it does not exist; throws (an `include-unreadable`
 * error for the linter) when it is not a regular file or too large.
 */
export const readIncludedText: (path: string) => string | undefined = readIncludedFile;

/**
 * Format a report: compiler-style lines plus a summary (`text`), or one
 * JSON object per diagnostic (`json`).
 */
export async function formatLintReport(report: ConfigLintReport, format: LogFormat): Promise<string> {
  if (format === "json") return report.diagnostics.map((d) => `${JSON.stringify(d)}\n`).join("");
  const lines = report.diagnostics.map((d) => formatDiagnostic(d));
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  lines.push(
    report.diagnostics.length === 0
      ? `${report.file}: clean`
      : `${report.file}: ${plural(report.errors, "error")}, ${plural(report.warnings, "warning")}`,
  );
  return `${lines.join("\n")}\n`;
}
