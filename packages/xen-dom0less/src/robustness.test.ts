import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.ts";
import { MAX_CONFIG_BYTES } from "./config-file-error.ts";
import { MAX_NODE_DEPTH } from "./device-tree.ts";
import { readDtb } from "./dtb-reader.ts";
import { parseDts } from "./dts-parser.ts";
import { lint, lintSource } from "./lint.ts";
import { compileDtb, FIXTURES } from "../test/_dtc.ts";

/** Runs `fn`; passes when it returns or throws a ConfigError, fails on any other exception. */
function onlyConfigErrors(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    if (err instanceof ConfigError) return true;
    throw err;
  }
}

describe("bad input gets a ConfigError, never a crash", () => {
  const demo = readFileSync(`${FIXTURES}valid/v8r-demo.dts`, "utf8");

  it("parseDts + lint on the demo config with a slice cut out or a character replaced", () => {
    fc.assert(
      fc.property(fc.nat(demo.length), fc.nat(40), fc.string({ maxLength: 3 }), (at, cut, insert) => {
        const text = demo.slice(0, at) + insert + demo.slice(at + cut);
        return onlyConfigErrors(() => lint(text, { file: "fuzz.dts" }));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("readDtb + lint on a compiled blob with random bytes overwritten", () => {
    const blob = compileDtb(`${FIXTURES}valid/xen-doc-static-evtchn.dts`).bytes;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(blob.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const b = blob.slice();
        for (const [i, v] of edits) b[i] = v;
        return onlyConfigErrors(() => lint(readDtb(b, { file: "fuzz.dtb" })));
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it("lintSource turns every failure into diagnostics", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const withMagic = Uint8Array.of(0xd0, 0x0d, 0xfe, 0xed, ...bytes);
        expect(() => lintSource({ bytes: withMagic, file: "x.dtb" })).not.toThrow();
        expect(() => lintSource({ bytes, file: "x.dts" })).not.toThrow();
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it("a nest of 64 nodes below the root parses", () => {
    const depth = MAX_NODE_DEPTH;
    const tree = parseDts(`/dts-v1/;\n/ {${" n {".repeat(depth)}${" };".repeat(depth)} };`);
    let node = tree.root;
    for (let i = 0; i < depth; i++) node = node.children[0] ?? node;
    expect(node.path.split("/").length - 1).toBe(depth);
  });
});

describe("inputs that used to overflow the stack get a positioned error", () => {
  /** The ConfigError `fn` throws. */
  const errorOf = (fn: () => unknown): ConfigError => {
    try {
      fn();
    } catch (err) {
      if (err instanceof ConfigError) return err;
      throw err;
    }
    throw new Error("expected a ConfigError");
  };

  it("10,000 nested nodes: nesting-too-deep at the 65th node's name (regression: RangeError in DtsLexer.next)", () => {
    const text = `/dts-v1/;\n/ {${" n {".repeat(10_000)}${" };".repeat(10_000)} };`;
    const err = errorOf(() => parseDts(text, { file: "deep.dts" }));
    expect([err.code, err.file, err.line, err.column]).toEqual(["nesting-too-deep", "deep.dts", 2, 4 + 4 * MAX_NODE_DEPTH + 1]);
    expect(err.message).toContain("nested more than 64 levels below the root");
    expect(lintSource({ text, file: "deep.dts" }).diagnostics.map((d) => [d.code, d.line])).toEqual([["nesting-too-deep", 2]]);
  });

  it("nesting continued through &label { } is counted from the node's real depth", () => {
    const half = MAX_NODE_DEPTH / 2;
    const text = `/dts-v1/;\n/ {${" n {".repeat(half)} l: m { };${" };".repeat(half)} };\n&l {${" n {".repeat(half)}${" };".repeat(half)} };`;
    expect(errorOf(() => parseDts(text)).code).toBe("nesting-too-deep");
  });

  it.each([
    ["10,000 unary minus signs", `(${"-".repeat(10_000)}1)`],
    ["10,000 parentheses", `${"(".repeat(10_000)}1${")".repeat(10_000)}`],
    ["10,000 nested ?:", `(${"1 ? ".repeat(10_000)}1${" : 0".repeat(10_000)})`],
  ])("an expression with %s: nesting-too-deep", (_what, expr) => {
    const err = errorOf(() => parseDts(`/dts-v1/;\n/ { p = <${expr}>; };`));
    expect([err.code, err.line]).toEqual(["nesting-too-deep", 2]);
  });

  it("a .dtb nested 10,000 deep is refused as invalid", () => {
    const words: number[] = [0xd00dfeed, 0, 40, 0, 40, 17, 16, 0, 0, 0];
    const body: number[] = [];
    for (let i = 0; i < 10_000; i++) body.push(1, 0); // FDT_BEGIN_NODE "" (name padded to 4 bytes)
    for (let i = 0; i < 10_000; i++) body.push(2);
    body.push(9);
    const rsv = [0, 0, 0, 0];
    const all = [...words, ...rsv, ...body];
    all[1] = all.length * 4; // totalsize
    all[2] = (words.length + rsv.length) * 4; // off_dt_struct
    all[3] = all.length * 4; // off_dt_strings (empty)
    all[9] = body.length * 4; // size_dt_struct
    const bytes = new Uint8Array(all.length * 4);
    const view = new DataView(bytes.buffer);
    all.forEach((w, i) => view.setUint32(i * 4, w >>> 0));
    const err = errorOf(() => readDtb(bytes, { file: "deep.dtb" }));
    expect([err.code, err.detail]).toEqual(["dtb-invalid", "cannot read the device tree blob: nodes are nested more than 64 deep"]);
  });
});

describe("lexing is linear (timings are in bench/parse.bench.ts; these check the results)", () => {
  it("parses 20,000 labelled nodes, each found by its label", () => {
    let text = "/dts-v1/;\n/ {\n";
    for (let i = 0; i < 20_000; i++) text += `\tl${i}: node@${i.toString(16)} { reg = <${i}>; ref = <&l${(i * 7) % 20_000}>; };\n`;
    const tree = parseDts(`${text}};\n`);
    expect(tree.root.children).toHaveLength(20_000);
    expect(tree.root.children[19_999]?.labels).toEqual(["l19999"]);
  });

  it("parses a 1 MB string literal with escapes", () => {
    const body = `${"a".repeat(500_000)}\\n${"é".repeat(250_000)}`;
    const tree = parseDts(`/dts-v1/;\n/ { s = "${body}"; };`);
    const value = tree.root.properties[0]?.value;
    expect(value?.length).toBe(500_000 + 1 + 500_000 + 1);
    expect(value?.[500_000]).toBe(10);
  });

  it("lintSource refuses input over MAX_CONFIG_BYTES before parsing it", () => {
    const { diagnostics } = lintSource({ bytes: new Uint8Array(MAX_CONFIG_BYTES + 1), file: "big.dts" });
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["input-too-large", "it is 4194305 bytes; device trees are read up to 4 MiB (Xen itself maps at most 2 MiB)"],
    ]);
  });
});
