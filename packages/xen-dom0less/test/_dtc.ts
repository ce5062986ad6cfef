// Test helper: compiles .dts fixtures to .dtb with the system dtc (Debian's device-tree-compiler).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the fixtures directory, with a trailing slash. */
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

let outDir: string | undefined;

/** Compiles `dtsPath` with `dtc -I dts -O dtb`; fails loudly when dtc is missing or rejects the file. */
export function compileDtb(dtsPath: string): { path: string; bytes: Uint8Array } {
  outDir ??= mkdtempSync(join(tmpdir(), "xen-dom0less-dtb-"));
  const out = join(outDir, `${basename(dtsPath)}.dtb`);
  const res = spawnSync("dtc", ["-q", "-I", "dts", "-O", "dtb", "-o", out, dtsPath], { encoding: "utf8" });
  if (res.error !== undefined) {
    throw new Error(
      `dtc is needed to build .dtb test inputs but could not be run (${res.error.message}); install Debian's device-tree-compiler`,
    );
  }
  if (res.status !== 0) throw new Error(`dtc failed on ${dtsPath}: ${res.stderr}`);
  return { path: out, bytes: new Uint8Array(readFileSync(out)) };
}
