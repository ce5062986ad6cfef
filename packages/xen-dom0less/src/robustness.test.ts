import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.ts";
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

  it("a deep nest of nodes parses without overflowing the stack", () => {
    const depth = 200;
    const text = `/dts-v1/;\n/ {${" n {".repeat(depth)}${" };".repeat(depth)} };`;
    expect(parseDts(text).root.children).toHaveLength(1);
  });
});
