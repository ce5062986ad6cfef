import { execFileSync } from "node:child_process";
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigFileError, MAX_CONFIG_BYTES, readConfigFile, readIncludedFile } from "./node.ts";

const dir = mkdtempSync(join(tmpdir(), "xen-dom0less-node-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A sparse file of `size` bytes: reading it whole would take long and use `size` bytes of memory. */
function sparse(name: string, size: number): string {
  const path = join(dir, name);
  const fd = openSync(path, "w");
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

function errorOf(fn: () => unknown): ConfigFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigFileError) return err;
    throw err;
  }
  throw new Error("expected a ConfigFileError");
}

describe("readConfigFile", () => {
  it("reads a regular file whole", () => {
    const path = join(dir, "ok.dts");
    writeFileSync(path, "/dts-v1/;\n/ { };\n");
    expect(new TextDecoder().decode(readConfigFile(path))).toBe("/dts-v1/;\n/ { };\n");
  });

  it("refuses /dev/zero at once: a character device is not a regular file (regression: it read forever)", () => {
    const err = errorOf(() => readConfigFile("/dev/zero"));
    expect([err.code, err.detail]).toEqual(["not-a-file", "it is a character device, not a regular file"]);
    expect(err.message).toBe("[xen-dom0less] reading /dev/zero: it is a character device, not a regular file");
  });

  it("refuses a FIFO without opening it (opening would block until a writer comes)", () => {
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    expect(errorOf(() => readConfigFile(fifo)).detail).toBe("it is a FIFO, not a regular file");
  });

  it("refuses a directory", () => {
    const sub = join(dir, "sub");
    mkdirSync(sub);
    expect(errorOf(() => readConfigFile(sub)).code).toBe("not-a-file");
  });

  it("refuses a file over the limit before reading it", () => {
    const huge = sparse("huge.dtb", 1 << 30);
    const err = errorOf(() => readConfigFile(huge));
    expect([err.code, err.detail]).toEqual(["too-large", "it is 1024 MiB; device trees are read up to 4 MiB (Xen itself maps at most 2 MiB)"]);
  });

  it("reads a file of exactly the limit and refuses one byte more", () => {
    expect(readConfigFile(sparse("max.dts", MAX_CONFIG_BYTES)).length).toBe(MAX_CONFIG_BYTES);
    expect(errorOf(() => readConfigFile(sparse("over.dts", MAX_CONFIG_BYTES + 1))).code).toBe("too-large");
  });

  it("says when a file does not exist", () => {
    const err = errorOf(() => readConfigFile(join(dir, "nope.dts")));
    expect([err.code, err.detail]).toEqual(["not-found", "no such file"]);
  });
});

describe("readIncludedFile", () => {
  it("returns undefined for a missing file, so the parser reports include-not-found", () => {
    expect(readIncludedFile(join(dir, "missing.dtsi"))).toBeUndefined();
  });

  it("throws for a file that exists but cannot be read within the limits", () => {
    expect(() => readIncludedFile("/dev/zero")).toThrow(ConfigFileError);
  });
});
