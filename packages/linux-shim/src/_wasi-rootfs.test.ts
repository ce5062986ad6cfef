import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { VirtualClock } from "@v8r/fvp-core";
import { loadWasiProgram, type WasiRun, type WasiRunOptions } from "@v8r/openamp-wasm";
import { describe, expect, it } from "vitest";
import { buildC } from "../../openamp-wasm/test/_c-build.ts";
import { makeTempDir } from "../../../scripts/test-temp-dirs.ts";
import { createFakePair } from "../test/_fake-domain.ts";
import { bootLinux } from "./linux.ts";
import { MemoryRootFs } from "./rootfs-memory.ts";
import { NodeRootFs } from "./rootfs-node.ts";
import { type RootFs, RootFsError } from "./rootfs.ts";
import { type RootFsWasi, rootFsWasi } from "./_wasi-rootfs.ts";

const program = fileURLToPath(new URL("../test/c/rootfs.c", import.meta.url));

/** Start the C program `source` (built with v8r-cc) over `files`, its stdout to `stdout`. */
async function startOnRootFs(source: string, files: RootFsWasi, clock: WasiRunOptions["clock"], stdout: (t: string) => void): Promise<WasiRun> {
  const name = basename(source).replace(/\.c$/, ".wasm");
  return (await loadWasiProgram(buildC([source]), name)).start({ args: [name], stdout, clock, preopens: [files.preopen], wasi: files.wasi });
}

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
    const run = await startOnRootFs(program, files, clock, (t) => (out += t));
    const exit = await run.exited;
    expect(out.split("\n").filter((l) => l.startsWith("FAIL"))).toEqual([]);
    expect(exit).toEqual({ code: 0 });
    expect(await fs.readText("/usr/share/nginx/html/zephyr-status.html")).toBe("<p>from C</p>\n<p>more</p>\n");
    expect(await fs.exists("/usr/share/nginx/html/.status.tmp")).toBe(false);
    expect(await fs.readText("/escape.txt")).toBe("up");
    if (dir !== undefined) expect(readFileSync(join(dir, "usr/share/nginx/html/zephyr-status.html"), "utf8")).toContain("from C");
  }, 60_000);
});

const writeBehind = fileURLToPath(new URL("../test/c/write-behind.c", import.meta.url));

/**
 * `fs` recording each call as "method path", refusing to write files named
 * *.fail (EIO); a write first waits for what `gate` returns, when anything.
 */
function recorded(fs: RootFs, gate?: () => Promise<void> | undefined): { fs: RootFs; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(fs, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== "function") return value;
      return (...args: unknown[]): unknown => {
        calls.push(`${String(key)} ${String(args[0])}`);
        const call = (): unknown =>
          key === "writeFile" && String(args[0]).endsWith(".fail")
            ? Promise.reject(new RootFsError("EIO", String(args[0]), "[test] the disk is full"))
            : (value as (...a: unknown[]) => unknown).apply(target, args);
        const wait = key === "writeFile" ? gate?.() : undefined;
        return wait === undefined ? call() : wait.then(call);
      };
    },
  });
  return { fs: proxy, calls };
}

describe.each([
  { kind: "in memory", make: (): RootFs => new MemoryRootFs() },
  { kind: "a host directory", make: (): RootFs => new NodeRootFs(makeTempDir("v8r-wasi-write-behind-")) },
])("a C program's writes on the root filesystem ($kind) go to it at close or fsync", ({ make }) => {
  it("sees a file created in memory everywhere, gets a failed write as an errno from fsync and close, and publishes with two calls a page", async () => {
    const { fs, calls } = recorded(make());
    const clock = new VirtualClock();
    const files = rootFsWasi(fs, { hold: (work) => clock.hold(work) });
    let out = "";
    const run = await startOnRootFs(writeBehind, files, clock, (t) => (out += t));
    const exit = await run.exited;
    expect(out.split("\n").filter((l) => !l.startsWith("ok"))).toEqual([""]);
    expect(exit).toEqual({ code: 0 });
    // the loop of fopen(tmp, "w"), fputs, fclose, rename: the write at close and the rename, nothing else
    const loop = calls.slice(calls.indexOf("stat /mark/start") + 1, calls.indexOf("stat /mark/end"));
    expect(loop).toEqual(Array.from({ length: 5 }, () => ["writeFile /srv/www/.page.tmp", "rename /srv/www/.page.tmp"]).flat());
    expect(await fs.readText("/srv/www/page.html")).toBe("<p>4</p>\n");
    expect(await fs.readText("/srv/www/open")).toBe("abcde");
    expect(await fs.readText("/srv/www/there")).toBe("xy");
    expect(await fs.exists("/srv/www/x.fail")).toBe(false);
  }, 60_000);
});

const pageCache = fileURLToPath(new URL("../test/c/page-cache.c", import.meta.url));

describe("a C program's writes on the root filesystem with the page cache written back in the background", () => {
  it("coalesce, read back, fail at fsync (and in the kernel log), and reach the file system after the program exited", async () => {
    const fs = new MemoryRootFs();
    let gate: { promise: Promise<void>; open: () => void } | undefined;
    const shut = (): void => {
      let open = (): void => {};
      gate = { promise: new Promise((r) => (open = r)), open };
    };
    const { fs: held, calls } = recorded(fs, () => gate?.promise);
    const clock = new VirtualClock();
    const logged: string[] = [];
    const files = rootFsWasi(held, { hold: (work) => clock.hold(work), background: (work) => clock.background(work), log: (l) => logged.push(l) });
    let out = "";
    let atPublished: string[] = [];
    shut();
    const run = await startOnRootFs(pageCache, files, clock, (t) => {
      const before = out;
      out += t;
      const marked = (mark: string): boolean => out.includes(`MARK ${mark}\n`) && !before.includes(`MARK ${mark}\n`);
      if (marked("published")) {
        atPublished = [...calls];
        gate?.open();
      }
      if (marked("exiting")) shut();
    });
    const driving = clock.run(1_000); // the program's sched_yield waits on the clock
    expect(await run.exited).toEqual({ code: 0 });
    expect(out.split("\n").filter((l) => !l.startsWith("ok") && !l.startsWith("MARK "))).toEqual([""]);
    // ten pages published while the first one's write waited: that write only, then the latest page's
    expect(atPublished.filter((c) => c.includes("page"))).toEqual(["writeFile /srv/www/.page.tmp"]);
    expect(calls.filter((c) => c.includes("page"))).toEqual(["writeFile /srv/www/.page.tmp", "rename /srv/www/.page.tmp", "writeFile /srv/www/.page.tmp", "rename /srv/www/.page.tmp"]);
    expect(await fs.readText("/srv/www/page.html")).toBe("<p>9</p>\n");
    expect(logged).toEqual([expect.stringContaining("lost async page write of /srv/www/x.fail"), expect.stringContaining("lost async page write of /srv/www/y.fail")]);
    // the program exited with its last file still in the cache; the clock's run ends once it is written
    expect(await fs.exists("/srv/www/last")).toBe(false);
    gate?.open();
    await driving;
    expect(await fs.readText("/srv/www/last")).toBe("last");
    expect(await fs.exists("/srv/www/.last.tmp")).toBe(false);
  }, 60_000);
});
