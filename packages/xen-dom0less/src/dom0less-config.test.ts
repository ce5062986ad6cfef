import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadDom0lessConfig } from "./dom0less-config.ts";
import { parseDts } from "./dts-parser.ts";
import { guestRamRanges } from "./guest-memory.ts";
import { FIXTURES } from "../test/_dtc.ts";
import * as mod from "./mod.ts";

const load = (rel: string) => {
  const file = `${FIXTURES}${rel}`;
  return loadDom0lessConfig(parseDts(readFileSync(file, "utf8"), { file }));
};

describe("loadDom0lessConfig on the v8r demo", () => {
  const { config, diagnostics } = load("valid/v8r-demo.dts");

  it("reads both domains with memory in KiB, vCPUs, console and enhanced mode", () => {
    expect(diagnostics).toEqual([]);
    expect(config.domains.map((d) => [d.name, d.path, d.memoryKiB, d.cpus, d.vpl011, d.enhanced, d.directMap, d.v8rEl1Msa])).toEqual([
      ["zephyr", "/chosen/zephyr", 16 * 1024, 1, true, "no-xenstore", true, undefined],
      ["linux", "/chosen/linux", 512 * 1024, 2, true, "no-xenstore", false, "mmu"],
    ]);
  });

  it("reads each kernel module's v8r,image and bootargs", () => {
    expect(config.domains.map((d) => d.kernel && [d.kernel.image, d.kernel.bootargs, d.kernel.reg])).toEqual([
      ["@v8r/zephyr-shim/apps/rpmsg-host", "console=ttyAMA0", undefined],
      ["@v8r/linux-shim/apps/rpmsg-remote", "console=ttyAMA0 earlycon=xen", undefined],
    ]);
  });

  it("merges the two rpmsg-shm nodes into one Xen-owned region mapped in both domains", () => {
    expect(config.sharedMemory).toEqual([
      {
        id: "rpmsg-shm",
        hostAddr: 0x7a000000,
        size: 0x100000,
        mappings: [
          { domain: "zephyr", path: "/chosen/zephyr/shm-rpmsg", guestAddr: 0x7a000000, role: "borrower" },
          { domain: "linux", path: "/chosen/linux/shm-rpmsg", guestAddr: 0x7a000000, role: "borrower" },
        ],
      },
    ]);
    expect(config.sharedMemory[0]?.owner).toBeUndefined();
  });

  it("pairs the event channel ends, port 0xa on each side", () => {
    expect(config.eventChannels).toEqual([
      {
        a: { domain: "zephyr", port: 0xa, path: "/chosen/zephyr/evtchn@a" },
        b: { domain: "linux", port: 0xa, path: "/chosen/linux/evtchn@a" },
      },
    ]);
    expect(config.domains[0]?.evtchns[0]).toMatchObject({ peerRef: "&linux_ec", peerDomain: "linux", peerPort: 0xa });
  });

  it("reads Xen's command line and where the config came from", () => {
    expect(config.xenBootargs).toBe("console=dtuart dtuart=serial0 bootscrub=0");
    expect(config.source).toEqual({ file: `${FIXTURES}valid/v8r-demo.dts`, format: "dts" });
    expect(config.dom0).toBeUndefined();
  });

  it("places Zephyr's RAM at its static host address (direct-map) and Linux's at Xen's guest RAM base", () => {
    expect(config.domains.map((d) => guestRamRanges(d))).toEqual([
      [{ addr: 0x78000000, size: 16 << 20 }],
      [{ addr: 0x40000000, size: 512 << 20 }],
    ]);
  });
});

describe("loadDom0lessConfig on the Xen documentation examples", () => {
  it("reads dom0's region under /chosen as owner and a region Xen places (no host address)", () => {
    const { config } = load("valid/xen-doc-static-shm.dts");
    expect(config.dom0?.shm.map((m) => [m.id, m.role, m.hostAddr])).toEqual([["my-shared-mem-0", "owner", 0x10000000]]);
    expect(config.sharedMemory.map((r) => [r.id, r.hostAddr, r.size, r.owner, r.mappings.map((m) => m.domain)])).toEqual([
      ["my-shared-mem-0", 0x10000000, 0x10000000, "dom0", ["dom0", "domU1"]],
      ["my-shared-mem-1", 0x50000000, 0x20000000, undefined, ["domU1", "domU2"]],
      ["my-shared-mem-2", undefined, 0x20000000, "domU1", ["domU1", "domU2"]],
    ]);
  });

  it("pairs channels with dom0 and channels whose two ends use different ports", () => {
    const { config } = load("valid/xen-doc-static-evtchn.dts");
    expect(config.eventChannels.map(({ a, b }) => `${a.domain}:${a.port}<->${b.domain}:${b.port}`)).toEqual([
      "dom0:10<->domU1:10",
      "domU1:11<->domU2:11",
      "domU1:12<->domU2:13",
    ]);
  });
});

