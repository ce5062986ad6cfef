/**
 * The package version, read from package.json next to `src/` or `dist/`.
 *
 * @module
 */
import { readFileSync } from "node:fs";

/** The version of v8r-demo, e.g. `0.1.0`; `unknown` when package.json cannot be read. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}
