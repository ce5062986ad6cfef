// End to end: a guest that loops without ever yielding (a WASI program
// built without v8r-cc's spin watchdog) holds the one thread of an inline or
// virtual-time run, so no timer, --duration or signal handler runs there.
// The stall watchdog (another thread) ends the process by itself with one
// line naming the domain; SIGTERM sent to such a run cannot be acted on by
// the stuck thread, so the watchdog, which notices the signal too, ends the
// run at once rather than at the stall timeout.
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildC } from "../../openamp-wasm/test/_c-build.ts";
import { CLI, type DemoProcess, type Exit, NODE_TSX, REPO_ROOT, spawnDemo, tempDir } from "./_spawn-demo.ts";

const dir = tempDir("stall");
let spin: string;
/** A program that waits for messages (it gets none while Zephyr spins). */
let echo: string;
/** The bundled device tree with Zephyr's image replaced by a TypeScript guest that loops forever in a timer callback. */
let spinTs: string;

beforeAll(() => {
  spin = join(dir, "spin.wasm");
  writeFileSync(spin, buildC(["test/c/spin.c"], ["--no-watchdog"]));
  echo = join(dir, "echo.wasm");
  writeFileSync(echo, buildC(["examples/c/echo.c"]));
  const guest = join(dir, "spin-guest.mts");
  writeFileSync(guest, `export function start(ctx: { console: { write(t: string): void }; clock: { setTimeout(cb: () => void, ms: number): unknown } }): void {
  ctx.console.write("spin-guest: spinning\\n");
  ctx.clock.setTimeout(() => { for (;;); }, 200);
}
`);
  const base = spawnSync(NODE_TSX[0] as string, [...NODE_TSX.slice(1), CLI, "config"], { cwd: REPO_ROOT, encoding: "utf8" }).stdout;
  const dts = base.replace('v8r,image = "v8r-demo/apps/rpmsg-demo/zephyr-rpmsg-host";', `v8r,image = "${guest}";`);
  expect(dts).toContain(guest);
  spinTs = join(dir, "spin-ts.dts");
  writeFileSync(spinTs, dts);
}, 180_000);

const STALL_LINE = /\[v8r-demo\] stall watchdog: no progress for 2 s on the thread that runs the simulation; zephyr was running and never gave the thread back \(a loop that does not yield\?\); ending the process with SIGKILL\n/;

/** What `p` resolves with, or undefined when it has not within `ms`. */
function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    p.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (err: unknown) => (clearTimeout(timer), reject(err)),
    );
  });
}

/** The processes whose command line names `file` (`pgrep -af`). */
function running(file: string): string[] {
  try {
    return execFileSync("pgrep", ["-af", file], { encoding: "utf8" }).split("\n").filter((l) => l !== "");
  } catch {
    return []; // pgrep exits 1 when none matches
  }
}

/** Wait for the demo to end by itself (the bound is the test's timeout); kill it if the test fails first. */
async function ended(demo: DemoProcess): Promise<Exit> {
  try {
    return await demo.exited;
  } finally {
    demo.kill();
  }
}

