import { clearImmediate, setImmediate } from "node:timers";
import { describe, expect, it } from "vitest";
import { createPair } from "../test/_pair.ts";
import { makeTx } from "./_endpoint-tx.ts";
import type { OpenAmpExports } from "./_wasm-api.ts";
import { RpmsgError, RpmsgErrorCode } from "./errors.ts";
import type { Clock } from "./rpmsg-device.ts";
import { type EndpointCore, RPMSG_ADDR_ANY, RpmsgEndpoint } from "./rpmsg-endpoint.ts";

/** Virtual clock: a timer advances time at once and fires after one macrotask. */
function virtualClock(): Clock & { t: number } {
  const c = {
    t: 0,
    now: () => c.t,
    setTimeout: (cb: () => void, ms: number) => {
      c.t += ms;
      const id = setImmediate(cb);
      return { cancel: () => clearImmediate(id) };
    },
  };
  return c;
}

const bytes = (n: number): Uint8Array => new Uint8Array(n).map((_, i) => i & 0xff);

async function bound(extra = {}) {
  const p = await createPair({ extra });
  const got: Uint8Array[] = [];
  const r = p.remote.createEndpoint({ name: "svc", onMessage: (d) => got.push(d.slice()) });
  const h = p.host.createEndpoint({ name: "svc", onMessage: () => {} });
  p.pump();
  return { p, r, h, got };
}

