import { LINT_RULES, type LintCode, type SourceLocation } from "./diagnostic.ts";
import type { Diagnostic } from "./diagnostic.ts";
import { getProperty, type DtNode } from "./device-tree.ts";

/** Collects diagnostics while a tree is read or checked; each rule's severity comes from {@link LINT_RULES}. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];

  /** Reports `message` about `node` (at `propName`'s location when the node has that property). */
  add(code: LintCode, node: DtNode, message: string, propName?: string): void {
    const prop = propName === undefined ? undefined : getProperty(node, propName);
    this.at(code, node.path, prop?.loc ?? node.loc, message);
  }

  /** Reports `message` at an explicit location. */
  at(code: LintCode, path: string, loc: SourceLocation, message: string): void {
    this.list.push({ severity: LINT_RULES[code], code, message, path, file: loc.file, line: loc.line, column: loc.column });
  }
}

/** Formats an address or size as lower-case hex with a `0x` prefix. */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Formats a byte count exactly: `N MiB` or `N KiB` when it is a whole number of them, else `N bytes`. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
