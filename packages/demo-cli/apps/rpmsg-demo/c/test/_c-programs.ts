/**
 * Test helper: build C test programs of the rpmsg-demo C apps with v8r-cc,
 * once per content (their sources, every header and source of `c/`, the
 * OpenAMP libraries and v8r-cc itself), cached in the OS temp directory so
 * test files running in parallel share a build; and run one to its end.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWasiProgram, realClock } from "@v8r/openamp-wasm";
import { runV8rCc } from "@v8r/openamp-wasm/v8r-cc";

/** The folder of the rpmsg-demo app home. */
export const APP_HOME = fileURLToPath(new URL("../../", import.meta.url));
const C_DIR = join(APP_HOME, "c");
const OPENAMP = fileURLToPath(new URL("../", import.meta.resolve("@v8r/openamp-wasm")));
const cacheDir = join(tmpdir(), "v8r-cc-test-cache");

/** Every file a build of the C apps depends on besides its own sources. */
function sharedInputs(): string[] {
  const c = readdirSync(C_DIR).filter((f) => /\.[ch]$/.test(f)).map((f) => join(C_DIR, f));
  return [...c.sort(), join(OPENAMP, "lib/wasm32-wasi/libs.sha256"), join(OPENAMP, "src/v8r-cc.ts")];
}

/** Build `sources` (paths relative to the app home) with v8r-cc; the bytes of the program. */
export function buildCProgram(sources: readonly string[], flags: readonly string[] = []): Uint8Array<ArrayBuffer> {
  const files = sources.map((s) => join(APP_HOME, s));
  const h = createHash("sha256");
  for (const f of [...files, ...sharedInputs()]) h.update(f.slice(APP_HOME.length)).update(readFileSync(f));
  h.update(JSON.stringify(flags));
  const out = join(cacheDir, `rpmsg-demo-${h.digest("hex").slice(0, 24)}.wasm`);
  if (!existsSync(out)) {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    const errors: string[] = [];
    const status = runV8rCc(["-std=c11", "-Wall", "-Wextra", "-Werror", `-I${C_DIR}`, ...flags, "-o", tmp, ...files], { error: (l) => errors.push(l) });
    if (status !== 0) throw new Error(`v8r-cc ${sources.join(" ")} failed with status ${status} ${errors.join("\n")}`);
    renameSync(tmp, out);
  }
  return new Uint8Array(readFileSync(out));
}

/** Run a program with `args` on a plain clock until it exits; its exit code and output. */
export async function runCProgram(bytes: Uint8Array, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = await loadWasiProgram(bytes, String(args[0] ?? "program"));
  let stdout = "";
  let stderr = "";
  const started = performance.now();
  const run = program.start({
    args,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    clock: { now: () => performance.now() - started, setTimeout: (cb, ms) => realClock.setTimeout(cb, ms) },
    watchdogMs: 0,
  });
  const { code } = await run.exited;
  return { code, stdout, stderr };
}
