// Bad input, as a user would give it: configs with lint errors (every class,
// in-process; one through the real executable), an unknown option, a port
// that is taken, an nginx binary that is not there.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { LINT_CODES, LINT_WARNING_CODES } from "@v8r/xen-dom0less";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli, type CliIo } from "../src/cli-main.ts";
import { readDefaultConfig } from "../src/config/default-config.ts";
import { REPO_ROOT, runDemoToEnd, tempDir } from "./_spawn-demo.ts";

/** The xen-dom0less linter's fixtures: one invalid device tree per rule. */
const FIXTURES = join(REPO_ROOT, "packages/xen-dom0less/test/fixtures/invalid");
/**
 * Rules whose findings are errors (warnings still boot). v8r-demo lints for its own platform,
 * Armv8-R, where the Armv8-A-only error about v8r_el1_msa cannot occur.
 */
const ERROR_CODES = LINT_CODES.filter((c) => !LINT_WARNING_CODES.includes(c) && c !== "mpu-property-on-mmu");

function cliIo(dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const runDemo = vi.fn(() => Promise.reject(new Error("runDemo must not be called for a config with errors")));
  const io: CliIo = {
    stdout: { write: (t) => void out.push(t) },
    stderr: { write: (t) => void err.push(t) },
    env: { XDG_RUNTIME_DIR: dir, NO_COLOR: "1" },
    runDemo,
  };
  return { io, runDemo, stdout: () => out.join(""), stderr: () => err.join("") };
}

describe("v8r-demo --config with lint errors", () => {
  const dir = tempDir("bad-config");

  it.each(ERROR_CODES)("exits 2 without booting and prints the %s error", async (code) => {
    const t = cliIo(dir);
    const file = join(FIXTURES, `${code}.dts`);
    expect(await runCli(["--config", file, "--port", "0"], t.io)).toBe(2);
    expect(t.runDemo).not.toHaveBeenCalled();
    expect(t.stderr()).toMatch(new RegExp(`${code}\\.dts:\\d+:\\d+: error\\[${code}\\]: \\S`));
    expect(t.stderr()).toContain(`[v8r-demo] not booting ${file}: fix the errors above (check with: v8r-demo lint ${file})`);
  });

  it.each([
    ["a syntax error", "bad-syntax.dts", "/dts-v1/;\n/ { chosen { domU1 { compatible = \"xen,domain\" } };\n", /bad-syntax\.dts:2:\d+: error\[syntax\]/],
    ["a .dtb that is not a device tree blob", "garbage.dtb", "not a flattened device tree", /garbage\.dtb.*error\[/],
  ])("exits 2 without booting on %s", async (_what, name, text, pattern) => {
    const t = cliIo(dir);
    const file = join(dir, name);
    writeFileSync(file, text);
    expect(await runCli(["--config", file], t.io)).toBe(2);
    expect(t.runDemo).not.toHaveBeenCalled();
    expect(t.stderr()).toMatch(pattern);
  });

  it("the real executable exits 2 with the error, without booting anything", async () => {
    const file = join(dir, "no-enhanced.dts");
    const text = (await readDefaultConfig()).replaceAll("<0xa &", "<0x800 &");
    writeFileSync(file, text);
    const run = await runDemoToEnd(["--config", file, "--port", "0"]);
    expect(run.exit).toEqual({ code: 2, signal: null });
    expect(run.stderr).toContain("error[evtchn-port-invalid]");
    expect(run.stderr).toContain(`not booting ${file}`);
    expect(run.stdout).not.toContain("(XEN)");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("v8r-demo with a bad command line or a busy port", () => {
  let busy: Server;
  let port: number;

  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => busy.close(resolve)));

  it("exits 2 with the reason and the usage on an unknown option", async () => {
    const run = await runDemoToEnd(["--colour"]);
    expect(run.exit).toEqual({ code: 2, signal: null });
    expect(run.stderr).toMatch(/^\[v8r-demo\] unknown option --colour\nusage:\n {2}v8r-demo \[OPTIONS\]\n/);
    expect(run.stderr).toContain("see v8r-demo --help");
    expect(run.stdout).toBe("");
  });

  it("says the port is taken and exits 1 without a stack trace when --port is busy", async () => {
    const run = await runDemoToEnd(["--port", String(port)]);
    expect(run.exit).toEqual({ code: 1, signal: null });
    const all = run.stdout + run.stderr;
    expect(all).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(all).toContain("--port");
    expect(all).not.toMatch(/\n\s+at /);
  });

  it("--server nginx --nginx PATH that is no executable: exits 1 naming the path and the option, without a stack trace", async () => {
    const missing = join(tempDir("no-nginx"), "nginx");
    const run = await runDemoToEnd(["--server", "nginx", "--nginx", missing, "--port", "0"]);
    expect(run.exit).toEqual({ code: 1, signal: null });
    const all = run.stdout + run.stderr;
    expect(all).toContain(`the nginx binary given (v8r-demo --nginx PATH, nginxPath in the API), ${missing}, is not an executable file`);
    expect(all).not.toMatch(/\n\s+at /);
  });
});

describe("v8r-demo with a root filesystem that cannot hold the Linux files, or one a killed run left", () => {
  it("--rootfs /proc/self: exits 2 at start with the reason, without booting (regression: ran forever and ignored SIGTERM)", async () => {
    const run = await runDemoToEnd(["--virtual-time", "--duration", "2s", "--server", "none"], { rootfs: "/proc/self" });
    expect(run.exit).toEqual({ code: 2, signal: null });
    expect(run.stdout).toContain("[v8r-demo] the root filesystem /proc/self (--rootfs) cannot hold the Linux files: creating /proc/self/usr failed (ENOENT");
    expect(run.stdout).not.toContain("(XEN)");
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("removes the hidden temporary files a killed run left in the web root, and keeps the rest", async () => {
    const rootfs = tempDir("leftovers");
    const html = join(rootfs, "usr/share/nginx/html");
    mkdirSync(html, { recursive: true });
    for (const name of [".zephyr-status.html.0a1b2c3d4e5f.tmp", ".zephyr-status.json.00ff00ff00ff.tmp", "mine.txt"]) writeFileSync(join(html, name), "left");
    const run = await runDemoToEnd(["--virtual-time", "--duration", "3s", "--server", "none"], { rootfs });
    expect(run.exit, run.stdout.slice(-2000) + run.stderr).toEqual({ code: 0, signal: null });
    expect(run.stdout).toContain(`[v8r-demo] removed 2 temporary file(s) an earlier run left in ${html}\n`);
    expect(readdirSync(html).sort()).toEqual(["mine.txt", "zephyr-status.html", "zephyr-status.json"]);
  }, 60_000);
});
