import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.ts";
import { LINT_CODES, LINT_RULES, type LintCode } from "./diagnostic.ts";
import { parseDts } from "./dts-parser.ts";
import { lint, lintSource } from "./lint.ts";
import { FIXTURES } from "../test/_dtc.ts";
import { INVALID_CASES } from "../test/_invalid-cases.ts";

const readFile = (p: string): string | undefined => (existsSync(p) ? readFileSync(p, "utf8") : undefined);
const lintFixture = (rel: string, options = {}) => {
  const file = `${FIXTURES}${rel}`;
  return lint(readFileSync(file, "utf8"), { file, readFile, ...options });
};

describe("lint on valid configurations", () => {
  it.each([
    "valid/v8r-demo.dts",
    "valid/xen-doc-dom0less.dts",
    "valid/xen-doc-static-mem.dts",
    "valid/xen-doc-static-shm.dts",
    "valid/xen-doc-static-evtchn.dts",
    "valid/armv8r-static.dts",
    "valid/with-include.dts",
  ])(
    "%s has no diagnostics",
    (rel) => {
      expect(lintFixture(rel)).toEqual([]);
    },
  );
});

describe("lint rules, one invalid fixture each", () => {
  it("has a fixture for every rule code", () => {
    expect(INVALID_CASES.map(([name]) => name).sort()).toEqual([...LINT_CODES].sort());
  });

  it("says \"Xen accepts this, but\" in every warning about something v8r is stricter about", () => {
    for (const name of ["cpus-over-platform", "evtchn-not-enhanced", "evtchn-port-zero", "shm-no-owner"]) {
      expect(lintFixture(`invalid/${name}.dts`)[0]?.message).toContain("Xen accepts this, but");
    }
  });

  it.each(INVALID_CASES)("invalid/%s.dts gives exactly the expected diagnostics", (name, expected) => {
    const file = `${FIXTURES}invalid/${name}.dts`;
    const got = lintFixture(`invalid/${name}.dts`);
    expect(got.map((d) => [d.code, d.line, d.column])).toEqual(expected);
    for (const d of got) {
      expect(d.file).toBe(file);
      expect(d.message).not.toMatch(/\.$/);
      expect(d.path).toMatch(/^\//);
      expect(d.severity).toBe(LINT_RULES[d.code as LintCode]);
    }
  });
});

describe("lint messages", () => {
  it.each([
    ["shm-id-too-long", /"rpmsg-shm-region" .* 16 characters; the limit is 15/],
    ["evtchn-peer-missing", /evtchn@2 in domU2 points at &ec9, which is not defined/],
    ["evtchn-peer-not-reciprocal", /points at \/chosen\/domU2\/evtchn@2, but that node points at \/chosen\/domU1\/evtchn@3/],
    ["evtchn-port-invalid", /port 4096: Xen limits a domU to ports 1 to 1023 \(max_evtchn_port/],
    ["evtchn-not-enhanced", /domU2 has static event channels .* no xen,enhanced, so its device tree gets no \/hypervisor node/],
    ["cpus-over-platform", /Xen accepts this, but domU1 asks for 8 vCPUs and the platform has 4 CPUs/],
    ["unknown-property", /memroy; did you mean memory\?/],
    ["shm-multiple-owners", /region "ring" already has an owner \(domU1/],
    ["evtchn-ignored", /only with "xen,evtchn": Xen reads static event channels only from "xen,evtchn-v1" nodes, so this channel will not exist/],
    ["static-mem-old-cells", /read only by Xen 4\.16; Xen 4\.17 and later ignore it and read xen,static-mem of \/chosen\/domU1 with \/chosen's #address-cells = 2 and #size-cells = 1/],
    ["static-mem-old-cells-unused", /read only by Xen 4\.16; Xen 4\.17 and later read xen,static-mem .* the same cells here/],
    ["memory-static-mismatch", /memory of domU1 is 0x10000 KiB \(64 MiB\) but its xen,static-mem banks total 32 MiB/],
    ["mpu-needs-static-memory", /on Armv8-R \(the tree says "FVP_BaseR_AEMv8R"\) .* needs xen,static-mem and direct-map/],
    ["enhanced-without-xenstore", /no domain provides xenstore/],
    ["shm-unaligned", /guest address 0x7a000800, size 0x1800 not aligned to 4 KiB/],
  ])("%s names the node and what is wrong", (name, pattern) => {
    expect(lintFixture(`invalid/${name}.dts`)[0]?.message).toMatch(pattern);
  });
});

describe("lint options and edge cases", () => {
  const base = (domainBody: string, cpus = 1): string => `/dts-v1/;
/ { chosen { d { compatible = "xen,domain"; #address-cells = <1>; #size-cells = <1>;
  memory = <0 0x1000>; cpus = <${cpus}>; xen,enhanced = "no-xenstore";
  k { compatible = "multiboot,kernel", "multiboot,module"; reg = <0x80000000 0x1000>; };
  ${domainBody} }; }; };`;

  it("takes the platform CPU count from the options", () => {
    expect(lint(base("", 6), { platformCpus: 8 })).toEqual([]);
    expect(lint(base("", 6)).map((d) => d.code)).toEqual(["cpus-over-platform"]);
  });

  it("rejects a platform CPU count that is not a positive integer", () => {
    expect(() => lint(base(""), { platformCpus: 0 })).toThrow(RangeError);
  });

  it("allows a domU ports 1 to 1023, and a domain with the xenstore capability up to 4095 (2-level ABI)", () => {
    const body = `e1: e1 { compatible = "xen,evtchn-v1"; xen,evtchn = <1023 &e2>; };
      e2: e2 { compatible = "xen,evtchn-v1"; xen,evtchn = <1024 &e1>; };`;
    expect(lint(base(body)).map((d) => [d.code, d.path])).toEqual([["evtchn-port-invalid", "/chosen/d/e2"]]);
    const xs = base(body).replace('xen,enhanced = "no-xenstore";', 'xen,enhanced = "no-xenstore"; capabilities = <4>;');
    expect(lint(xs)).toEqual([]);
    expect(lint(xs.replace("<1024 &e1>", "<4096 &e1>")).map((d) => d.message)).toEqual([
      "e2 in d uses local port 4096: static channels are bound before a guest can choose FIFO, so the 2-level ABI's ports 1 to 4095 apply",
    ]);
  });

  it("port 0: a warning with the port Xen picks, and an error when a later channel asks for that port", () => {
    const body = `e1: e1 { compatible = "xen,evtchn-v1"; xen,evtchn = <0 &e2>; };
      e2: e2 { compatible = "xen,evtchn-v1"; xen,evtchn = <5 &e1>; };
      e3: e3 { compatible = "xen,evtchn-v1"; xen,evtchn = <1 &e4>; };
      e4: e4 { compatible = "xen,evtchn-v1"; xen,evtchn = <6 &e3>; };`;
    expect(lint(base(body)).map((d) => [d.code, d.severity, d.message])).toEqual([
      ["evtchn-port-zero", "warning", "e1 in d uses local port 0: Xen accepts this, but binds the first free port (1 here), which the guest cannot learn from its device tree; give the port number the guest uses"],
      ["evtchn-duplicate-port", "error", "e3 in d uses local port 1, already used by /chosen/d/e1"],
    ]);
  });

  it("a node that points at itself takes its port twice", () => {
    const body = `e1: e1 { compatible = "xen,evtchn-v1"; xen,evtchn = <3 &e1>; };`;
    expect(lint(base(body)).map((d) => d.message)).toEqual(["e1 in d uses local port 3, already used by /chosen/d/e1 (the node points at itself)"]);
  });

  it("accepts a kernel given only by reg, and one given only by v8r,image", () => {
    expect(lint(base(""))).toEqual([]);
    expect(lint(base("").replace('reg = <0x80000000 0x1000>;', 'v8r,image = "./g.js";'))).toEqual([]);
  });

  it("reports a kernel module with neither reg nor v8r,image", () => {
    const d = lint(base("").replace("reg = <0x80000000 0x1000>;", ""));
    expect(d.map((x) => [x.code, x.path])).toEqual([["property-missing", "/chosen/d/k"]]);
  });

  it("reports overlapping guest mappings of two regions in one domain", () => {
    const body = `s1 { compatible = "xen,domain-shared-memory-v1"; xen,shm-id = "a"; xen,shared-mem = <0x70000000 0x1000>; };
      s2 { compatible = "xen,domain-shared-memory-v1"; xen,shm-id = "b"; xen,shared-mem = <0x70000000 0x2000>; };`;
    expect(lint(base(body)).map((d) => [d.code, d.path])).toEqual([["shm-guest-overlap", "/chosen/d/s2"]]);
  });

  it("reports a host address given by one node and omitted by another as a range mismatch", () => {
    const body = `s1 { compatible = "xen,domain-shared-memory-v1"; xen,shm-id = "a"; xen,shared-mem = <0x7a000000 0x70000000 0x1000>; };`;
    const other = `e { compatible = "xen,domain"; memory = <0 0x1000>; cpus = <1>; #address-cells = <1>; #size-cells = <1>;
      k { compatible = "multiboot,kernel", "multiboot,module"; reg = <0x81000000 0x1000>; };
      s1 { compatible = "xen,domain-shared-memory-v1"; xen,shm-id = "a"; xen,shared-mem = <0x70000000 0x1000>; }; };`;
    const text = base(body).replace(/}; }; };$/, `}; ${other} }; };`);
    expect(lint(text).map((d) => [d.code, d.path])).toEqual([["shm-range-mismatch", "/chosen/e/s1"]]);
  });

  it("reports a dom0 region whose guest address differs from its host address (dom0 is mapped 1:1)", () => {
    const text = `/dts-v1/;
/ { chosen { #address-cells = <1>; #size-cells = <1>;
  s { compatible = "xen,domain-shared-memory-v1"; xen,shm-id = "a"; xen,shared-mem = <0x10000000 0x20000000 0x1000>; };
  ${base("").slice(base("").indexOf("d {"), base("").lastIndexOf("}; };"))} }; };`;
    expect(lint(text).map((d) => [d.code, d.path])).toEqual([["shm-direct-map-mismatch", "/chosen/s"]]);
  });

  it("reports property values of the wrong shape", () => {
    const body = `s1 { compatible = "xen,domain-shared-memory-v1"; xen,shm-id = "a"; xen,shared-mem = <1>; role = "lender"; };
      e1 { compatible = "xen,evtchn-v1"; xen,evtchn = <1>; };`;
    expect(lint(base(body)).map((d) => [d.code, d.path])).toEqual([
      ["property-invalid", "/chosen/d/s1"],
      ["property-invalid", "/chosen/d/s1"],
      ["property-invalid", "/chosen/d/e1"],
    ]);
  });

  it("finds an evtchn peer by phandle number when there is no label (as in a .dtb)", () => {
    const body = `e1 { compatible = "xen,evtchn-v1"; xen,evtchn = <1 0x20>; };
      e2 { compatible = "xen,evtchn-v1"; phandle = <0x20>; xen,evtchn = <2 0x99>; };`;
    expect(lint(base(body)).map((d) => [d.code, d.message])).toEqual([
      ["evtchn-peer-not-reciprocal", "e1 in d points at /chosen/d/e2, but that node points at phandle 0x99, not back at /chosen/d/e1"],
      ["evtchn-peer-missing", "e2 in d points at phandle 0x99, which is not defined"],
    ]);
  });

  it("throws ConfigError for text that does not parse", () => {
    expect(() => lint("/ { };", { file: "x.dts" })).toThrow(ConfigError);
  });
});

describe("lintSource", () => {
  it("returns a parse failure as one error diagnostic with the ConfigError code", () => {
    const r = lintSource({ text: "/dts-v1/;\n/ { a = <1> };", file: "bad.dts" });
    expect(r.config).toBeUndefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: "error", code: "syntax", file: "bad.dts", line: 2, column: 13 }),
    ]);
  });

  it("decodes .dts bytes as UTF-8 text and returns the config", () => {
    const bytes = readFileSync(`${FIXTURES}valid/v8r-demo.dts`);
    const r = lintSource({ bytes, file: "demo.dts" });
    expect(r.diagnostics).toEqual([]);
    expect(r.config?.domains.map((d) => d.name)).toEqual(["zephyr", "linux"]);
  });

  it("lints the same parsed tree as parseDts + lint", () => {
    const text = readFileSync(`${FIXTURES}invalid/shm-overlap.dts`, "utf8");
    expect(lintSource({ text, file: "a.dts" }).diagnostics).toEqual(lint(parseDts(text, { file: "a.dts" })));
  });
});
