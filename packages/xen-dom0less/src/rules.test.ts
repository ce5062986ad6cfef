// Rules beyond the one-fixture-per-code table: the cases where Xen accepts what looks wrong,
// refuses what looks harmless, or decides by something elsewhere in the tree.
import { describe, expect, it } from "vitest";
import { lint, type LintOptions } from "./lint.ts";
import { loadDom0lessConfig } from "./dom0less-config.ts";
import { parseDts } from "./dts-parser.ts";

/** A system with `domains` (domain node bodies) under /chosen (1 address and 1 size cell), plus `chosen` and `root` extras. */
function system(domains: Record<string, string>, chosen = "", root = "", pre = ""): string {
  const nodes = Object.entries(domains).map(([name, body]) => `${name} { compatible = "xen,domain"; #address-cells = <1>; #size-cells = <1>;
      memory = <0 0x4000>; cpus = <1>; ${body}
      ${body.includes("multiboot,kernel") ? "" : `k { compatible = "multiboot,kernel", "multiboot,module"; v8r,image = "./${name}.js"; };`} };`);
  return `/dts-v1/;\n${pre}\n/ { ${root}\n  chosen { #address-cells = <1>; #size-cells = <1>; ${chosen}\n    ${nodes.join("\n    ")} }; };`;
}
const codes = (text: string, options: LintOptions = {}): string[] => lint(text, options).map((d) => `${d.severity}:${d.code}`);

describe("xen,enhanced and xenstore", () => {
  it.each([
    ["a dom0 kernel under /chosen", system({ d: `xen,enhanced = "enabled";` }, `dom0 { compatible = "multiboot,kernel", "multiboot,module"; reg = <0x40000000 0x100000>; };`)],
    ["Xen 4.4's dom0 kernel compatible", system({ d: `xen,enhanced = "legacy";` }, `dom0 { compatible = "xen,linux-zimage", "xen,multiboot-module"; reg = <0x40000000 0x100000>; };`)],
    ["the first module of no specific kind (Xen takes it for dom0's kernel)", system({ d: `xen,enhanced;` }, `m { compatible = "multiboot,module"; reg = <0x40000000 0x100000>; };`)],
    ["a domain with the xenstore capability", system({ d: `xen,enhanced = "enabled";`, xs: `capabilities = <4>; xen,enhanced = "no-xenstore";` })],
  ])("is satisfied by %s", (_what, text) => {
    expect(codes(text)).toEqual([]);
  });

  it("is not satisfied by a module inside a domain, nor by \"no-xenstore\" domains", () => {
    expect(codes(system({ d: `xen,enhanced = "enabled";`, e: `xen,enhanced = "no-xenstore";` }))).toEqual(["error:enhanced-without-xenstore"]);
  });
});

describe("capabilities", () => {
  it.each([
    ["unknown bits", { d: `capabilities = <0x20>;` }, "", ["error:property-invalid"]],
    ["passthrough on the hardware domain", { d: `capabilities = <2>; passthrough = "enabled";` }, "", ["error:capabilities-conflict"]],
    ["a device-tree module for the hardware domain", { d: `capabilities = <2>; dt { compatible = "multiboot,device-tree", "multiboot,module"; reg = <0x50000000 0x1000>; };` }, "", ["error:capabilities-conflict"]],
    ["a hardware domain besides dom0", { d: `capabilities = <2>;` }, `dom0 { compatible = "multiboot,kernel", "multiboot,module"; reg = <0x40000000 0x100000>; };`, ["error:capabilities-conflict"]],
    ["one xenstore domain and no dom0", { d: `capabilities = <7>;` }, "", []],
  ])("%s", (_what, domains, chosen, expected) => {
    expect(codes(system(domains, chosen))).toEqual(expected);
  });
});

