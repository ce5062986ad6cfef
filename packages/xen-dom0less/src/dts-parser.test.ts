import { readFileSync, existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.ts";
import { findNode, getProperty, propertyStrings, type DeviceTree } from "./device-tree.ts";
import { parseDts, resolveIncludePath } from "./dts-parser.ts";
import { FIXTURES } from "../test/_dtc.ts";

const hexOf = (tree: DeviceTree, path: string, prop: string): string => {
  const node = findNode(tree, path);
  const p = node === undefined ? undefined : getProperty(node, prop);
  if (p === undefined) throw new Error(`no ${prop} at ${path}`);
  return Array.from(p.value, (b) => b.toString(16).padStart(2, "0")).join("");
};

const one = (value: string): string => hexOf(parseDts(`/dts-v1/;\n/ { p = ${value}; };`), "/", "p");

const diskReader = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, "utf8") : undefined);

describe("parseDts values", () => {
  it.each([
    ['"abc"', "61626300"],
    ['"a", "bc"', "6100626300"],
    ['"tab\\there"', "746162096865726500"],
    ['"\\x41\\101"', "414100"],
    ["<0x1 10>", "000000010000000a"],
    ["<0x0 0x4000>", "0000000000004000"],
    ["<017>", "0000000f"],
    ["<'A'>", "00000041"],
    ["<(2 + 3 * 4) (1 << 4) (~0 & 0xff) (7 / 2) (7 % 4) (1 ? 5 : 6) (-1)>", "0000000e" + "00000010" + "000000ff" + "00000003" + "00000003" + "00000005" + "ffffffff"],
    ["[de ad be ef]", "deadbeef"],
    ["[deadbeef]", "deadbeef"],
    ["/bits/ 8 <1 2 0xff>", "0102ff"],
    ["/bits/ 16 <0x1234>", "1234"],
    ["/bits/ 64 <0x100000000>", "0000000100000000"],
    ["<1>, \"x\", [ff]", "000000017800ff"],
    ["<0x10UL>", "00000010"],
  ])("encodes %s as the bytes a .dtb holds", (value, expected) => {
    expect(one(value)).toBe(expected);
  });

  it("reads an empty property as zero bytes", () => {
    const tree = parseDts("/dts-v1/;\n/ { vpl011; };");
    expect(getProperty(tree.root, "vpl011")?.value.length).toBe(0);
  });

  it("skips // and /* */ comments anywhere between tokens", () => {
    const tree = parseDts("/dts-v1/; // header\n/ { /* c */ a /* c */ = /* c */ <1> /* c */ ; // end\n};");
    expect(hexOf(tree, "/", "a")).toBe("00000001");
  });
});

