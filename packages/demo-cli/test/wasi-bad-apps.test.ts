// End to end, in Workers (real time): WASI programs that go wrong as guest
// applications. Each is reported on Xen's console and in `xl list` (crashed,
// or shut down when it ended with status 0), and the other domain runs on.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildC } from "../../openamp-wasm/test/_c-build.ts";
import { runXl } from "../src/control-client.ts";
import { CLI, type DemoProcess, eventually, NODE_TSX, REPO_ROOT, spawnDemo, tempDir } from "./_spawn-demo.ts";

const dir = tempDir("wasi-bad-apps");
const program = (name: string, source: string): string => {
  const path = join(dir, name);
  writeFileSync(path, buildC([source]));
  return path;
};
let app: Record<"outside" | "early" | "spin", string>;

beforeAll(() => {
  app = { outside: program("writes-outside.wasm", "test/c/writes-outside.c"), early: program("exits-early.wasm", "test/c/exits-early.c"), spin: program("spin.wasm", "test/c/spin.c") };
}, 180_000);

/** The `xl list` row of each domain: name and State column. */
async function states(demo: DemoProcess): Promise<Record<string, string>> {
  const out = await runXl({ action: "list" }, { env: { XDG_RUNTIME_DIR: demo.runtimeDir } });
  return Object.fromEntries(out.split("\n").slice(1).filter(Boolean).map((row) => {
    const cols = row.split(/\s+/);
    return [cols[0] as string, cols[4] as string];
  }));
}

/** Wait until `xl list` answers (the demo publishes its control file once booted) and `ok` holds for its rows. */
async function listedAs(demo: DemoProcess, what: string, ok: (rows: Record<string, string>) => boolean): Promise<Record<string, string>> {
  return eventually(`xl list: ${what}`, 20_000, async () => {
    const rows = await states(demo).catch(() => undefined);
    return rows !== undefined && ok(rows) ? rows : undefined;
  });
}

/** Run `args` in Workers until `line` is on Xen's console; then `check` it while it runs. */
async function withDemo(args: readonly string[], line: RegExp, check: (demo: DemoProcess) => Promise<void>): Promise<void> {
  const demo = spawnDemo([...args, "--port", "0", "--server", "none"]);
  try {
    await demo.waitFor(line, 60_000);
    await check(demo);
  } finally {
    demo.kill();
  }
}

describe("v8r-demo --app in Workers: programs that go wrong", () => {
  it("a write outside the preopens (Zephyr has none) is refused; the program exits 1: crashed in xl list, Linux runs on", async () => {
    await withDemo(["--app", `zephyr=${app.outside}`], /\(XEN\) d1v0: writes-outside\.wasm exited with status 1/, async (demo) => {
      expect(demo.stdout()).toContain("zephyr | writes-outside: cannot open /tmp/escape.txt: ");
      expect(demo.stdout()).toContain("(XEN) Domain 1 (vcpu#0) crashed on cpu#0:");
      expect(await listedAs(demo, "zephyr crashed", (r) => r["zephyr"] === "----c-")).toEqual({ zephyr: "----c-", linux: "r-----" });
      await demo.waitFor(/linux {2}\| rpmsg-remote: started on xen-shmem/, 30_000);
    });
  }, 120_000);

  it("a program that exits early shuts its domain down (s in xl list); Zephyr runs on", async () => {
    await withDemo(["--app", `linux=${app.early}`], /\(XEN\) d2: shutdown requested \(poweroff\): exits-early\.wasm exited with status 0/, async (demo) => {
      expect(demo.stdout()).toContain("linux  | exits-early: nothing to do");
      const rows = await listedAs(demo, "linux shut down", (r) => r["linux"] === "---s--");
      expect(rows["zephyr"]).toMatch(/^[rb]-----$/);
    });
  }, 120_000);

  it("a program that spins without waiting is stopped by the watchdog (watchdog_ms=): crashed in xl list, Linux runs on", async () => {
    const config = join(dir, "spin.dts");
    const base = spawnSync(NODE_TSX[0] as string, [...NODE_TSX.slice(1), CLI, "config"], { cwd: REPO_ROOT, encoding: "utf8" }).stdout;
    const dts = base.replace('v8r,image = "v8r-demo/apps/rpmsg-demo/zephyr-rpmsg-host";', `v8r,image = "${app.spin}";`).replace('bootargs = "period_ms=1000";', 'bootargs = "watchdog_ms=300";');
    expect(dts).toContain("watchdog_ms=300");
    writeFileSync(config, dts);
    await withDemo(["--config", config], /\(XEN\) d1v0: \[openamp-wasm\] spin\.wasm ran 300 ms without waiting/, async (demo) => {
      expect(demo.stdout()).toContain("zephyr | spinning");
      expect(await listedAs(demo, "zephyr crashed", (r) => r["zephyr"] === "----c-")).toEqual({ zephyr: "----c-", linux: "r-----" });
    });
  }, 120_000);
});
