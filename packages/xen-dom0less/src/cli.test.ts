import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli, type CliIo } from "./_cli-run.ts";
import { readConfigFile, readIncludedFile } from "./node.ts";
import { compileDtb, FIXTURES } from "../test/_dtc.ts";

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const io: CliIo = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readBytes: readConfigFile,
    readText: readIncludedFile,
  };
  return { code: runCli(argv, io), out, err };
}

describe("xen-dom0less lint", () => {
  it("exits 0 and prints a clean summary for a valid config", () => {
    const file = `${FIXTURES}valid/v8r-demo.dts`;
    expect(run(["lint", file])).toEqual({ code: 0, out: `${file}: no problems\n`, err: "" });
  });

  it("exits 1 and prints compiler-style lines for errors", () => {
    const file = `${FIXTURES}invalid/evtchn-port-invalid.dts`;
    const r = run(["lint", file]);
    expect(r.code).toBe(1);
    expect(r.out.split("\n")).toEqual([
      `${file}:25:5: error[evtchn-port-invalid]: evtchn@1 in domU1 uses local port 4096: Xen limits a domU to ports 1 to 1023 (max_evtchn_port; dom0 and domains with the hardware or xenstore capability go up to 4095)`,
      `${file}: 1 error, 0 warnings`,
      "",
    ]);
  });

  it("exits 0 when there are only warnings", () => {
    const r = run(["lint", `${FIXTURES}invalid/unknown-property.dts`]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/:17:4: warning\[unknown-property\]: .*\n.*: 0 errors, 1 warning\n$/);
  });

  it("prints JSON with --json", () => {
    const file = `${FIXTURES}invalid/cpus-over-platform.dts`;
    const r = run(["lint", "--json", file]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      file,
      errors: 0,
      warnings: 1,
      diagnostics: [expect.objectContaining({ code: "cpus-over-platform", severity: "warning", line: 14, column: 4, path: "/chosen/domU1" })],
    });
  });

  it("takes the platform CPU count from --platform-cpus", () => {
    const file = `${FIXTURES}invalid/cpus-over-platform.dts`;
    expect(run(["lint", file]).out).toContain("warning[cpus-over-platform]");
    expect(run(["lint", "--platform-cpus", "8", file]).out).toBe(`${file}: no problems\n`);
    expect(run(["lint", "--platform-cpus=8", file]).out).toBe(`${file}: no problems\n`);
  });

  it("checks the Armv8-R (MPU) rules with --arch armv8-r, and what the tree says without it", () => {
    const file = `${FIXTURES}valid/xen-doc-static-mem.dts`;
    expect(run(["lint", file]).code).toBe(0);
    const r = run(["lint", "--arch", "armv8-r", file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("error[mpu-needs-static-memory]: on Armv8-R (the lint options) Xen runs domU1 with the MPU at EL1");
    expect(run(["lint", "--arch=armv8-a", `${FIXTURES}valid/armv8r-static.dts`]).out).toContain("error[mpu-property-on-mmu]");
  });

  it("lints a .dtb and names node paths instead of lines", () => {
    const dtb = compileDtb(`${FIXTURES}invalid/shm-overlap.dts`);
    const r = run(["lint", dtb.path]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${dtb.path}:/chosen/domU2/shm-b: error[shm-overlap]: region "ring-b"`);
  });

  it("reports a file that does not parse as an error at its position", () => {
    const file = `${FIXTURES}parse-errors/syntax.dts`;
    const r = run(["lint", file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${file}:7:2: error[syntax]: expected , or ; after the value of xen,xen-bootargs`);
  });

  it("exits 2 when a file cannot be read", () => {
    const r = run(["lint", `${FIXTURES}no-such.dts`]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read .*no-such\.dts/);
  });

  it("exits 2 at once for /dev/zero instead of reading it forever (regression)", () => {
    expect(run(["lint", "/dev/zero"])).toEqual({ code: 2, out: "", err: "xen-dom0less: cannot read /dev/zero: it is a character device, not a regular file\n" });
  });

  it("reports an /include/ of /dev/zero as include-unreadable at the directive", () => {
    const file = join(mkdtempSync(join(tmpdir(), "xen-dom0less-cli-")), "inc.dts");
    writeFileSync(file, '/dts-v1/;\n/include/ "/dev/zero"\n/ { };\n');
    const r = run(["lint", file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${file}:2:1: error[include-unreadable]: cannot include "/dev/zero": it is a character device, not a regular file`);
  });

  it.each([
    [[], "usage:"],
    [["frobnicate"], "unknown command frobnicate"],
    [["lint"], "needs at least one FILE"],
    [["lint", "--platform-cpus", "zero", "x.dts"], "--platform-cpus needs a positive integer"],
    [["lint", "--arch", "armv7", "x.dts"], "--arch must be armv8-a or armv8-r, got armv7"],
    [["lint", "--evtchn-abi", "fifo", "x.dts"], "unknown option --evtchn-abi"],
    [["lint", "--colour", "x.dts"], "unknown option --colour"],
  ])("exits 2 on bad usage %j", (argv, message) => {
    const r = run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it("prints help on stdout and exits 0 with --help", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: xen-dom0less lint/);
  });
});

describe("the xen-dom0less bin run from source", () => {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const tsx = `${root}node_modules/.bin/tsx`;
  const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));

  it("lints a fixture through node:fs with the right exit codes", () => {
    const ok = spawnSync(tsx, [cli, "lint", `${FIXTURES}valid/with-include.dts`], { encoding: "utf8" });
    expect([ok.status, ok.stdout]).toEqual([0, `${FIXTURES}valid/with-include.dts: no problems\n`]);
    const bad = spawnSync(tsx, [cli, "lint", `${FIXTURES}invalid/kernel-missing.dts`, `${FIXTURES}missing.dts`], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toContain("error[kernel-missing]");
    expect(bad.stderr).toContain("cannot read");
  });
});