describe("parseDts nodes and references", () => {
  const text = `/dts-v1/;
/ {
	chosen {
		alias = &ec2;
		path-ref = <&{/chosen/domU2}>;
		ec1: evtchn@1 { xen,evtchn = <0xa &ec2>; };
		domU2 { ec2: evtchn@2 { xen,evtchn = <0xa &ec1>; }; };
	};
};
`;

  it("gives unit address, path and labels to each node", () => {
    const tree = parseDts(text, { file: "t.dts" });
    const ec1 = findNode(tree, "/chosen/evtchn@1");
    expect(ec1).toMatchObject({ name: "evtchn", unitAddress: "1", fullName: "evtchn@1", labels: ["ec1"] });
    expect(ec1?.loc).toEqual({ file: "t.dts", line: 6, column: 3 });
  });

  it("resolves &label inside cells to the target's phandle and gives the target one", () => {
    const tree = parseDts(text);
    const ec1 = findNode(tree, "/chosen/evtchn@1");
    const ec2 = findNode(tree, "/chosen/domU2/evtchn@2");
    const ph1 = hexOf(tree, "/chosen/evtchn@1", "phandle");
    const ph2 = hexOf(tree, "/chosen/domU2/evtchn@2", "phandle");
    expect(ph1).not.toBe(ph2);
    expect(hexOf(tree, "/chosen/evtchn@1", "xen,evtchn")).toBe(`0000000a${ph2}`);
    expect(getProperty(ec1!, "xen,evtchn")?.refs[0]).toMatchObject({ kind: "phandle", offset: 4, target: "ec2", resolvedPath: ec2?.path });
  });

  it("turns &label outside cells into the target's path string", () => {
    const tree = parseDts(text);
    expect(propertyStrings(getProperty(findNode(tree, "/chosen")!, "alias")!)).toEqual(["/chosen/domU2/evtchn@2"]);
  });

  it("resolves &{/path} references", () => {
    const tree = parseDts(text);
    const p = getProperty(findNode(tree, "/chosen")!, "path-ref")!;
    expect(p.refs[0]?.resolvedPath).toBe("/chosen/domU2");
  });

  it("keeps a reference to an undefined label unresolved instead of failing", () => {
    const tree = parseDts("/dts-v1/;\n/ { n { xen,evtchn = <1 &nowhere>; }; };");
    const p = getProperty(findNode(tree, "/n")!, "xen,evtchn")!;
    expect(p.refs[0]).toMatchObject({ target: "nowhere", resolvedPath: undefined, loc: { line: 2, column: 25 } });
    expect(hexOf(tree, "/n", "xen,evtchn")).toBe("00000001ffffffff");
  });

  it("keeps an explicit phandle and does not hand it out again", () => {
    const tree = parseDts("/dts-v1/;\n/ { r = <&a &b>; a: a { phandle = <1>; }; b: b { }; };");
    expect(hexOf(tree, "/", "r")).toBe("0000000100000002");
  });

  it("merges a node defined twice and lets the later property win", () => {
    const tree = parseDts("/dts-v1/;\n/ { n { a = <1>; b = <2>; }; };\n/ { n { a = <3>; c; }; };");
    const n = findNode(tree, "/n")!;
    expect(n.properties.map((p) => p.name)).toEqual(["a", "b", "c"]);
    expect(hexOf(tree, "/n", "a")).toBe("00000003");
    expect(getProperty(n, "a")?.loc.line).toBe(3);
  });

  it("applies &label { } overrides, /delete-node/ and /delete-property/", () => {
    const tree = parseDts(
      "/dts-v1/;\n/ { d: d { p; q; x { }; y: y { }; }; };\n&d { /delete-property/ p; /delete-node/ x; };\n/delete-node/ &y;",
    );
    const d = findNode(tree, "/d")!;
    expect(d.properties.map((p) => p.name)).toEqual(["q"]);
    expect(d.children).toEqual([]);
  });

  it("accepts /omit-if-no-ref/ at the top level and on a node, keeping the node", () => {
    const tree = parseDts("/dts-v1/;\n/ { /omit-if-no-ref/ a: a { }; b: b { }; };\n/omit-if-no-ref/ &b;");
    expect(tree.root.children.map((c) => c.path)).toEqual(["/a", "/b"]);
  });

  it("records /memreserve/ entries", () => {
    const tree = parseDts("/dts-v1/;\n/memreserve/ 0x7a000000 0x2000000;\n/ { };");
    expect(tree.memoryReservations).toEqual([{ address: 0x7a000000n, size: 0x2000000n }]);
  });
});

