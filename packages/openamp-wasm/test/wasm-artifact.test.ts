import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

const pkg = new URL("../", import.meta.url);
const sha256 = (b: Uint8Array | string): string => createHash("sha256").update(b).digest("hex");

/** Same inputs and order as source_hash() in scripts/build-wasm.sh. */
async function sourceHash(): Promise<string> {
  const files: string[] = ["scripts/build-wasm.sh", "scripts/lib-sources.txt"];
  for (const [dir, exts] of [["include/metal", [".h"]], ["include/openamp", [".h"]], ["csrc", [".h", ".inc", ".c"]]] as const) {
    for (const f of await readdir(new URL(dir, pkg))) if (exts.some((e) => f.endsWith(e))) files.push(`${dir}/${f}`);
  }
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let text = "";
  for (const f of files) text += `${f}\n${sha256(await readFile(new URL(f, pkg)))}\n`;
  return sha256(text);
}

describe("the committed wasm artifact", () => {
  it("was built from the current C sources and build flags (else run build:wasm)", async () => {
    const recorded = (await readFile(new URL("wasm/openamp.wasm.sha256", pkg), "utf8")).split(/\s+/)[0];
    expect(recorded).toBe(await sourceHash());
  });

  it("imports only v8r_shm, v8r_env and the memory-growth hook, and exports the glue", async () => {
    const mod = await WebAssembly.compile(await readFile(new URL("wasm/openamp.wasm", pkg)));
    const modules = new Set(WebAssembly.Module.imports(mod).map((i) => i.module));
    expect([...modules].sort()).toEqual(["env", "v8r_env", "v8r_shm"]);
    const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
    expect(exports).toEqual(expect.arrayContaining(["memory", "v8r_setup_static", "v8r_setup_rsc", "v8r_notified", "v8r_tx_take", "v8r_tx_send"]));
  });
});
