/**
 * Regressions: behaviours a mixed system (upstream OpenAMP on the other side)
 * notices, each as upstream OpenAMP 1.10 has it. The C side of each is in
 * ctest/test_behaviours.inc.
 */
import { describe, expect, it } from "vitest";
import { makeSleep } from "../src/_sleep.ts";
import { RpmsgErrorCode } from "../src/errors.ts";
import { resourceTableBytes } from "../src/resource-table.ts";
import { createPair, openamp } from "./_pair.ts";

const RSC_NOTIFY_ID_ANY = 0xffff_ffff;
const bytes = (n: number): Uint8Array => new Uint8Array(n).map((_, i) => i & 0xff);

describe("upstream behaviour: a remote keeps released TX buffers (reclaimer)", () => {
  it("getTxBuffer().release() on the remote puts nothing on the ring and the buffer is reused", async () => {
    const p = await createPair();
    const got: number[] = [];
    const r = p.remote.createEndpoint({ name: "", src: 41, dst: 40, onMessage: () => {} });
    p.host.createEndpoint({ name: "", src: 40, dst: 41, onMessage: (d) => got.push(d[0] ?? -1) });
    const dv = new DataView(p.shm);
    const num = p.layout.num;
    // vring 0 (remote -> host): used idx after the descriptors and the avail ring, aligned
    const usedIdx = (): number => dv.getUint16(Math.ceil((p.layout.vring0Offset + 18 * num + 6) / p.layout.align) * p.layout.align + 2, true);
    const before = usedIdx();
    for (let i = 0; i < 100; i++) r.getTxBuffer().release(); // upstream's host would never see these
    expect(usedIdx()).toBe(before);
    expect(p.kicks.toHost).toBe(0);
    expect(p.remote.stats().freeTxBuffers).toBe(num);
    for (let i = 0; i < num; i++) expect(r.trySend(new Uint8Array([i]))).toBe(1);
    expect(() => r.trySend(bytes(1))).toThrow(expect.objectContaining({ errno: RpmsgErrorCode.RPMSG_ERR_NO_BUFF }));
    p.pump();
    expect(got).toEqual([...Array(num).keys()]);
    expect(p.host.stats().droppedNoEndpoint).toBe(0);
  });
});

describe("upstream behaviour: RSC_NOTIFY_ID_ANY processes every vring", () => {
  it("notified(0xffffffff) delivers on both sides; the vdev id and unknown ids deliver nothing", async () => {
    const shm = new SharedArrayBuffer(0x80000);
    new Uint8Array(shm).set(resourceTableBytes({ vrings: [
      { da: 0x4000, align: 0x1000, num: 256, notifyid: 1 }, { da: 0x8000, align: 0x1000, num: 256, notifyid: 2 },
    ] }));
    const layout = { kind: "resource-table" as const, shmSize: 0x80000, tableOffset: 0, poolOffset: 0x10000, poolSize: 0x40000 };
    const oa = await openamp();
    const host = await oa.createRpmsgDevice({ role: "host", layout, shm: { buffer: shm }, notify: () => {} });
    const remote = await oa.createRpmsgDevice({ role: "remote", layout, shm: { buffer: shm }, notify: () => {} });
    const got: string[] = [];
    const h = host.createEndpoint({ name: "", src: 60, dst: 61, onMessage: (d) => got.push(`h${d.length}`) });
    const r = remote.createEndpoint({ name: "", src: 61, dst: 60, onMessage: (d) => got.push(`r${d.length}`) });
    h.trySend(bytes(3));
    remote.notified(0); // the vdev's own notify id (resourceTableBytes' default)
    remote.notified(77);
    expect(got).toEqual([]);
    remote.notified(RSC_NOTIFY_ID_ANY);
    r.trySend(bytes(5));
    host.notified(RSC_NOTIFY_ID_ANY);
    expect(got).toEqual(["r3", "h5"]);
    host.dispose();
    remote.dispose();
  });
});

describe("upstream behaviour: endpoint addresses", () => {
  it("hands dynamic addresses out round-robin, so a late message for a destroyed endpoint reaches no one", async () => {
    const p = await createPair();
    const first = p.remote.createEndpoint({ name: "", dst: 50, onMessage: () => {} });
    expect(first.addr).toBe(1024);
    first.destroy();
    const got: number[] = [];
    const second = p.remote.createEndpoint({ name: "", dst: 50, onMessage: (d) => got.push(d.length) });
    expect(second.addr).toBe(1025);
    const h = p.host.createEndpoint({ name: "", src: 50, dst: 1024, onMessage: () => {} });
    h.trySend(bytes(4)); // late, for the old endpoint
    p.pump();
    expect(got).toEqual([]);
    expect(p.remote.stats().droppedNoEndpoint).toBe(1);
  });

  it.each([1024 + 128, 0x7fff_ffff])("refuses a fixed address %i above the 128-address range with RPMSG_ERR_PARAM", async (src) => {
    const p = await createPair();
    expect(() => p.remote.createEndpoint({ name: "", src, dst: 50, onMessage: () => {} }))
      .toThrow(expect.objectContaining({ errno: RpmsgErrorCode.RPMSG_ERR_PARAM }));
    expect(p.remote.createEndpoint({ name: "", src: 1024 + 127, dst: 50, onMessage: () => {} }).addr).toBe(1151);
  });
});

describe("upstream behaviour: metal_sleep_usec sleeps", () => {
  it("blocks for the time asked where the thread may block", () => {
    const sleep = makeSleep(true);
    const t0 = performance.now();
    sleep(20_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
  });

  it("only yields where the thread may not block", () => {
    const sleep = makeSleep(false);
    const t0 = performance.now();
    sleep(2_000_000);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
