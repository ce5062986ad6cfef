import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.ts";
import { walkNodes, type DeviceTree } from "./device-tree.ts";
import { loadDom0lessConfig, type Dom0lessConfig } from "./dom0less-config.ts";
import { readDtb } from "./dtb-reader.ts";
import { parseDts } from "./dts-parser.ts";
import { lint } from "./lint.ts";
import { compileDtb, FIXTURES } from "../test/_dtc.ts";
import { INVALID_CASES } from "../test/_invalid-cases.ts";

const readFile = (p: string): string | undefined => (existsSync(p) ? readFileSync(p, "utf8") : undefined);

/** The config without source locations and file names, which differ between .dts and .dtb by design. */
function comparable(config: Dom0lessConfig): unknown {
  return JSON.parse(JSON.stringify(config, (k, v: unknown) => (k === "loc" || k === "source" || k === "peerRef" ? undefined : v)));
}

function shape(tree: DeviceTree): string[] {
  const out: string[] = [];
  walkNodes(tree.root, (n) => {
    for (const p of n.properties) {
      if (p.name !== "phandle") out.push(`${n.path}:${p.name}=${Array.from(p.value).join(",")}`);
    }
  });
  return out.sort();
}

const VALID = ["v8r-demo.dts", "xen-doc-dom0less.dts", "xen-doc-static-mem.dts", "xen-doc-static-shm.dts", "xen-doc-static-evtchn.dts", "armv8r-static.dts", "with-include.dts"];

describe("readDtb on blobs built by dtc", () => {
  it.each(VALID)("%s: the .dtb gives the same config as the .dts and lints clean", (name) => {
    const dts = `${FIXTURES}valid/${name}`;
    const dtb = compileDtb(dts);
    const fromDtb = readDtb(dtb.bytes, { file: dtb.path });
    const fromDts = parseDts(readFileSync(dts, "utf8"), { file: dts, readFile });
    expect(fromDtb.format).toBe("dtb");
    expect(comparable(loadDom0lessConfig(fromDtb).config)).toEqual(comparable(loadDom0lessConfig(fromDts).config));
    expect(lint(fromDtb)).toEqual([]);
  });

  it("reads every property as the same bytes dtc wrote (phandle values aside)", () => {
    const dts = `${FIXTURES}valid/with-include.dts`;
    const fromDtb = readDtb(compileDtb(dts).bytes);
    const fromDts = parseDts(readFileSync(dts, "utf8"), { file: dts, readFile });
    const noPhandleCells = (lines: string[]) => lines.filter((l) => !l.includes(":xen,evtchn="));
    expect(noPhandleCells(shape(fromDtb))).toEqual(noPhandleCells(shape(fromDts)));
    expect(fromDtb.memoryReservations).toEqual([{ address: 0x7c000000n, size: 0x2000000n }]);
  });

  const compilable = INVALID_CASES.filter(([name]) => name !== "evtchn-peer-missing" && name !== "unresolved-reference");
  it.each(compilable)("invalid/%s: the .dtb gives the same codes at the same node paths, without lines", (name) => {
    const dts = `${FIXTURES}invalid/${name}.dts`;
    const dtb = compileDtb(dts);
    const fromDtb = lint(readDtb(dtb.bytes, { file: dtb.path }));
    const fromDts = lint(parseDts(readFileSync(dts, "utf8"), { file: dts }));
    const key = (d: { code: string; path: string }) => `${d.code} ${d.path}`;
    expect(fromDtb.map(key).sort()).toEqual(fromDts.map(key).sort());
    for (const d of fromDtb) expect([d.file, d.line, d.column]).toEqual([dtb.path, 0, 0]);
  });
});

describe("readDtb on malformed blobs", () => {
  const good = (): Uint8Array => compileDtb(`${FIXTURES}valid/v8r-demo.dts`).bytes.slice();
  const setU32 = (b: Uint8Array, off: number, v: number): Uint8Array => {
    new DataView(b.buffer, b.byteOffset).setUint32(off, v);
    return b;
  };
  const u32 = (b: Uint8Array, off: number): number => new DataView(b.buffer, b.byteOffset).getUint32(off);

  it.each([
    ["a blob shorter than the header", () => new Uint8Array(12), /shorter than the 40-byte header/],
    ["a wrong magic number", () => setU32(good(), 0, 0x12345678), /bad magic 0x12345678/],
    ["a truncated blob", () => good().slice(0, 200), /header says \d+ bytes but only 200/],
    ["a version older than 16", () => setU32(good(), 20, 15), /version 15 is older than 16/],
    ["a strings block past the end", () => { const b = good(); return setU32(b, 32, u32(b, 4)); }, /strings block runs past/],
    ["an unknown structure token", () => { const b = good(); return setU32(b, u32(b, 8), 7); }, /unknown structure token 0x7/],
    ["a property name outside the strings block", () => {
      const b = good();
      const s = u32(b, 8);
      const nameLen = (b.indexOf(0, s + 4) - (s + 4) + 4) & ~3;
      return setU32(b, s + 4 + nameLen + 8, 0xffff);
    }, /name offset 65535 is outside the strings block/],
  ])("rejects %s with a dtb-invalid ConfigError", (_what, make, message) => {
    let caught: unknown;
    try {
      readDtb(make(), { file: "bad.dtb" });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught).toMatchObject({ code: "dtb-invalid", file: "bad.dtb", line: 0, column: 0 });
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).toMatch(/^\[xen-dom0less\] bad\.dtb: cannot read the device tree blob: /);
  });

  it("reads a blob that sits at an offset inside a larger buffer", () => {
    const b = good();
    const big = new Uint8Array(b.length + 8);
    big.set(b, 8);
    const tree = readDtb(big.subarray(8));
    expect(loadDom0lessConfig(tree).config.domains.map((d) => d.name)).toEqual(["zephyr", "linux"]);
  });
});
