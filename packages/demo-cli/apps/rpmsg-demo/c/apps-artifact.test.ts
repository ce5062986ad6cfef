// The committed .wasm files of the C apps come from their sources as they
// are now: c/apps.sha256 holds the hash of every input build-apps.sh reads
// (sources, headers, the OpenAMP libraries' hash, v8r-cc and the script),
// computed here the same way. A change without a rebuild fails here;
// `bash packages/demo-cli/apps/rpmsg-demo/c/build-apps.sh --check` (CI) also
// rebuilds and compares the bytes.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../../../", import.meta.url));
const apps = "packages/demo-cli/apps/rpmsg-demo";

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true })
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => `${dir}/${e.name}`);
}

/** The inputs build-apps.sh hashes, as it lists them (LC_ALL=C sort). */
function inputs(): string[] {
  const list = [
    ...files(`${apps}/c`, /\.[ch]$|^build-apps\.sh$/),
    ...files(`${apps}/zephyr-rpmsg-host-c`, /\.[ch]$/),
    ...files(`${apps}/linux-rpmsg-remote-c`, /\.[ch]$/),
    ...files("packages/zephyr-shim/include/zephyr", /\.h$/),
    ...readdirSync(join(root, "packages/zephyr-shim/include/zephyr"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => files(`packages/zephyr-shim/include/zephyr/${e.name}`, /\.h$/)),
    "packages/openamp-wasm/lib/wasm32-wasi/libs.sha256",
    "packages/openamp-wasm/src/v8r-cc.ts",
  ];
  return list.sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1));
}

function sourceHash(): string {
  const h = createHash("sha256");
  for (const f of inputs()) h.update(`${f}\n${createHash("sha256").update(readFileSync(join(root, f))).digest("hex")}\n`);
  return h.digest("hex");
}

describe("the C apps' .wasm files", () => {
  it("were built from the current sources (else: bash packages/demo-cli/apps/rpmsg-demo/c/build-apps.sh)", () => {
    const recorded = readFileSync(join(root, apps, "c/apps.sha256"), "utf8").split(" ")[0];
    expect(sourceHash()).toBe(recorded);
  });

  it.each(["zephyr-rpmsg-host-c/rpmsg-host.wasm", "linux-rpmsg-remote-c/rpmsg-remote.wasm"])("%s is a WASI command with the machine port's and the guest channel's imports", (file) => {
    const path = join(root, apps, file);
    expect(existsSync(path)).toBe(true);
    const module = new WebAssembly.Module(readFileSync(path));
    const exports = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(exports).toContain("_start");
    const modules = new Set(WebAssembly.Module.imports(module).map((i) => i.module));
    expect([...modules].sort()).toEqual(file.includes("host") ? ["v8r_env", "v8r_guest", "v8r_port", "v8r_shm", "v8r_zephyr", "wasi_snapshot_preview1"] : ["v8r_env", "v8r_guest", "v8r_port", "v8r_shm", "wasi_snapshot_preview1"]);
  });
});
