import { describe, expect, it } from "vitest";
import { createPair } from "../test/_pair.ts";
import { layoutRegions } from "./layout-regions.ts";
import { readRingState, ringIndexOffsets, VIRTIO_STATUS } from "./ring-state.ts";
import { staticVringsLayout } from "./static-vrings-layout.ts";

describe("readRingState()", () => {
  it("reads an empty region as no driver and empty rings", () => {
    const layout = staticVringsLayout({ shmSize: 0x4000 });
    expect(readRingState(layout, { buffer: new SharedArrayBuffer(0x4000) })).toEqual({
      status: 0,
      driverOk: false,
      num: layout.num,
      toRemote: { availIdx: 0, usedIdx: 0, inFlight: 0 },
      toHost: { availIdx: 0, usedIdx: 0, inFlight: 0 },
    });
  });

  it("follows a real link: DRIVER_OK, a message offered to the remote, then consumed", async () => {
    const p = await createPair();
    await p.remote.ready;
    p.remote.createEndpoint({ name: "demo", onMessage: () => {} });
    const h = p.host.createEndpoint({ name: "demo", onMessage: () => {} });
    p.pump();
    const before = readRingState(p.layout, { buffer: p.shm });
    expect(before.driverOk).toBe(true);
    expect(before.status & VIRTIO_STATUS.DRIVER_OK).toBe(VIRTIO_STATUS.DRIVER_OK);
    expect(before.toRemote.inFlight).toBe(0);
    h.trySend(new TextEncoder().encode("ping"));
    const sent = readRingState(p.layout, { buffer: p.shm });
    expect(sent.toRemote).toEqual({ availIdx: before.toRemote.availIdx + 1, usedIdx: before.toRemote.usedIdx, inFlight: 1 });
    p.pump();
    expect(readRingState(p.layout, { buffer: p.shm }).toRemote).toMatchObject({ usedIdx: before.toRemote.usedIdx + 1, inFlight: 0 });
    p.host.dispose();
    p.remote.dispose();
  });

  it("counts across the 16-bit wrap and never reports more in flight than the ring holds", () => {
    const layout = staticVringsLayout({ shmSize: 0x4000 });
    const buffer = new SharedArrayBuffer(0x4000);
    const dv = new DataView(buffer);
    const { toRemote } = ringIndexOffsets(layout);
    dv.setUint16(toRemote.availIdx, 2, true);
    dv.setUint16(toRemote.usedIdx, 0xffff, true);
    expect(readRingState(layout, { buffer }).toRemote.inFlight).toBe(3);
    dv.setUint16(toRemote.availIdx, 0x7000, true); // corrupted
    expect(readRingState(layout, { buffer }).toRemote.inFlight).toBe(layout.num);
  });

  it("puts the index words right after the flags of the parts layoutRegions names", () => {
    const layout = staticVringsLayout({ shmSize: 0x10000 });
    const at = new Map(layoutRegions(layout).map((r) => [r.name, r.offset]));
    expect(ringIndexOffsets(layout)).toEqual({
      toRemote: { availIdx: (at.get("vring1.avail") ?? 0) + 2, usedIdx: (at.get("vring1.used") ?? 0) + 2 },
      toHost: { availIdx: (at.get("vring0.avail") ?? 0) + 2, usedIdx: (at.get("vring0.used") ?? 0) + 2 },
    });
  });
});
