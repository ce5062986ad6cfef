/**
 * Test helper: build C programs with v8r-cc once per content (sources, the
 * headers next to them, flags, libraries and v8r-cc itself), cached in the OS
 * temp directory, so the test files running in parallel share each build.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { runV8rCc } from "../src/v8r-cc.ts";

const pkg = new URL("../", import.meta.url);
const cacheDir = join(tmpdir(), "v8r-cc-test-cache");

/** Path of a file of this package. */
export const pkgPath = (rel: string): string => fileURLToPath(new URL(rel, pkg));

const abs = (f: string): string => (isAbsolute(f) ? f : pkgPath(f));

/** Build `sources` (relative to this package, or absolute) with v8r-cc and `flags`; the bytes of the program. */
export function buildC(sources: readonly string[], flags: readonly string[] = []): Uint8Array<ArrayBuffer> {
  const h = createHash("sha256");
  const localHeaders = [...new Set(sources.map((f) => dirname(abs(f))))].flatMap((d) =>
    readdirSync(d)
      .filter((n) => n.endsWith(".h"))
      .sort()
      .map((n) => relative(pkgPath("."), join(d, n))),
  );
  for (const f of [...sources, ...localHeaders, "lib/wasm32-wasi/libs.sha256", "src/v8r-cc.ts"]) h.update(f).update(readFileSync(abs(f)));
  h.update(JSON.stringify(flags));
  const out = join(cacheDir, `${h.digest("hex").slice(0, 24)}.wasm`);
  if (!existsSync(out)) {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    const errors: string[] = [];
    const status = runV8rCc([...flags, "-o", tmp, ...sources.map(abs)], { error: (l) => errors.push(l) });
    if (status !== 0) throw new Error(`v8r-cc ${sources.join(" ")} failed with status ${status} ${errors.join("\n")}`);
    renameSync(tmp, out);
  }
  return new Uint8Array(readFileSync(out));
}
