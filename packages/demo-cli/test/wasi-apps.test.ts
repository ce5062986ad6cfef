// End to end: C programs built with v8r-cc as the guests' applications
// (`v8r-demo --app DOMAIN=FILE.wasm`), on virtual time and in Workers, and
// programs that go wrong.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { buildC } from "../../openamp-wasm/test/_c-build.ts";
import { CLI, NODE_TSX, REPO_ROOT, runDemoToEnd, spawnDemo, STATUS_DIR, tempDir } from "./_spawn-demo.ts";

const dir = tempDir("wasi-apps");
const file = (name: string, bytes: Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const linuxTest = (name: string): string => fileURLToPath(new URL(`../../linux-shim/test/c/${name}`, import.meta.url));
let app: Record<"ping" | "echo" | "nocopyEcho" | "trap" | "spin" | "rootfs" | "notWasm" | "exit3" | "exit0", string>;

beforeAll(() => {
  app = {
    ping: file("ping.wasm", buildC(["examples/c/ping.c"])),
    echo: file("echo.wasm", buildC(["examples/c/echo.c"])),
    nocopyEcho: file("nocopy-echo.wasm", buildC(["examples/c/nocopy-echo.c"])),
    trap: file("trap.wasm", buildC(["test/c/trap.c"])),
    spin: file("spin.wasm", buildC(["test/c/spin.c"])),
    rootfs: file("rootfs.wasm", buildC([linuxTest("rootfs.c")])),
    exit3: file("exit3.wasm", buildC(["test/c/exit-status.c"], ["-DSTATUS=3"])),
    exit0: file("exit0.wasm", buildC(["test/c/exit-status.c"])),
    notWasm: file("not-wasm.wasm", new TextEncoder().encode("#!/bin/sh\necho this is a shell script\n")),
  };
}, 180_000);

/** The output with what differs between two runs of the same seed (the root filesystem path, the web port) taken out. */
const stable = (r: { stdout: string; rootfs: string }): string => {
  const port = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(r.stdout)?.[1] ?? "none";
  return r.stdout.replaceAll(r.rootfs, "<rootfs>").replaceAll(`127.0.0.1:${port}/`, "127.0.0.1:<port>/");
};

describe("v8r-demo --app: C programs as guest applications", () => {
  it("ping on Zephyr and echo on Linux on virtual time: every payload intact, exits on Xen's console, the same run for the same seed", async () => {
    const args = ["--app", `zephyr=${app.ping}`, "--app", `linux=${app.echo}`, "--virtual-time", "--duration", "20s", "--seed", "5", "--port", "0"];
    const [a, b] = await Promise.all([runDemoToEnd(args), runDemoToEnd(args)]);
    expect(a.exit, a.stdout.slice(-3000) + a.stderr).toEqual({ code: 0, signal: null });
    expect(a.stdout).toContain("zephyr | *** Booting ping.wasm - Zephyr OS build");
    expect(a.stdout).toContain("zephyr | ping: 200 payloads, 200 came back intact, 0 errors");
    expect(a.stdout).toContain("linux  | echo: echoed 200 messages");
    expect(a.stdout).toContain("(XEN) d1: shutdown requested (poweroff): ping.wasm exited with status 0");
    expect(a.stdout).toContain("(XEN) d2: shutdown requested (poweroff): echo.wasm exited with status 0");
    expect(a.stdout).toContain("v8r    | zephyr: ping.wasm exited with status 0\nv8r    | linux: echo.wasm exited with status 0\n");
    expect(stable(b)).toBe(stable(a));
  }, 180_000);

  it("a pair written for OpenAMP's example machine layer (platform_info.h) builds with v8r-cc unchanged and runs with --app", async () => {
    const upstream = (name: string): string => file(`${name}.wasm`, buildC([`test/c/upstream-style/${name}.c`]));
    const r = await runDemoToEnd(["--app", `zephyr=${upstream("rpmsg-ping")}`, "--app", `linux=${upstream("rpmsg-echo")}`, "--virtual-time", "--duration", "30s", "--port", "0"]);
    expect(r.exit, r.stdout.slice(-3000) + r.stderr).toEqual({ code: 0, signal: null });
    expect(r.stdout).toContain("linux  | openamp lib version: ");
    expect(r.stdout).toContain("zephyr |  Test Results: Error count = 0, 488 payloads echoed");
    expect(r.stdout).toContain("linux  | shutdown message is received.");
    expect(r.stdout).toContain("linux  | echoed 488 messages");
    expect(r.stdout).toContain("v8r    | zephyr: rpmsg-ping.wasm exited with status 0\nv8r    | linux: rpmsg-echo.wasm exited with status 0\n");
  }, 180_000);

  it("in Workers (blocking waits): zero-copy echo, every payload intact, both exit, and then the run ends by itself with their verdict; a short --stall-timeout never takes a wait for a stall", async () => {
    const demo = spawnDemo(["--app", `zephyr=${app.ping}`, "--app", `linux=${app.nocopyEcho}`, "--port", "0", "--stall-timeout", "1s"]);
    try {
      const exit = await Promise.race([demo.exited, demo.waitFor(/a string that never comes/, 180_000).then(() => undefined)]);
      expect(exit, demo.stdout().slice(-3000) + demo.stderr()).toEqual({ code: 0, signal: null });
      expect(demo.stdout()).toContain("ping: 200 payloads, 200 came back intact, 0 errors");
      expect(demo.stdout()).toContain("nocopy-echo: echoed 200 messages, 0 failed");
      expect(demo.stdout()).toMatch(/\(XEN\) d1: shutdown requested \(poweroff\): ping\.wasm exited with status 0/);
      expect(demo.stdout()).toMatch(/v8r {4}\| no domain is left running \(the last one stopped at .* of platform time\): the run ends\n/);
      expect(demo.stdout()).toContain("v8r    | zephyr: ping.wasm exited with status 0\nv8r    | linux: nocopy-echo.wasm exited with status 0\n");
      expect(demo.stdout()).not.toContain("stall watchdog");
    } finally {
      demo.kill();
    }
  }, 240_000);

  it.each([
    { mode: "virtual time", args: ["--virtual-time", "--duration", "1h"] },
    { mode: "inline real time", args: ["--inline"] },
    { mode: "Workers", args: [] },
  ])("$mode: once both programs have exited the run ends, with the first non-zero exit status as its exit code", async ({ args }) => {
    const r = await runDemoToEnd(["--app", `zephyr=${app.exit3}`, "--app", `linux=${app.exit0}`, "--port", "0", ...args]);
    expect(r.exit, r.stdout.slice(-3000) + r.stderr).toEqual({ code: 3, signal: null });
    expect(r.stdout).toContain("(XEN) d1v0: exit3.wasm exited with status 3");
    expect(r.stdout).toContain("(XEN) d2: shutdown requested (poweroff): exit0.wasm exited with status 0");
    expect(r.stdout).toMatch(/v8r {4}\| no domain is left running \(the last one stopped at \S+ of platform time\): the run ends\n/);
    expect(r.stdout).toContain("v8r    | zephyr: exit3.wasm exited with status 3\nv8r    | linux: exit0.wasm exited with status 0\n");
    if (args.includes("--virtual-time")) expect(r.stdout).not.toContain("simulated 1h"); // it ended early
  }, 120_000);

  it.each([
    { what: "a program that had exited with status 3", zephyr: "exit3" as const, before: /\(XEN\) d1v0: exit3\.wasm exited with status 3/, code: 3, line: "zephyr: exit3.wasm exited with status 3" },
    { what: "programs that were all still running", zephyr: undefined, before: /linux {2}\| echo: serving/, code: 0, line: "zephyr: " },
  ])("Ctrl-C stops a run of programs with what had failed when it came: $what (exit $code)", async ({ zephyr, before, code, line }) => {
    const demo = spawnDemo([...(zephyr === undefined ? [] : ["--app", `zephyr=${app[zephyr]}`]), "--app", `linux=${app.echo}`, "--server", "none"]);
    try {
      await demo.waitFor(before, 60_000);
      await demo.waitFor(/\(XEN\) Brought up 2 domains/, 60_000); // echo waits on Linux: it never exits by itself
      demo.child.kill("SIGINT");
      expect(await demo.exited, demo.stdout().slice(-3000) + demo.stderr()).toEqual({ code, signal: null });
      expect(demo.stdout()).toContain("v8r    | linux: echo.wasm was destroyed");
      if (zephyr !== undefined) expect(demo.stdout()).toContain(`v8r    | ${line}\n`);
    } finally {
      demo.kill();
    }
  }, 120_000);

  it.each([
    { what: "a program that traps", prog: "trap" as const, line: "(XEN) d1v0: [openamp-wasm] trap.wasm trapped: unreachable (in broken_function)" },
    { what: "a file that is not WebAssembly", prog: "notWasm" as const, line: "(XEN) d1v0: [openamp-wasm] not-wasm.wasm is not a WebAssembly module" },
  ])("$what crashes its domain with the reason on Xen's console (the run exits 1); Linux runs on", async ({ prog, line }) => {
    const r = await runDemoToEnd(["--app", `zephyr=${app[prog]}`, "--virtual-time", "--duration", "5s", "--port", "0"]);
    expect(r.exit, r.stdout.slice(-3000) + r.stderr).toEqual({ code: 1, signal: null });
    expect(r.stdout).toContain(line);
    expect(r.stdout).toContain("v8r    | zephyr: ");
    expect(r.stdout).not.toContain("Domain 2 (vcpu#0) crashed");
    expect(r.stdout).toContain("linux  | rpmsg-remote: started on xen-shmem"); // the demo's Linux app is up
  }, 120_000);

  it("the watchdog stops a program that spins on the one inline thread; the run goes on", async () => {
    const config = join(dir, "spin.dts");
    const base = spawnSync(NODE_TSX[0] as string, [...NODE_TSX.slice(1), CLI, "config"], { cwd: REPO_ROOT, encoding: "utf8" }).stdout;
    writeFileSync(config, base.replace('v8r,image = "v8r-demo/apps/rpmsg-demo/zephyr-rpmsg-host";', `v8r,image = "${app.spin}";`).replace('bootargs = "period_ms=1000";', 'bootargs = "watchdog_ms=300";'));
    const r = await runDemoToEnd(["--config", config, "--virtual-time", "--duration", "5s", "--port", "0"]);
    expect(r.exit, r.stdout.slice(-3000) + r.stderr).toEqual({ code: 1, signal: null });
    expect(r.stdout).toContain("zephyr | spinning");
    expect(r.stdout).toContain("(XEN) d1v0: [openamp-wasm] spin.wasm ran 300 ms without waiting");
    expect(r.stdout).toContain("simulated 5s");
    expect(r.stdout).toContain("v8r    | zephyr: spin.wasm crashed (see Xen's console)");
  }, 120_000);

  it("a program on Linux writes the real status page through the preopened root filesystem (its path has a space: rootfs=\"...\")", async () => {
    const rootfs = join(tempDir("wasi-rootfs"), "my rootfs");
    const r = await runDemoToEnd(["--app", `linux=${app.rootfs}`, "--virtual-time", "--duration", "2s", "--port", "0"], { rootfs });
    expect(r.exit, r.stdout.slice(-3000) + r.stderr).toEqual({ code: 0, signal: null });
    expect(r.stdout).toContain("(XEN) d2: shutdown requested (poweroff): rootfs.wasm exited with status 0");
    expect(readFileSync(join(r.rootfs, STATUS_DIR, "zephyr-status.html"), "utf8")).toBe("<p>from C</p>\n<p>more</p>\n");
  }, 120_000);

  it.each([
    { args: ["--app", "zephyr"], message: `--app needs DOMAIN=FILE.wasm, e.g. zephyr=ping.wasm (got "zephyr")` },
    { args: ["--app", "zephyr=ping.c"], message: "--app zephyr=ping.c: the program must be a .wasm file (build C with v8r-cc)" },
    { args: ["--app", "zephyr=a.wasm", "--app", "zephyr=b.wasm"], message: "--app names domain zephyr twice" },
    { args: ["--app", "nope=/dev/null.wasm"], message: "--app nope=/dev/null.wasm: no such file" },
  ])("$args: a usage error", async ({ args, message }) => {
    const r = await runDemoToEnd([...args, "--virtual-time", "--duration", "1s"]);
    expect(r.exit.code).toBe(2);
    expect(r.stderr).toContain(message);
  }, 60_000);

  it("an --app naming a domain the configuration does not have is a usage error naming the domains", async () => {
    const r = await runDemoToEnd(["--app", `zephry=${app.ping}`, "--virtual-time", "--duration", "1s"]);
    expect(r.exit.code).toBe(2);
    expect(r.stderr).toContain(`--app zephry=${app.ping}: the configuration has no domain "zephry" (it has zephyr, linux)`);
  }, 60_000);
});
