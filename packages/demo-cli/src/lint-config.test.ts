import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliIo } from "./cli-main.ts";
import { LINT_EXIT_CODES, lintConfigFile, lintExitCode } from "./lint-config.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "v8r-lint-config-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function io(): { io: CliIo; stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (t: string) => void out.push(t) }, stderr: { write: (t: string) => void err.push(t) }, env: {} },
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}

describe("v8r-demo lint on inputs that are not device-tree files", () => {
  it("refuses /dev/zero at once with exit 2 instead of reading it forever (regression)", async () => {
    const t = io();
    expect(await runCli(["lint", "/dev/zero"], t.io)).toBe(LINT_EXIT_CODES.unreadable);
    expect(t.stderr()).toBe("[v8r-demo] reading the config /dev/zero: it is a character device, not a regular file\n");
  });

  it("refuses a directory the same way", async () => {
    await expect(lintConfigFile(dir)).rejects.toThrow(`[v8r-demo] reading the config ${dir}: it is a directory, not a regular file`);
  });

  it("reports an /include/ of /dev/zero as an error in the file, not a hang", async () => {
    const file = join(dir, "inc.dts");
    await writeFile(file, '/dts-v1/;\n/include/ "/dev/zero"\n/ { };\n');
    const report = await lintConfigFile(file);
    expect(report.diagnostics.map((d) => [d.code, d.line])).toEqual([["include-unreadable", 2]]);
    expect(lintExitCode(report)).toBe(LINT_EXIT_CODES.errors);
  });
});
