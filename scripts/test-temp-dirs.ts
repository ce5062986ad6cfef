// Temporary directories of the tests, removed after each test file: the
// vitest setup file (vitest-setup.ts) runs removeTempDirs() after every
// file, which works whether or not test files share their modules.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];

/** A new directory under the system's temporary folder, removed after the current test file unless `keep`. */
export function makeTempDir(prefix: string, keep = false): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (!keep) made.push(dir);
  return dir;
}

/** Remove the directories made so far (vitest-setup.ts calls it after each test file). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
