import { MemoryWindow } from "@v8r/fvp-core";
import type { ReservedMemoryNode } from "@v8r/xen-dom0less";
import { describe, expect, it } from "vitest";
import { findXenSharedMemory } from "./xen-shmem.ts";

const node = (xenId: string, size = 0x1000, compatible = "xen,shared-memory-v1"): ReservedMemoryNode => ({
  path: `/reserved-memory/xen-shmem@7a000000`,
  compatible,
  address: 0x7a000000,
  size,
  xenId,
  xenOffset: 0,
});
const window = (size: number): MemoryWindow =>
  MemoryWindow.fromDescriptor({ kind: "v8r.window", buffer: new SharedArrayBuffer(size), byteOffset: 0, size, base: 0x7a000000, region: "r" });

describe("findXenSharedMemory", () => {
  it("maps the node with the matching xen,id", () => {
    const w = window(0x1000);
    const r = findXenSharedMemory({ reservedMemory: [node("other"), node("rpmsg-shm")], mapSharedMemory: () => w }, "rpmsg-shm");
    expect(r.node.xenId).toBe("rpmsg-shm");
    expect(r.window).toBe(w);
  });

  it("limits a larger mapping to the node's size", () => {
    const r = findXenSharedMemory({ reservedMemory: [node("a", 0x800)], mapSharedMemory: () => window(0x1000) }, "a");
    expect(r.window.size).toBe(0x800);
  });

  it.each([
    ["no node has the id", [node("other")], () => window(0x1000), "ENOENT"],
    ["the node is not xen,shared-memory-v1", [node("a", 0x1000, "shared-dma-pool")], () => window(0x1000), "ENOENT"],
    ["the hypervisor refuses", [node("a")], () => { throw new Error("not mapped"); }, "ENOENT"],
    ["the mapping is smaller than the node", [node("a", 0x2000)], () => window(0x1000), "EINVAL"],
  ])("fails when %s", (_what, reservedMemory, mapSharedMemory, code) => {
    expect(() => findXenSharedMemory({ reservedMemory, mapSharedMemory }, "a")).toThrow(expect.objectContaining({ code }) as Error);
  });
});
