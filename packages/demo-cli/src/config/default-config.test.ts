import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG_NAME, readDefaultConfig } from "./default-config.ts";

function requireDtc(): void {
  try {
    execFileSync("dtc", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error("this test needs dtc (Debian: apt-get install device-tree-compiler; .ci/run installs it)");
  }
}

/** The body of the node `name { ... }` at the given tab depth (simple, for this file's layout). */
function nodeBody(dts: string, name: string, depth: number): string {
  const tabs = "\t".repeat(depth);
  const start = dts.indexOf(`\n${tabs}${name} {\n`);
  expect(start, `node ${name}`).toBeGreaterThanOrEqual(0);
  const end = dts.indexOf(`\n${tabs}};`, start);
  return dts.slice(start, end);
}

describe("the bundled device tree", () => {
  it("is found from the source tree and from a dist/ directory", async () => {
    const fromSource = await readDefaultConfig();
    const fromDist = await readDefaultConfig(new URL("../../dist/cli.js", import.meta.url));
    expect(fromDist).toBe(fromSource);
    expect(fromSource.startsWith("// SPDX-License-Identifier")).toBe(true);
  });

  it("says where it looked when the file is missing", async () => {
    await expect(readDefaultConfig("file:///nowhere/at/all/x.js")).rejects.toThrow(`reading the bundled ${DEFAULT_CONFIG_NAME}: not found`);
  });

  it.each([
    ["zephyr", "0x4000", "0x1", "v8r-demo/apps/rpmsg-demo/zephyr-rpmsg-host", "&ec_linux"],
    ["linux", "0x80000", "0x2", "v8r-demo/apps/rpmsg-demo/linux-rpmsg-remote", "&ec_zephyr"],
  ])("describes domU %s with its memory, vCPUs, image, shm and event channel", async (name, kib, cpus, image, peer) => {
    const body = nodeBody(await readDefaultConfig(), name, 2);
    expect(body).toContain('compatible = "xen,domain";');
    expect(body).toContain(`memory = <0x0 ${kib}>;`);
    expect(body).toContain(`cpus = <${cpus}>;`);
    expect(body).toContain("vpl011;");
    expect(body).toContain('xen,enhanced = "no-xenstore";');
    expect(body).toContain("#address-cells = <0x1>;");
    expect(body).toContain("#size-cells = <0x1>;");
    expect(body).toContain('compatible = "multiboot,kernel", "multiboot,module";');
    expect(body).toContain(`v8r,image = "${image}";`);
    expect(body).toContain('compatible = "xen,domain-shared-memory-v1";');
    expect(body).toContain('xen,shm-id = "rpmsg-shm";');
    expect(body).toContain("xen,shared-mem = <0x7a000000 0x7a000000 0x100000>;");
    expect(body).toContain('compatible = "xen,evtchn-v1";');
    expect(body).toContain(`xen,evtchn = <0xa ${peer}>;`);
  });

  it("places Zephyr's RAM statically and direct-mapped, as the MPU at EL1 on Armv8-R needs, and lets Linux use an MMU", async () => {
    const dts = await readDefaultConfig();
    const zephyr = nodeBody(dts, "zephyr", 2);
    expect(zephyr).toContain('v8r_el1_msa = "mpu";');
    expect(zephyr).toContain("xen,static-mem = <0x78000000 0x1000000>;");
    expect(zephyr).toContain("direct-map;");
    expect(nodeBody(dts, "linux", 2)).toContain('v8r_el1_msa = "mmu";');
    expect(dts).toContain('model = "FVP_BaseR_AEMv8R";');
    expect(dts).not.toContain("role =");
  });

  it("gives Xen its command line", async () => {
    expect(await readDefaultConfig()).toMatch(/\n\t\txen,xen-bootargs = "[^"]+";/);
  });

  it("compiles with dtc to a .dtb that dtc reads back with both domains", async () => {
    requireDtc();
    const dir = await mkdtemp(join(tmpdir(), "v8r-demo-dts-"));
    try {
      const src = join(dir, "in.dts");
      await writeFile(src, await readDefaultConfig());
      execFileSync("dtc", ["-q", "-I", "dts", "-O", "dtb", "-o", join(dir, "out.dtb"), src]);
      const back = execFileSync("dtc", ["-q", "-I", "dtb", "-O", "dts", join(dir, "out.dtb")], { encoding: "utf8" });
      expect(back).toMatch(/zephyr \{[\s\S]*memory = <0x00 0x4000>/);
      expect(back).toMatch(/linux \{[\s\S]*cpus = <0x02>/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the bundled device tree and the xen-dom0less linter", () => {
  it("lints with no error and no warning, with the Armv8-R (MPU) rules", async () => {
    const { lintConfigBytes } = await import("../lint-config.ts");
    const report = await lintConfigBytes(DEFAULT_CONFIG_NAME, new TextEncoder().encode(await readDefaultConfig()));
    expect(report.diagnostics).toEqual([]);
  });

  it("is seen as an Armv8-R configuration by xen-dom0less lint on its own (its model names the FVP)", async () => {
    const { lintSource } = await import("@v8r/xen-dom0less");
    const text = (await readDefaultConfig()).replace("direct-map;", "");
    expect(lintSource({ text, file: DEFAULT_CONFIG_NAME }).diagnostics.map((d) => d.code)).toEqual(["mpu-needs-static-memory"]);
  });
});