describe("the stall watchdog", () => {
  it.each([
    { mode: "virtual time", args: ["--virtual-time", "--duration", "10s"] },
    { mode: "inline on real time", args: ["--inline"] },
  ])("ends a run whose guest spins without yielding ($mode): one line naming the domain, SIGKILL", async ({ args }) => {
    const demo = spawnDemo([...args, "--app", `zephyr=${spin}`, "--server", "none", "--stall-timeout", "2s"]);
    const exit = await ended(demo);
    expect(exit, demo.stdout().slice(-2000) + demo.stderr()).toEqual({ code: null, signal: "SIGKILL" });
    expect(demo.stdout()).toContain("zephyr | spinning");
    expect(demo.stderr()).toMatch(STALL_LINE);
  }, 120_000);

  it.each([
    { mode: "virtual time", args: ["--virtual-time", "--duration", "1h"], signal: "SIGTERM" as const },
    { mode: "inline on real time", args: ["--inline"], signal: "SIGTERM" as const },
    { mode: "inline on real time", args: ["--inline"], signal: "SIGINT" as const },
  ])("$signal to a spinning run ($mode): the stuck thread cannot take it, the watchdog ends the run within seconds, not at the stall timeout", async ({ args, signal }) => {
    // a stall timeout far beyond the wait below: only the signal can end the run in time
    const demo = spawnDemo([...args, "--app", `zephyr=${spin}`, "--server", "none", "--stall-timeout", "10m"]);
    try {
      await demo.waitFor(/zephyr \| spinning/, 60_000);
      demo.child.kill(signal);
      const exit = await within(demo.exited, 60_000);
      expect(exit, demo.stdout().slice(-2000) + demo.stderr()).toEqual({ code: null, signal: "SIGKILL" });
      expect(demo.stderr()).toContain(`[v8r-demo] stall watchdog: ${signal} came and the thread that runs the simulation did not act on it within 2 s (it is stuck); zephyr was running and never gave the thread back (a loop that does not yield?); ending the process with SIGKILL\n`);
      expect(demo.groupAlive()).toBe(false);
      expect(running(spin)).toEqual([]);
    } finally {
      demo.kill();
    }
  }, 150_000);

  it("in Workers mode the main thread crashes the stuck domain (its on_crash policy applies) and the run goes on; Ctrl-C still stops it", async () => {
    const demo = spawnDemo(["--config", spinTs, "--server", "none", "--stall-timeout", "2s"]);
    try {
      await demo.waitFor(/zephyr \| spin-guest: spinning/, 60_000);
      await demo.waitFor(/\(XEN\) d1v0: \[v8r-demo\] stall watchdog: its vCPU ran guest code for 2s without returning to its scheduler \(a loop that does not yield\?\)\n/, 60_000);
      await demo.waitFor(/\(XEN\) d1: starting a new instance \(on_crash=restart; restart 1\)/, 30_000);
      await demo.waitFor(/linux {2}\| rpmsg-remote: started on xen-shmem/, 60_000);
      expect(demo.stdout()).toContain("(XEN) Domain 1 (vcpu#0) crashed on cpu#0:");
      expect(demo.stderr()).not.toContain("stall watchdog: no progress");
      demo.child.kill("SIGINT");
      expect(await ended(demo)).toEqual({ code: 0, signal: null });
    } finally {
      demo.kill();
    }
  }, 180_000);

  it("in Workers mode a WASI program that never waits (built without the spin watchdog) is crashed with the reason; the other domain's program, blocked in its wait, is not, and the run goes on until Ctrl-C, which exits 1", async () => {
    const demo = spawnDemo(["--app", `zephyr=${spin}`, "--app", `linux=${echo}`, "--server", "none", "--stall-timeout", "1s"]);
    try {
      await demo.waitFor(/zephyr \| spinning/, 60_000);
      await demo.waitFor(/\(XEN\) d1v0: \[v8r-demo\] stall watchdog: its vCPU ran guest code for 1s without returning to its scheduler \(a loop that does not yield\?\)\n/, 60_000);
      expect(demo.stdout()).toContain("(XEN) Domain 1 (vcpu#0) crashed on cpu#0:");
      demo.child.kill("SIGINT");
      // a program had crashed when Ctrl-C came: the run fails
      expect(await ended(demo), demo.stdout().slice(-2000) + demo.stderr()).toEqual({ code: 1, signal: null });
      // Linux's program was still there, waiting, when the run was stopped
      expect(demo.stdout()).toContain("(XEN) d2: destroyed (destroy)");
      expect(demo.stdout()).toContain("v8r    | linux: echo.wasm was destroyed");
      // crashed by the stall check, then destroyed by Ctrl-C: still reported as crashed
      expect(demo.stdout()).toContain("v8r    | zephyr: spin.wasm crashed (see Xen's console)");
      expect(demo.stdout()).not.toContain("Domain 2 (vcpu#0) crashed");
      expect(demo.stderr()).not.toContain("stall watchdog: no progress");
    } finally {
      demo.kill();
    }
  }, 180_000);
});
