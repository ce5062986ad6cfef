import { describe, expect, it } from "vitest";
import { createPair } from "../test/_pair.ts";
import { layoutRegions } from "./layout-regions.ts";
import { staticVringsLayout, vringSize } from "./static-vrings-layout.ts";

const u16 = (shm: SharedArrayBuffer, off: number): number => new DataView(shm).getUint16(off, true);

describe("layoutRegions()", () => {
  it.each([0x4000, 0x10000, 0x100000])("names disjoint parts inside a %d-byte static-vrings region", (shmSize) => {
    const layout = staticVringsLayout({ shmSize });
    const parts = layoutRegions(layout);
    const byName = new Map(parts.map((p) => [p.name, p]));
    expect([...byName.keys()].sort()).toEqual(
      ["buffers", "status", "vring0", "vring0.avail", "vring0.desc", "vring0.used", "vring1", "vring1.avail", "vring1.desc", "vring1.used"],
    );
    for (const p of parts) expect(p.offset + p.size).toBeLessThanOrEqual(shmSize);
    expect(byName.get("vring1")?.size).toBe(vringSize(layout.num, layout.align));
    const leaves = parts.filter((p) => p.name !== "vring0" && p.name !== "vring1").sort((a, b) => a.offset - b.offset);
    leaves.slice(1).forEach((p, i) => expect(p.offset, `${p.name} overlaps ${leaves[i]?.name}`).toBeGreaterThanOrEqual((leaves[i]?.offset ?? 0) + (leaves[i]?.size ?? 0)));
  });

  it("points at the bytes a real link writes: status, avail and used indexes", async () => {
    const p = await createPair();
    const at = new Map(layoutRegions(p.layout).map((r) => [r.name, r.offset]));
    await p.remote.ready;
    p.remote.createEndpoint({ name: "demo", onMessage: () => {} });
    const h = p.host.createEndpoint({ name: "demo", onMessage: () => {} });
    p.pump();
    expect(new Uint8Array(p.shm)[at.get("status") ?? -1]! & 0x04).toBe(0x04); // DRIVER_OK
    const availIdx = (): number => u16(p.shm, (at.get("vring1.avail") ?? -1) + 2);
    const usedIdx = (): number => u16(p.shm, (at.get("vring1.used") ?? -1) + 2);
    const before = { avail: availIdx(), used: usedIdx() };
    expect(h.trySend(new TextEncoder().encode("ping"))).toBe(4);
    expect(availIdx()).toBe(before.avail + 1);
    p.pump();
    expect(usedIdx()).toBe(before.used + 1);
    p.host.dispose();
    p.remote.dispose();
  });

  it("names the table and the pool of a resource-table layout", () => {
    const parts = layoutRegions({ kind: "resource-table", shmSize: 0x20000, tableOffset: 0, poolOffset: 0x10000, poolSize: 0x10000 });
    expect(parts.map((r) => [r.name, r.offset, r.size])).toEqual([["rsc-table", 0, 88], ["buffers", 0x10000, 0x10000]]);
  });

  it("refuses a layout of unknown kind", () => {
    expect(() => layoutRegions({ kind: "nope" } as never)).toThrow(TypeError);
  });
});
