import { describe, expect, it } from "vitest";
import { MemoryRootFs } from "./rootfs-memory.ts";
import type { RootFs } from "./rootfs.ts";
import { writeFileAtomic } from "./write-file-atomic.ts";

describe("writeFileAtomic", () => {
  it("leaves only the target behind and replaces its content", async () => {
    const fs = new MemoryRootFs();
    await fs.mkdir("/d");
    await writeFileAtomic(fs, "/d/f.txt", "one");
    await writeFileAtomic(fs, "/d/f.txt", "two");
    expect(await fs.readText("/d/f.txt")).toBe("two");
    expect(await fs.readdir("/d")).toEqual(["f.txt"]);
  });

  it("writes the temporary file as a dot file beside the target and removes it when the rename fails", async () => {
    const fs = new MemoryRootFs();
    await fs.mkdir("/d");
    const temps: string[] = [];
    const failing: RootFs = {
      readFile: (p) => fs.readFile(p), readText: (p) => fs.readText(p), writeText: (p, t) => fs.writeText(p, t),
      mkdir: (p, o) => fs.mkdir(p, o), readdir: (p) => fs.readdir(p), stat: (p) => fs.stat(p),
      exists: (p) => fs.exists(p), rm: (p, o) => fs.rm(p, o),
      writeFile: (p, d) => { temps.push(p); return fs.writeFile(p, d); },
      rename: async () => { throw new Error("rename failed"); },
    };
    await expect(writeFileAtomic(failing, "/d/status.html", "x")).rejects.toThrow("rename failed");
    expect(temps[0]).toMatch(/^\/d\/\.status\.html\.[0-9a-f]{12}\.tmp$/);
    expect(await fs.readdir("/d")).toEqual([]);
  });

  it("rejects a directory path", async () => {
    await expect(writeFileAtomic(new MemoryRootFs(), "/", "x")).rejects.toThrow(TypeError);
  });
});
