import { describe, expect, it } from "vitest";
import { describeRootFs } from "../test/rootfs-conformance.ts";
import { MemoryRootFs } from "./rootfs-memory.ts";

describeRootFs("MemoryRootFs", async () => ({ fs: new MemoryRootFs() }));

describe("MemoryRootFs", () => {
  it("stamps modification times from the injected clock", async () => {
    let now = 1000;
    const fs = new MemoryRootFs({ now: () => now });
    now = 5000;
    await fs.writeText("/f", "x");
    expect((await fs.stat("/f")).mtimeMs).toBe(5000);
  });

  it("refuses to move a directory into itself", async () => {
    const fs = new MemoryRootFs();
    await fs.mkdir("/a/b", { recursive: true });
    await expect(fs.rename("/a", "/a/b/c")).rejects.toMatchObject({ code: "EINVAL" });
  });
});