describe("parseDts includes", () => {
  it("reads /include/ relative to the including file and records positions in the included file", () => {
    const files: Record<string, string> = {
      "cfg/main.dts": '/dts-v1/;\n/include/ "parts/dom.dtsi"\n/ { top; };',
      "cfg/parts/dom.dtsi": "/ {\n  chosen { };\n};\n",
    };
    const tree = parseDts(files["cfg/main.dts"]!, { file: "cfg/main.dts", readFile: (p) => files[p] });
    expect(findNode(tree, "/chosen")?.loc).toEqual({ file: "cfg/parts/dom.dtsi", line: 2, column: 3 });
    expect(getProperty(tree.root, "top")?.loc.file).toBe("cfg/main.dts");
  });

  it("reads the include fixture from disk like dtc does", () => {
    const file = `${FIXTURES}valid/with-include.dts`;
    const tree = parseDts(readFileSync(file, "utf8"), { file, readFile: diskReader });
    expect(findNode(tree, "/chosen/zephyr/scratch")).toBeUndefined();
    expect(getProperty(findNode(tree, "/chosen/zephyr")!, "vpl011")).toBeDefined();
    expect(findNode(tree, "/chosen/linux/kernel")?.loc.file).toBe(`${FIXTURES}valid/demo-domains.dtsi`);
  });

  it.each([
    ["a.dts", "b.dtsi", "b.dtsi"],
    ["dir/a.dts", "../x/b.dtsi", "x/b.dtsi"],
    ["/abs/dir/a.dts", "./b.dtsi", "/abs/dir/b.dtsi"],
    ["dir/a.dts", "/etc/b.dtsi", "/etc/b.dtsi"],
  ])("resolves an include of %s -> %s to %s", (from, name, expected) => {
    expect(resolveIncludePath(from, name)).toBe(expected);
  });
});

describe("parseDts errors", () => {
  it.each([
    ["syntax.dts", "syntax", 7, 2, "expected , or ; after the value of xen,xen-bootargs"],
    ["missing-version.dts", "missing-version", 2, 1, "/dts-v1/;"],
    ["include-not-found.dts", "include-not-found", 4, 1, "no-such-file.dtsi"],
    ["duplicate-label.dts", "duplicate-label", 9, 3, "label ec1 is already on /chosen/evtchn@1"],
    ["undefined-label.dts", "undefined-label", 9, 1, "&domU9"],
    ["value-out-of-range.dts", "value-out-of-range", 5, 24, "does not fit in 8 bits"],
    ["unclosed-node.dts", "syntax", 7, 1, "} to close /chosen"],
    ["unclosed-comment.dts", "syntax", 4, 2, "never closed"],
  ])("%s fails with %s at %i:%i", (name, code, line, column, fragment) => {
    const file = `${FIXTURES}parse-errors/${name}`;
    let caught: unknown;
    try {
      parseDts(readFileSync(file, "utf8"), { file, readFile: diskReader });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught).toMatchObject({ code, file, line, column });
    expect((caught as Error).message).toContain(fragment);
    expect((caught as Error).message).toMatch(new RegExp(`^\\[xen-dom0less\\] .*${name}:${line}:${column}: `));
  });

  it("names the include chain of a cycle and the line of the closing include", () => {
    const file = `${FIXTURES}parse-errors/cycle-a.dts`;
    const run = (): unknown => parseDts(readFileSync(file, "utf8"), { file, readFile: diskReader });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (err) {
      expect(err).toMatchObject({ code: "include-cycle", file: `${FIXTURES}parse-errors/cycle-b.dtsi`, line: 2, column: 1 });
      expect((err as Error).message).toContain("cycle-a.dts -> ");
    }
  });

  it("says that no readFile was given when an include cannot be read", () => {
    expect(() => parseDts('/dts-v1/;\n/include/ "x.dtsi"\n/ { };')).toThrow(/no readFile was given/);
  });

  it.each([
    ["/ { a = <1 2; };", "expected a cell value or >"],
    ["/ { a = <&>; };", "expected a cell value or >, found \"&\""],
    ['/ { a = "x; };', "string is not closed"],
    ["/ { a = [1]; };", "pairs of hex digits"],
    ["/ { a = /bits/ 12 <1>; };", "/bits/ needs 8, 16, 32 or 64"],
    ["/ { a = <(1 / 0)>; };", "division by zero"],
    ["/ { n { }; a = <1>; };", "properties must precede subnodes"],
    ["/ { a = <0x1g>; };", "malformed number"],
    ["/ { a = <1> };", "expected , or ;"],
    ["/ { a = <0x100000000>; };", "does not fit in 32 bits"],
    ['#include "board.dtsi"\n/ { };', "C preprocessor directive #include is not supported"],
  ])("rejects %s", (body, fragment) => {
    expect(() => parseDts(`/dts-v1/;\n${body}`)).toThrow(fragment);
  });
});