describe("RpmsgEndpoint", () => {
  it("send() of more than the payload size rejects with RPMSG_ERR_BUFF_SIZE instead of truncating", async () => {
    const { p, h, got } = await bound();
    await expect(h.send(bytes(497), { timeoutMs: 10 })).rejects.toMatchObject({ errno: RpmsgErrorCode.RPMSG_ERR_BUFF_SIZE });
    expect(await h.send(bytes(496), { timeoutMs: 10 })).toBe(496);
    p.pump();
    expect(got.map((d) => d.length)).toEqual([496]);
  });

  it("send() on an unbound endpoint waits for binding", async () => {
    const p = await createPair();
    const h = p.host.createEndpoint({ name: "late", onMessage: () => {} });
    expect(h.bound).toBe(false);
    const sent = h.send(bytes(4), { timeoutMs: 5000 });
    const got: number[] = [];
    p.remote.createEndpoint({ name: "late", onMessage: (d) => got.push(d.length) });
    p.pump();
    expect(await sent).toBe(4);
    p.pump();
    expect(got).toEqual([4]);
  });

  it("send() rejects after the configured timeout (virtual clock) when no buffer frees up", async () => {
    const clock = virtualClock();
    const { h } = await bound({ clock });
    for (let i = 0; i < 32; i++) h.trySend(bytes(8));
    expect(() => h.trySend(bytes(8))).toThrow(expect.objectContaining({ errno: RpmsgErrorCode.RPMSG_ERR_NO_BUFF }));
    const started = clock.t;
    const err = await h.send(bytes(8), { timeoutMs: 250 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpmsgError);
    expect((err as RpmsgError).errno).toBe(RpmsgErrorCode.RPMSG_ERR_NO_BUFF);
    expect((err as RpmsgError).code).toBe("RPMSG_ERR_NO_BUFF");
    expect(clock.t - started).toBeGreaterThanOrEqual(250);
    expect(clock.t - started).toBeLessThan(300);
  });

  it("send() completes once the peer returns buffers", async () => {
    const clock = virtualClock();
    const { p, h, got } = await bound({ clock });
    for (let i = 0; i < 32; i++) h.trySend(bytes(8));
    const pending = h.send(bytes(9), { timeoutMs: 1000 });
    p.remote.notified();
    expect(await pending).toBe(9);
    p.remote.notified();
    expect(got.length).toBe(33);
  });

  it("reports binding and unbinding through onBound/onUnbound", async () => {
    const events: string[] = [];
    const p = await createPair();
    const r = p.remote.createEndpoint({ name: "b", onMessage: () => {}, onBound: (d) => events.push(`bound ${d}`), onUnbound: () => events.push("unbound") });
    const h = p.host.createEndpoint({ name: "b", onMessage: () => {} });
    p.pump();
    expect(events).toEqual([`bound ${h.addr}`]);
    h.destroy();
    p.pump();
    expect(events).toEqual([`bound ${h.addr}`, "unbound"]);
    expect(r.dest).toBe(RPMSG_ADDR_ANY);
  });

  it("hold() keeps a received buffer from the peer until release()", async () => {
    const { p, h } = await bound();
    const held: { data: Uint8Array; release(): void }[] = [];
    const r2 = p.remote.createEndpoint({ name: "hold", onMessage: (d) => { if (d[0] === 1) held.push(r2.hold()); } });
    const h2 = p.host.createEndpoint({ name: "hold", onMessage: () => {} });
    p.pump();
    void h;
    h2.trySend(new Uint8Array([1, 42]));
    p.pump();
    expect(held.length).toBe(1);
    expect(Array.from(held[0]?.data ?? [])).toEqual([1, 42]);
    const freeBefore = p.host.stats().freeTxBuffers;
    held[0]?.release();
    expect(p.host.stats().freeTxBuffers).toBe(freeBefore + 1);
  });

  it("getTxBuffer() lends shared memory that sendNoCopy() publishes without copying", async () => {
    const { p, h, got } = await bound();
    const tx = h.getTxBuffer();
    expect(tx.data.buffer).toBe(p.shm);
    expect(tx.data.length).toBe(496);
    tx.data.set([9, 8, 7]);
    expect(h.sendNoCopy(tx, 3)).toBe(3);
    expect(() => tx.send(3)).toThrow(RpmsgError);
    const tx2 = h.getTxBuffer();
    tx2.release();
    p.pump();
    expect(got.map((d) => Array.from(d))).toEqual([[9, 8, 7]]);
  });

  it("calls the device's onNameService hook for names no local endpoint has", async () => {
    const seen: [string, number][] = [];
    const p = await createPair({ extra: { onNameService: (n: string, a: number) => void seen.push([n, a]) } });
    const r = p.remote.createEndpoint({ name: "unknown-svc", onMessage: () => {} });
    p.pump();
    expect(seen).toEqual([["unknown-svc", r.addr]]);
  });

  it("routes exceptions thrown in onMessage to onError, never through wasm", async () => {
    const errors: unknown[] = [];
    const { p, h } = await bound({ onError: (e: unknown) => errors.push(e) });
    const r2 = p.remote.createEndpoint({ name: "boom", onMessage: () => { throw new Error("boom"); } });
    const h2 = p.host.createEndpoint({ name: "boom", onMessage: () => {} });
    p.pump();
    void r2;
    void h;
    h2.trySend(bytes(1));
    h2.trySend(bytes(1));
    p.pump();
    expect(errors.length).toBe(2);
    expect(p.remote.stats().rxMessages).toBeGreaterThanOrEqual(2);
  });

  it("counts messages and bytes each way in stats()", async () => {
    const { p, h, r } = await bound();
    h.trySend(bytes(10));
    p.pump();
    r.trySend(bytes(20));
    p.pump();
    const hs = p.host.stats();
    expect(hs.txBytes).toBe(10 + 40); // + the host's NS announcement
    expect(hs.rxBytes).toBe(20 + 40);
    expect(hs.linkUp).toBe(true);
    expect(hs.notifications).toBeGreaterThan(0);
  });

  it("rejects use after dispose() with RPMSG_ERR_DEV_STATE", async () => {
    const { p, h } = await bound();
    p.host.dispose();
    expect(() => h.trySend(bytes(1))).toThrow(expect.objectContaining({ errno: RpmsgErrorCode.RPMSG_ERR_DEV_STATE }));
    expect(() => p.host.createEndpoint({ name: "x", onMessage: () => {} })).toThrow(RpmsgError);
  });

  it("uses fixed addresses and physical descriptor addresses from physBase", async () => {
    const p = await createPair({ extra: { physBase: 0x7fe00000 } });
    const got: number[] = [];
    const r = p.remote.createEndpoint({ name: "", src: 40, dst: 41, onMessage: (_d, src) => got.push(src) });
    const h = p.host.createEndpoint({ name: "", src: 41, dst: 40, onMessage: () => {} });
    expect([r.addr, h.addr]).toEqual([40, 41]);
    h.trySend(bytes(2));
    const dv = new DataView(p.shm);
    expect(dv.getUint32(p.layout.vring1Offset, true)).toBeGreaterThanOrEqual(0x7fe00000);
    p.pump();
    expect(got).toEqual([41]);
  });

  it("honours per-direction buffer sizes", async () => {
    const p = await createPair({ extra: { bufferSizes: { hostToRemote: 256, remoteToHost: 512 } } });
    const r = p.remote.createEndpoint({ name: "sz", onMessage: () => {} });
    const h = p.host.createEndpoint({ name: "sz", onMessage: () => {} });
    p.pump();
    expect(p.host.txBufferSize()).toBe(240);
    expect(p.host.rxBufferSize()).toBe(496);
    expect(() => h.trySend(bytes(241))).toThrow(expect.objectContaining({ errno: RpmsgErrorCode.RPMSG_ERR_BUFF_SIZE }));
    expect(h.trySend(bytes(240))).toBe(240);
    expect(p.remote.rxBufferSize()).toBe(240);
    expect(r.trySend(bytes(496))).toBe(496);
  });

  it("sends off channel with an explicit source address", async () => {
    const { p, h } = await bound();
    const srcs: number[] = [];
    p.remote.createEndpoint({ name: "", src: 900, dst: 1, onMessage: (_d, src) => srcs.push(src) });
    h.trySend(bytes(1), { src: 777, dst: 900 });
    p.pump();
    expect(srcs).toEqual([777]);
  });

  it("takes a clock of the fvp-core Clock shape (now, setTimeout with a cancellable handle) for timeouts", async () => {
    let t = 0;
    const clock = {
      now: () => t,
      setTimeout: (cb: () => void, ms: number) => {
        t += ms;
        const id = setImmediate(cb);
        return { cancel: () => clearImmediate(id), active: true };
      },
    };
    const p = await createPair({ extra: { clock } });
    const h = p.host.createEndpoint({ name: "nobody", onMessage: () => {} });
    const err = await h.send(bytes(1), { timeoutMs: 40 }).catch((e: unknown) => e);
    expect((err as RpmsgError).errno).toBe(RpmsgErrorCode.RPMSG_ERR_PARAM);
    expect(t).toBeGreaterThanOrEqual(40);
  });

  it("takes the physical base from a MemoryWindow-shaped shm", async () => {
    const buf = new SharedArrayBuffer(0x20000);
    const { openamp } = await import("../test/_pair.ts");
    const { staticVringsLayout } = await import("./static-vrings-layout.ts");
    const layout = staticVringsLayout({ shmSize: 0x10000 });
    const shm = { buffer: buf, byteOffset: 0x10000, size: 0x10000, base: 0x7fe0_0000 };
    const host = await (await openamp()).createRpmsgDevice({ role: "host", layout, shm, notify: () => {} });
    const dv = new DataView(buf, 0x10000);
    const desc0 = layout.vring0Offset; // host receive ring, posted at init
    expect(dv.getUint32(desc0, true)).toBe(0x7fe0_0000 + layout.poolOffset);
    host.dispose();
  });
});

describe("RpmsgEndpoint over a fake core", () => {
  function fakeCore(over: Partial<EndpointCore> = {}): EndpointCore & { released: number[] } {
    const mem = new Uint8Array(1024);
    const released: number[] = [];
    return {
      released,
      disposed: false,
      defaultTimeoutMs: 0,
      takeTx: () => 7,
      txView: () => mem.subarray(16, 16 + 496),
      sendTag: () => RpmsgErrorCode.RPMSG_ERR_PARAM,
      send: () => RpmsgErrorCode.RPMSG_ERR_PARAM,
      releaseTag: (tag) => (released.push(tag), 0),
      hold: () => undefined,
      releaseRx: () => 0,
      waitForWork: () => Promise.resolve(),
      now: () => 0,
      destroyEndpoint: () => {},
      sendCopy: () => 0,
      ...over,
    };
  }

  /** A core whose transmit half is the real one (makeTx) over a fake module: buffer 7 at offset 16, 496 bytes. */
  function txCore(publish: number): EndpointCore & { released: number[] } {
    const region = new Uint8Array(1024);
    const core = fakeCore();
    const x = {
      v8r_tx_take: () => 7,
      v8r_tx_publish: () => publish,
      v8r_tx_send: () => publish,
      v8r_tx_release: (tag: number) => (core.released.push(tag), 0),
    } as unknown as OpenAmpExports;
    const out = new Uint32Array([32, 496]);
    return Object.assign(core, makeTx(x, { disposed: () => false, enter() {}, leave() {}, out: () => out, view: (o, l) => region.subarray(o, o + l), region }));
  }

  it("trySend() gives the transmit buffer back when publishing it fails", () => {
    const core = txCore(RpmsgErrorCode.RPMSG_ERR_PARAM);
    const ep = new RpmsgEndpoint(core, { name: "", dst: 5, onMessage: () => {} });
    ep.attached(1, 1024, 5);
    expect(() => ep.trySend(bytes(4))).toThrow(expect.objectContaining({ errno: RpmsgErrorCode.RPMSG_ERR_PARAM }));
    expect(core.released).toEqual([7]);
  });

  it("trySend() of more than the payload size gives the buffer back and says the size", () => {
    const core = txCore(4);
    const ep = new RpmsgEndpoint(core, { name: "", dst: 5, onMessage: () => {} });
    ep.attached(1, 1024, 5);
    expect(() => ep.trySend(bytes(497))).toThrow(/497 bytes on "" \(payload size 496\)/);
    expect(core.released).toEqual([7]);
    expect(ep.trySend(bytes(4))).toBe(4);
  });

  it("release() of a lent buffer surfaces the code the module returned", () => {
    const core = fakeCore({ releaseTag: () => RpmsgErrorCode.RPMSG_ERR_PARAM });
    const ep = new RpmsgEndpoint(core, { name: "", dst: 5, onMessage: () => {} });
    ep.attached(1, 1024, 5);
    expect(() => ep.getTxBuffer().release()).toThrow(RpmsgError);
  });
});
