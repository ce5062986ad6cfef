import type { Diagnostic, LintCode, Severity, SourceLocation } from "./diagnostic.ts";
import { getProperty, type DtNode } from "./device-tree.ts";

/** Collects diagnostics while a tree is read or checked. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];

  /** Reports `message` about `node` (at `propName`'s location when the node has that property). */
  report(severity: Severity, code: LintCode, node: DtNode, message: string, propName?: string): void {
    const prop = propName === undefined ? undefined : getProperty(node, propName);
    this.at(severity, code, node.path, prop?.loc ?? node.loc, message);
  }

  /** Reports `message` at an explicit location. */
  at(severity: Severity, code: LintCode, path: string, loc: SourceLocation, message: string): void {
    this.list.push({ severity, code, message, path, file: loc.file, line: loc.line, column: loc.column });
  }

  /** Shorthand for an error about `node`. */
  error(code: LintCode, node: DtNode, message: string, propName?: string): void {
    this.report("error", code, node, message, propName);
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
