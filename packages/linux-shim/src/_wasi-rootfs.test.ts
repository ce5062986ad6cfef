import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWasiProgram } from "@v8r/openamp-wasm";
import { describe, expect, it } from "vitest";
import { buildC } from "../../openamp-wasm/test/_c-build.ts";
import { makeTempDir } from "../../../scripts/test-temp-dirs.ts";
import { createFakePair } from "../test/_fake-domain.ts";
import { bootLinux } from "./linux.ts";
import { MemoryRootFs } from "./rootfs-memory.ts";
import { NodeRootFs } from "./rootfs-node.ts";
import type { RootFs } from "./rootfs.ts";
import { rootFsWasi } from "./_wasi-rootfs.ts";

const program = fileURLToPath(new URL("../test/c/rootfs.c", import.meta.url));

describe.each([
  { kind: "in memory", make: (): { fs: RootFs; dir?: string } => ({ fs: new MemoryRootFs() }) },
  {
    kind: "a host directory",
    make: (): { fs: RootFs; dir?: string } => {
      const dir = makeTempDir("v8r-wasi-rootfs-");
      return { fs: new NodeRootFs(dir), dir };
    },
  },
])("a C program on the Linux root filesystem ($kind), preopened as /", ({ make }) => {
  it("writes a page atomically, reads, appends, lists, makes and removes directories, and gets POSIX errors", async () => {
    const { fs, dir } = make();
    const { a, clock } = createFakePair({ bootargsA: "console=ttyAMA0 quiet" });
    const linux = await bootLinux(a.ctx, { rootfs: fs, shell: false });
    const files = rootFsWasi(linux.fs, { hold: (work) => clock.hold(work) });
    let out = "";
    const run = (await loadWasiProgram(buildC([program]), "rootfs.wasm")).start({
      args: ["rootfs.wasm"],
      stdout: (t) => (out += t),
      clock,
      preopens: [files.preopen],
      wasi: files.wasi,
    });
    const exit = await run.exited;
    expect(out.split("\n").filter((l) => l.startsWith("FAIL"))).toEqual([]);
    expect(exit).toEqual({ code: 0 });
    expect(await fs.readText("/usr/share/nginx/html/zephyr-status.html")).toBe("<p>from C</p>\n<p>more</p>\n");
    expect(await fs.exists("/usr/share/nginx/html/.status.tmp")).toBe(false);
    expect(await fs.readText("/escape.txt")).toBe("up");
    if (dir !== undefined) expect(readFileSync(join(dir, "usr/share/nginx/html/zephyr-status.html"), "utf8")).toContain("from C");
  }, 60_000);
});
