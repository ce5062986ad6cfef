/** A place in a device-tree source: file, 1-based line and column (0 when the input is a .dtb). */
export interface SourceLocation {
  /** File name as given to the parser (or the included file's resolved path). */
  readonly file: string;
  /** 1-based line; 0 when unknown (a .dtb has no lines). */
  readonly line: number;
  /** 1-based column; 0 when unknown. */
  readonly column: number;
}

/**
 * Every lint rule: its stable code and its severity. Errors are configurations Xen refuses at
 * boot (or that break what it boots); warnings are configurations Xen accepts but that do not do
 * what they seem to, or that v8r is deliberately stricter about ("Xen accepts this, but ...").
 */
export const LINT_RULES = {
  "shm-id-too-long": "error",
  "shm-id-empty": "error",
  "shm-range-mismatch": "error",
  "shm-overlap": "error",
  "shm-reserved-overlap": "error",
  "shm-unaligned": "error",
  "shm-multiple-owners": "error",
  "shm-owner-conflict": "error",
  "shm-no-owner": "warning",
  "shm-guest-overlap": "error",
  "shm-direct-map-mismatch": "error",
  "shm-direct-map-no-host": "error",
  "evtchn-peer-missing": "error",
  "evtchn-peer-not-reciprocal": "error",
  "evtchn-duplicate-port": "error",
  "evtchn-port-invalid": "error",
  "evtchn-port-zero": "warning",
  "evtchn-no-dom0": "error",
  "evtchn-ignored": "warning",
  "evtchn-legacy-compatible": "warning",
  "evtchn-not-enhanced": "warning",
  "enhanced-without-xenstore": "error",
  "enhanced-value-ignored": "warning",
  "capabilities-conflict": "error",
  "cpus-over-platform": "warning",
  "cpus-over-limit": "error",
  "vcpu-node-invalid": "error",
  "kernel-missing": "error",
  "memory-static-mismatch": "error",
  "static-mem-unaligned": "error",
  "static-mem-overlap": "error",
  "static-mem-old-cells": "error",
  "static-mem-old-cells-unused": "warning",
  "reserved-overlap": "error",
  "direct-map-without-static-mem": "error",
  "mpu-needs-static-memory": "error",
  "mpu-property-on-mmu": "error",
  "unknown-property": "warning",
  "unknown-node": "warning",
  "property-missing": "error",
  "property-invalid": "error",
  "unresolved-reference": "error",
  "no-domains": "warning",
} as const satisfies Record<string, Severity>;

/** Stable codes of the lint rules, one per rule (see {@link LINT_RULES}). */
export const LINT_CODES = Object.keys(LINT_RULES) as readonly LintCode[];

/** The codes of the rules whose findings are warnings: a configuration with only these boots. */
export const LINT_WARNING_CODES: readonly LintCode[] = LINT_CODES.filter((c) => LINT_RULES[c] === "warning");

/** Code of a lint rule (see {@link LINT_RULES}). */
export type LintCode = keyof typeof LINT_RULES;

/** Stable codes of a {@link ConfigError} (input that cannot be parsed at all). */
export const CONFIG_ERROR_CODES = [
  "syntax",
  "missing-version",
  "include-not-found",
  "include-cycle",
  "include-unreadable",
  "nesting-too-deep",
  "duplicate-label",
  "undefined-label",
  "value-out-of-range",
  "dtb-invalid",
  "input-too-large",
] as const;

/** Code of a {@link ConfigError}. */
export type ConfigErrorCode = (typeof CONFIG_ERROR_CODES)[number];

/** Any code a diagnostic can carry: a lint rule, or a parse failure reported by `lintSource`. */
export type DiagnosticCode = LintCode | ConfigErrorCode;

/** How bad a diagnostic is: errors make `xen-dom0less lint` exit 1, warnings do not. */
export type Severity = "error" | "warning";

/** One problem found in a dom0less device tree. */
export interface Diagnostic extends SourceLocation {
  /** `"error"` or `"warning"`. */
  readonly severity: Severity;
  /** Stable kebab-case code, e.g. `"shm-id-too-long"`. */
  readonly code: DiagnosticCode;
  /** What is wrong, naming the node and property; no trailing period. */
  readonly message: string;
  /** Device-tree path of the node concerned, e.g. `/chosen/domU1/evtchn@1`. */
  readonly path: string;
}

/**
 * Formats a diagnostic compiler-style: `file:line:col: error[code]: message`.
 * Diagnostics without a line (from a .dtb) read `file:/node/path: error[code]: message`.
 * @example
 * formatDiagnostic({ severity: "error", code: "kernel-missing", message: "domU1 has no kernel module",
 *   path: "/chosen/domU1", file: "a.dts", line: 4, column: 3 }); // "a.dts:4:3: error[kernel-missing]: ..."
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : `${d.file}:${d.path}`;
  return `${where}: ${d.severity}[${d.code}]: ${d.message}`;
}

/** Sorts diagnostics by file, line, column, then code (a new array; the input is not changed). */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