describe("loadDom0lessConfig structure", () => {
  it("reads a 64-bit memory value, direct-map and static memory banks", () => {
    const { config, diagnostics } = loadDom0lessConfig(
      parseDts(`/dts-v1/;
/ { chosen { #address-cells = <2>; #size-cells = <2>; d { compatible = "xen,domain";
  memory = <0x1 0x0>; cpus = <1>; direct-map; xen,enhanced;
  xen,static-mem = <0x0 0x60000000 0x0 0x10000000>, <0x8 0x80000000 0x0 0x1000>; }; }; };`),
    );
    expect(diagnostics).toEqual([]);
    const d = config.domains[0];
    expect(d?.memoryKiB).toBe(2 ** 32);
    expect(d?.enhanced).toBe("enabled");
    expect(d?.staticMem).toEqual([
      { addr: 0x60000000, size: 0x10000000 },
      { addr: 0x8_8000_0000, size: 0x1000 },
    ]);
    expect(guestRamRanges(d!)).toEqual(d?.staticMem);
  });

  it("warns when /chosen holds no domain", () => {
    const { config, diagnostics } = loadDom0lessConfig(parseDts("/dts-v1/;\n/ { };"));
    expect(config.domains).toEqual([]);
    expect(diagnostics.map((d) => [d.severity, d.code, d.path])).toEqual([["warning", "no-domains", "/"]]);
  });

  it("reads sub-node addresses with #address-cells/#size-cells inherited from the parent, as Xen does", () => {
    const kernelReg = (chosenCells: string, reg: string) =>
      loadDom0lessConfig(
        parseDts(`/dts-v1/;\n/ { chosen { ${chosenCells} d { compatible = "xen,domain"; memory = <0 1>; cpus = <1>;
          k { compatible = "multiboot,kernel", "multiboot,module"; reg = <${reg}>; }; }; }; };`),
      );
    const fromChosen = kernelReg("#address-cells = <1>; #size-cells = <1>;", "0x1000 0x100");
    expect([fromChosen.diagnostics, fromChosen.config.domains[0]?.kernel?.reg]).toEqual([[], [0x1000, 0x100]]);
    const rootDefaults = kernelReg("", "0x0 0x1000 0x100"); // 2 address cells and 1 size cell at the root
    expect([rootDefaults.diagnostics, rootDefaults.config.domains[0]?.kernel?.reg]).toEqual([[], [0x1000, 0x100]]);
  });

  it("reads xen,static-mem with the cells of /chosen, not the domain's own (Xen 4.17 and later)", () => {
    const { config, diagnostics } = loadDom0lessConfig(
      parseDts(`/dts-v1/;\n/ { chosen { #address-cells = <1>; #size-cells = <1>;
        d { compatible = "xen,domain"; #address-cells = <2>; #size-cells = <2>; memory = <0 0x80000>; cpus = <1>;
          xen,static-mem = <0x30000000 0x20000000>; }; }; };`),
    );
    expect(diagnostics).toEqual([]);
    expect(config.domains[0]?.staticMem).toEqual([{ addr: 0x30000000, size: 0x20000000 }]);
  });
});

describe("the @module example", () => {
  it("runs as written", () => {
    const text = `/dts-v1/;
/ { chosen { domU1 { compatible = "xen,domain"; memory = <0 0x4000>; cpus = <1>; vpl011;
      kernel { compatible = "multiboot,kernel", "multiboot,module"; v8r,image = "./guest.js"; }; }; }; };`;
    const tree = mod.parseDts(text, { file: "xen.dts" });
    expect(mod.lint(tree).map(mod.formatDiagnostic)).toEqual([]);
    expect(mod.loadDom0lessConfig(tree).config.domains[0]?.memoryKiB).toBe(16384);
  });
});