describe("host memory reservations", () => {
  const kernelAt = (reg: string): string => `k { compatible = "multiboot,kernel", "multiboot,module"; reg = <${reg}>; };`;

  it("lets a boot module or static memory lie inside a /memreserve/ entry, but not across its edge", () => {
    const pre = "/memreserve/ 0x80000000 0x1000000;";
    expect(codes(system({ d: kernelAt("0x80000000 0x800000") }, "", "", pre))).toEqual([]);
    expect(codes(system({ d: kernelAt("0x80800000 0x1000000") }, "", "", pre))).toEqual(["error:reserved-overlap"]);
  });

  it("never lets static shared memory touch a /memreserve/ entry", () => {
    const shm = `s { compatible = "xen,domain-shared-memory-v1"; xen,shm-id = "r"; xen,shared-mem = <0x80000000 0x7a000000 0x1000>; };`;
    expect(codes(system({ d: shm }, "", "", "/memreserve/ 0x80000000 0x1000000;"))).toEqual(["error:shm-reserved-overlap"]);
  });

  it("counts one kernel named by two domains once", () => {
    expect(codes(system({ a: kernelAt("0x80000000 0x800000"), b: kernelAt("0x80000000 0x800000") }))).toEqual([]);
  });

  it("reads xen,static-heap with the root's cells and refuses static memory inside it", () => {
    const text = system({ d: `memory = <0 0x10000>; xen,static-mem = <0x30000000 0x4000000>;` }, "xen,static-heap = <0x0 0x20000000 0x0 0x20000000>;", "#address-cells = <2>; #size-cells = <2>;");
    expect(lint(text).map((d) => [d.code, d.message])).toEqual([
      ["static-mem-overlap", "xen,static-mem of d (host 0x30000000+0x4000000) overlaps xen,static-heap (host 0x20000000+0x20000000); Xen reserves both at boot and refuses overlapping regions"],
    ]);
  });
});

describe("Armv8-R (MPU) rules", () => {
  const rtos = `memory = <0 0x4000>; xen,static-mem = <0x78000000 0x1000000>; direct-map;`;

  it.each([
    ["a Cortex-R82 CPU node", `cpus { cpu@0 { compatible = "arm,cortex-r82"; }; };`],
    ["an AEMv8R root compatible", `compatible = "arm,fvp-baser-aemv8r64";`],
  ])("are checked when the tree has %s", (_what, root) => {
    expect(codes(system({ d: "" }, "", root))).toEqual(["error:mpu-needs-static-memory"]);
    expect(codes(system({ d: rtos, l: `v8r_el1_msa = "mmu";` }, "", root))).toEqual([]);
  });

  it("apply to an explicit v8r_el1_msa = \"mpu\" as to the default, and v8r_el1_msa alone names the platform", () => {
    expect(codes(system({ d: `v8r_el1_msa = "mpu"; xen,static-mem = <0x78000000 0x1000000>;` }))).toEqual(["error:mpu-needs-static-memory"]);
    expect(codes(system({ d: `v8r_el1_msa = "mmu";` }))).toEqual([]);
  });

  it("refuse a v8r_el1_msa value Xen does not know", () => {
    expect(codes(system({ d: `v8r_el1_msa = "both";` }), { arch: "armv8-r" })).toEqual(["error:mpu-needs-static-memory", "error:property-invalid"]);
  });
});

describe("values Xen refuses when it creates a domain", () => {
  it.each([
    ["trap-unmapped-accesses = <2>;", "trap-unmapped-accesses of /chosen/d is 2; Xen accepts only 0 or 1"],
    ["max_grant_frames = <0x80000000>;", "max_grant_frames of /chosen/d is 2147483648; Xen refuses values over 2147483647"],
    [`xen,sci_type = "scmi";`, `xen,sci_type of /chosen/d must be "none" or "scmi_smc"; Xen refuses anything else`],
    ["sve = <100>;", "sve of /chosen/d is 100; the SVE vector length must be 0 or a multiple of 128 up to 2048"],
  ])("%s", (prop, message) => {
    expect(lint(system({ d: prop })).map((d) => [d.code, d.message])).toEqual([["property-invalid", message]]);
  });

  it("accepts the documented domain properties without an unknown-property warning", () => {
    const props = `nr_spis = <32>; xen,domain-p2m-mem-mb = <8>; max_grant_version = <1>; max_maptrack_frames = <64>;
      passthrough = "disabled"; trap-unmapped-accesses = <0>; xen,sci_type = "none"; sve = <256>; llc-colors = "0-3";
      vcpu0 { compatible = "xen,vcpu"; id = <0>; hard-affinity = "0-1,3"; };`;
    expect(codes(system({ d: props }))).toEqual([]);
  });

  it("checks the pCPUs of a xen,vcpu node's hard-affinity against the platform", () => {
    const vcpu = `vcpu0 { compatible = "xen,vcpu"; id = <0>; hard-affinity = "0x1-5"; };`;
    expect(lint(system({ d: vcpu })).map((d) => d.message)).toEqual([`hard-affinity "0x1-5" of /chosen/d/vcpu0 names pCPU 5, but the platform has 4 CPUs (0 to 3)`]);
    expect(codes(system({ d: vcpu }), { platformCpus: 8 })).toEqual([]);
  });
});

