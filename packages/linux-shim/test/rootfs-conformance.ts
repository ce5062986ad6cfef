/** Test helper: one behaviour suite run against every RootFs implementation. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RootFsError, type RootFs } from "../src/rootfs.ts";

/** A fresh file system for one test, and how to dispose of it. */
export interface RootFsFixture {
  readonly fs: RootFs;
  readonly dispose?: () => Promise<void>;
}

function code(err: unknown): string | undefined {
  return err instanceof RootFsError ? err.code : undefined;
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the operation to fail");
}

/** Define the shared RootFs suite for one implementation. */
export function describeRootFs(name: string, make: () => Promise<RootFsFixture>): void {
  describe(`RootFs conformance: ${name}`, () => {
    let fixture: RootFsFixture;
    let fs: RootFs;
    beforeEach(async () => {
      fixture = await make();
      fs = fixture.fs;
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    it("writes and reads back bytes and text", async () => {
      await fs.writeFile("/a.bin", new Uint8Array([1, 2, 3]));
      expect([...(await fs.readFile("/a.bin"))]).toEqual([1, 2, 3]);
      await fs.writeText("/t.txt", "grüße");
      expect(await fs.readText("/t.txt")).toBe("grüße");
      expect((await fs.stat("/t.txt")).size).toBe(7);
    });

    it("mkdir recursive creates parents and tolerates an existing directory", async () => {
      await fs.mkdir("/usr/share/nginx/html", { recursive: true });
      await fs.mkdir("/usr/share/nginx/html", { recursive: true });
      expect((await fs.stat("/usr/share/nginx/html")).kind).toBe("directory");
      expect(await fs.readdir("/usr/share")).toEqual(["nginx"]);
    });

    it.each([
      ["mkdir without parents", (f: RootFs) => f.mkdir("/x/y"), "ENOENT"],
      ["mkdir of an existing directory", async (f: RootFs) => { await f.mkdir("/d"); await f.mkdir("/d"); }, "EEXIST"],
      ["reading a missing file", (f: RootFs) => f.readFile("/missing"), "ENOENT"],
      ["reading a directory", async (f: RootFs) => { await f.mkdir("/d"); await f.readFile("/d"); }, "EISDIR"],
      ["writing into a missing directory", (f: RootFs) => f.writeText("/nope/x", "1"), "ENOENT"],
      ["readdir of a file", async (f: RootFs) => { await f.writeText("/f", "1"); await f.readdir("/f"); }, "ENOTDIR"],
      ["rm of a directory without recursive", async (f: RootFs) => { await f.mkdir("/d"); await f.rm("/d"); }, "EISDIR"],
      ["rm of a missing file", (f: RootFs) => f.rm("/missing"), "ENOENT"],
      ["rename of a missing file", (f: RootFs) => f.rename("/missing", "/x"), "ENOENT"],
    ])("%s fails with %s", async (_label, op, expected) => {
      const err = await failure(op(fs));
      expect(code(err)).toBe(expected);
      expect((err as Error).message).toMatch(/^\[linux-shim\] /);
    });

    it("rename replaces the target file in one step", async () => {
      await fs.writeText("/target", "old");
      await fs.writeText("/.target.tmp", "new");
      await fs.rename("/.target.tmp", "/target");
      expect(await fs.readText("/target")).toBe("new");
      expect(await fs.exists("/.target.tmp")).toBe(false);
    });

    it("resolves . and .. and never goes above /", async () => {
      await fs.mkdir("/etc");
      await fs.writeText("/etc/../../../etc/./hostname", "linux");
      expect(await fs.readText("/etc/hostname")).toBe("linux");
      expect(await fs.readdir("/..")).toContain("etc");
    });

    it("rm recursive removes a tree and force ignores a missing path", async () => {
      await fs.mkdir("/var/log", { recursive: true });
      await fs.writeText("/var/log/messages", "x");
      await fs.rm("/var", { recursive: true });
      expect(await fs.exists("/var")).toBe(false);
      await fs.rm("/var", { force: true });
    });

    it("stat reports kind and a modification time", async () => {
      await fs.writeText("/f", "abc");
      const st = await fs.stat("/f");
      expect(st.kind).toBe("file");
      expect(st.mtimeMs).toBeGreaterThan(0);
    });

    it.each([["relative"], ["no/leading/slash"], ["/nul\0byte"]])("rejects the malformed path %j with TypeError", async (p) => {
      await expect(fs.readFile(p)).rejects.toBeInstanceOf(TypeError);
    });

    it("returns copies: changing a buffer read or written does not change the file", async () => {
      const data = new Uint8Array([9, 9]);
      await fs.writeFile("/c", data);
      data[0] = 0;
      const read = await fs.readFile("/c");
      read[1] = 0;
      expect([...(await fs.readFile("/c"))]).toEqual([9, 9]);
    });
  });
}
