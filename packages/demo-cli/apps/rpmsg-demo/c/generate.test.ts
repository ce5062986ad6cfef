// The generated C headers are what the generator writes from the TypeScript
// protocol tables today: a change to a table without running the generator
// fails here, and the C apps would not build against stale tables.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CTRL_SCHEMA, STATUS_SCHEMA } from "../protocol/mod.ts";
import { cString, generatedFiles, generateProtocolHeader } from "./generate.ts";

describe("the generated C side of the protocol", () => {
  it.each(generatedFiles().map((f) => [f.file, f.text] as const))("%s is up to date (npx tsx --conditions=source packages/demo-cli/apps/rpmsg-demo/c/generate.ts)", (file, text) => {
    expect(readFileSync(new URL(file, import.meta.url), "utf8")).toBe(text);
  });

  it("has a row per status field and per command, in the tables' order", () => {
    const header = generateProtocolHeader();
    const keys = [...header.matchAll(/\{ \.key = "([^"]+)", \.kind = RD_KIND_/g)].map((m) => m[1]);
    expect(keys).toEqual(STATUS_SCHEMA.fields.map((f) => f.key));
    const cmds = [...header.matchAll(/\{ \.cmd = "([^"]+)"/g)].map((m) => m[1]);
    expect(cmds).toEqual(CTRL_SCHEMA.commands.map((c) => c.cmd));
  });

  it("writes C string literals that keep quotes, backslashes, newlines and UTF-8 bytes", () => {
    expect(cString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\n"\n\t"d"');
    expect(cString("é")).toBe('"\\303\\251"');
  });
});
