import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

const pkg = new URL("../", import.meta.url);
const sha256 = (b: Uint8Array | string): string => createHash("sha256").update(b).digest("hex");

/** Same inputs and order as source_hash() in scripts/build-libs.sh. */
async function sourceHash(): Promise<string> {
  const files: string[] = ["scripts/build-libs.sh", "scripts/lib-sources.txt"];
  const dirs = [["include/metal", [".h"]], ["include/openamp", [".h"]], ["csrc", [".h", ".inc", ".c"]], ["machine/include", [".h"]], ["machine/src", [".h", ".c"]]] as const;
  for (const [dir, exts] of dirs) {
    for (const f of await readdir(new URL(dir, pkg))) if (exts.some((e) => f.endsWith(e))) files.push(`${dir}/${f}`);
  }
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let text = "";
  for (const f of files) text += `${f}\n${sha256(await readFile(new URL(f, pkg)))}\n`;
  return sha256(text);
}

describe("the committed wasm32-wasi libraries v8r-cc links", () => {
  it("were built from the current C sources, machine port and flags (else run build:libs)", async () => {
    const recorded = (await readFile(new URL("lib/wasm32-wasi/libs.sha256", pkg), "utf8")).split(/\s+/)[0];
    expect(recorded).toBe(await sourceHash());
  });

  it.each(["libmetal.a", "libopen_amp.a", "libv8r_machine.a"])("%s is an archive with a symbol index", async (name) => {
    const bytes = await readFile(new URL(`lib/wasm32-wasi/${name}`, pkg));
    expect(bytes.subarray(0, 8).toString("latin1")).toBe("!<arch>\n");
    expect(bytes.subarray(8, 24).toString("latin1").trimEnd()).toBe("/"); // the index comes first
  });
});