describe("kernel modules", () => {
  it("accept a UEFI file name in place of reg", () => {
    expect(codes(system({ d: `k { compatible = "multiboot,kernel", "multiboot,module"; xen,uefi-binary = "zephyr.bin"; };` }))).toEqual([]);
    expect(codes(system({ d: `k { compatible = "multiboot,kernel", "multiboot,module"; };` }))).toEqual(["error:property-missing"]);
  });
});

describe("static shared memory as Xen reads it", () => {
  const node = (name: string, value: string, extra = ""): string =>
    `${name} { compatible = "xen,domain-shared-memory-v1"; xen,shm-id = "r"; xen,shared-mem = <${value}>; ${extra} };`;

  it("refuses a region given with a host address by one node and without by another", () => {
    expect(codes(system({ a: node("s", "0x7a000000 0x7a000000 0x1000"), b: node("s", "0x7a000000 0x1000") }))).toEqual(["error:shm-range-mismatch"]);
  });

  it("accepts an owner domain with borrowers, and a region Xen places itself", () => {
    expect(codes(system({ a: node("s", "0x7a000000 0x1000", `role = "owner";`), b: node("s", "0x7b000000 0x1000", `role = "borrower";`) }))).toEqual([]);
  });

  it("reads an empty xen,shm-id property as an empty id", () => {
    const text = system({ a: `s { compatible = "xen,domain-shared-memory-v1"; xen,shm-id; xen,shared-mem = <0x7a000000 0x1000>; };` });
    expect(codes(text)).toEqual(["error:shm-id-empty"]);
  });
});

describe("static event channels as Xen reads them", () => {
  const ec = (label: string, port: number, peer: string, compat = "xen,evtchn-v1"): string =>
    `${label}: evtchn@${port} { compatible = "${compat}"; xen,evtchn = <${port} &${peer}>; };`;

  it("creates a channel from its xen,evtchn-v1 end, in /chosen order, and ignores legacy-only pairs", () => {
    const text = system({ a: ec("a1", 1, "b1") + ec("a2", 2, "b2", "xen,evtchn"), b: ec("b1", 1, "a1", "xen,evtchn") + ec("b2", 2, "a2", "xen,evtchn") });
    const { config } = loadDom0lessConfig(parseDts(text));
    expect(config.eventChannels.map((p) => `${p.a.path}->${p.b.path}`)).toEqual(["/chosen/a/evtchn@1->/chosen/b/evtchn@1"]);
    expect(config.ignoredEventChannels).toEqual(["/chosen/a/evtchn@2", "/chosen/b/evtchn@2"]);
  });

  it("ignores a dom0 node when the configuration boots no dom0", () => {
    expect(codes(system({ a: "" }, ec("d1", 1, "d1")))).toEqual(["warning:evtchn-ignored"]);
  });

  it("gives the nodes under /chosen to a domain with the hardware capability when there is no dom0", () => {
    const text = system({ hw: `capabilities = <2>; direct-map; xen,static-mem = <0x60000000 0x1000000>; xen,enhanced = "no-xenstore"; ${ec("a1", 5, "d1")}` }, ec("d1", 7, "a1"));
    const { config } = loadDom0lessConfig(parseDts(text));
    expect(config.eventChannels.map((p) => [p.a.domain, p.a.port, p.b.domain, p.b.port])).toEqual([["hw", 7, "hw", 5]]);
    expect(codes(text)).toEqual([]);
  });

  it("gives dom0 ports up to 4095", () => {
    const dom0 = `k0 { compatible = "multiboot,kernel", "multiboot,module"; reg = <0x40000000 0x100000>; }; ${ec("d1", 4000, "a1")}`;
    expect(codes(system({ a: `xen,enhanced = "no-xenstore"; ${ec("a1", 1000, "d1")}` }, dom0))).toEqual([]);
    expect(codes(system({ a: `xen,enhanced = "no-xenstore"; ${ec("a1", 1024, "d1")}` }, dom0))).toEqual(["error:evtchn-port-invalid"]);
  });
});
