import { describe, expect, it, vi } from "vitest";
import { RpmsgError, RpmsgErrorCode } from "../src/errors.ts";
import { resourceTableBytes } from "../src/resource-table.ts";
import type { Clock } from "../src/rpmsg-device.ts";
import { createShmAccessor, type ShmAccessor } from "../src/shm.ts";
import { staticVringsLayout } from "../src/static-vrings-layout.ts";
import { createPair, openamp } from "./_pair.ts";

const bytes = (n: number): Uint8Array => new Uint8Array(n).map((_, i) => i & 0xff);
const { RPMSG_ERR_DEV_STATE, RPMSG_ERR_PARAM } = RpmsgErrorCode;

/** A virtual clock whose timers run only when the test advances it. */
function manualClock(): Clock & { t: number; pending: { at: number; fire: () => void }[]; advance(ms: number): Promise<void> } {
  const c = {
    t: 0,
    pending: [] as { at: number; fire: () => void }[],
    now: () => c.t,
    setTimeout: (fire: () => void, ms: number) => {
      const timer = { at: c.t + ms, fire };
      c.pending.push(timer);
      return {
        cancel: () => {
          const i = c.pending.indexOf(timer);
          if (i >= 0) c.pending.splice(i, 1);
        },
      };
    },
    async advance(ms: number) {
      const end = c.t + ms;
      for (let i = 0; i < 100000; i++) {
        c.pending.sort((a, b) => a.at - b.at);
        const next = c.pending[0];
        if (!next || next.at > end) break;
        c.pending.shift();
        c.t = next.at;
        next.fire();
        for (let k = 0; k < 5; k++) await Promise.resolve();
      }
      c.t = end;
    },
  };
  return c;
}

/** A raw instance of the module, to call the C entry points directly. */
async function rawModule(size: number) {
  const oa = await openamp();
  const spy = vi.spyOn(WebAssembly, "instantiate");
  const shm = new SharedArrayBuffer(size);
  const layout = staticVringsLayout({ shmSize: 0x10000 });
  await oa.createRpmsgDevice({ role: "remote", layout, shm: { buffer: shm }, notify: () => {} });
  const results = await Promise.all(spy.mock.results.map((r) => r.value as Promise<WebAssembly.Instance | WebAssembly.WebAssemblyInstantiatedSource>));
  spy.mockRestore();
  const instance = results.map((r) => ("instance" in r ? r.instance : r)).find((i) => "v8r_setup_static" in i.exports);
  const x = instance?.exports as Record<string, (...a: number[]) => number>;
  (x.v8r_deinit as () => void)();
  return x;
}

describe("regressions of the hardening review", () => {
  it("refuses buffer sizes whose carving would run over vring 1 (TS RangeError and C RPMSG_ERR_PARAM)", async () => {
    const shm = new SharedArrayBuffer(0x10000);
    const layout = staticVringsLayout({ shmSize: 0x10000 });
    expect(layout.poolSize).toBe(34464); // upstream's reported value is kept
    const oa = await openamp();
    const opts = { role: "host" as const, layout, shm: { buffer: shm }, notify: () => {}, bufferSizes: { hostToRemote: 1024, remoteToHost: 1024 } };
    await expect(oa.createRpmsgDevice(opts)).rejects.toBeInstanceOf(RangeError);
    expect(new Uint8Array(shm).some((b) => b !== 0)).toBe(false);
    const x = await rawModule(0x10000);
    const L = layout;
    const setup = (h2r: number, r2h: number) => x.v8r_setup_static!(0, L.shmSize, 0, L.statusOffset, L.poolOffset, L.poolSize, L.vring0Offset, L.vring1Offset, L.num, L.align, h2r, r2h);
    expect(setup(1024, 1024)).toBe(RPMSG_ERR_PARAM);
    expect(setup(512, 512)).toBe(0);
  });

  it("refuses a region of 3 GiB or more, whose byte cookies would wrap in 32 bits (TS RangeError and C RPMSG_ERR_PARAM)", async () => {
    const oa = await openamp();
    const small = createShmAccessor({ buffer: new SharedArrayBuffer(0x10000) });
    const huge: ShmAccessor = Object.assign(Object.create(small) as ShmAccessor, { size: 0xc000_0000 });
    const layout = { ...staticVringsLayout({ shmSize: 0x10000 }), shmSize: 0xc000_0000 };
    await expect(oa.createRpmsgDevice({ role: "host", layout, shm: huge, notify: () => {} })).rejects.toThrow(/over the \d+-byte limit/);
    const x = await rawModule(0x10000);
    const L = staticVringsLayout({ shmSize: 0x10000 });
    const setup = (size: number) => x.v8r_setup_static!(0, size, 0, L.statusOffset, L.poolOffset, L.poolSize, L.vring0Offset, L.vring1Offset, L.num, L.align, 512, 512);
    expect(setup(0xc000_0000)).toBe(RPMSG_ERR_PARAM);
    expect(setup(0x10000)).toBe(0);
  });

  it("refuses a physBase whose region runs past 4 GiB, the reach of metal_phys_addr_t in wasm32 (TS RangeError and C RPMSG_ERR_PARAM)", async () => {
    const oa = await openamp();
    const layout = staticVringsLayout({ shmSize: 0x10000 });
    const shm = { buffer: new SharedArrayBuffer(0x10000) };
    await expect(oa.createRpmsgDevice({ role: "host", layout, shm, notify: () => {}, physBase: 2 ** 32 - 0x8000 })).rejects.toThrow(/past 4 GiB/);
    const x = await rawModule(0x10000);
    const L = layout;
    const setup = (phys: number) => x.v8r_setup_static!(0, L.shmSize, phys, L.statusOffset, L.poolOffset, L.poolSize, L.vring0Offset, L.vring1Offset, L.num, L.align, 512, 512);
    expect(setup(2 ** 32 - 0x8000)).toBe(RPMSG_ERR_PARAM);
    expect(setup(2 ** 32 - 0x10000)).toBe(0);
  });

  it.each([0x10010, 0x20000])("refuses a buffer size of %i, whose payload length no u16 header can carry", async (size) => {
    const oa = await openamp();
    const shm = new SharedArrayBuffer(0x10000);
    const layout = staticVringsLayout({ shmSize: 0x10000 });
    await expect(oa.createRpmsgDevice({ role: "remote", layout, shm: { buffer: shm }, notify: () => {}, bufferSizes: { remoteToHost: size } }))
      .rejects.toBeInstanceOf(RangeError);
    const x = await rawModule(0x200000);
    // num = 1 and a pool large enough: only the size limit can refuse it
    const setup = (h2r: number) => x.v8r_setup_static!(0, 0x200000, 0, 0, 4, 0x100000, 0x180000, 0x181000, 1, 4, h2r, 512);
    expect(setup(size)).toBe(RPMSG_ERR_PARAM);
    expect(setup(0xffff + 16)).toBe(0);
  });

  it("survives an onUnbound that destroys another endpoint or disposes the device during a peer reset", async () => {
    for (const action of ["destroy", "dispose"] as const) {
      const p = await createPair({ extra: { onError: (e) => { throw e; } } });
      const eps = ["a", "b", "c"].map((name) => p.remote.createEndpoint({
        name, onMessage: () => {}, onUnbound: () => {
          if (action === "dispose") p.remote.dispose();
          else for (const e of eps) if (e.name !== name) e.destroy();
        },
      }));
      for (const name of ["a", "b", "c"]) p.host.createEndpoint({ name, onMessage: () => {} });
      p.pump();
      expect(eps.every((e) => e.bound)).toBe(true);
      new Uint8Array(p.shm)[p.layout.statusOffset] = 0; // the host "restarts"
      expect(() => p.remote.notified()).not.toThrow();
      expect(eps.filter((e) => !e.destroyed).length).toBe(action === "dispose" ? 0 : 1);
      expect(p.remote.stats().peerResets).toBe(1);
      p.host.dispose();
      p.remote.dispose();
    }
  });

  it("rejects a send() waiting for a buffer as soon as the device is disposed, not at its deadline", async () => {
    const clock = manualClock();
    const p = await createPair({ extra: { clock } });
    const h = p.host.createEndpoint({ name: "", src: 50, dst: 51, onMessage: () => {} });
    while (p.host.txBufferSize() !== null && p.host.stats().freeTxBuffers > 0) h.trySend(bytes(4));
    const sent = h.send(bytes(4), { timeoutMs: 10_000 }).catch((e: unknown) => e);
    await clock.advance(5);
    p.host.dispose();
    await clock.advance(5);
    const err = await sent;
    expect(err).toMatchObject({ errno: RPMSG_ERR_DEV_STATE });
    expect(clock.t).toBe(10);
  });

  it("attaches every queued endpoint and resolves ready even when one of them fails to attach", async () => {
    const oa = await openamp();
    const shm = new SharedArrayBuffer(0x10000);
    const layout = staticVringsLayout({ shmSize: 0x10000 });
    const errors: unknown[] = [];
    const clock = manualClock();
    const remote = await oa.createRpmsgDevice({ role: "remote", layout, shm: { buffer: shm }, notify: () => {}, clock, onError: (e) => errors.push(e) });
    const a = remote.createEndpoint({ name: "", src: 40, dst: 41, onMessage: () => {} });
    const clash = remote.createEndpoint({ name: "", src: 40, dst: 42, onMessage: () => {} });
    const c = remote.createEndpoint({ name: "", src: 43, dst: 44, onMessage: () => {} });
    const host = await oa.createRpmsgDevice({ role: "host", layout, shm: { buffer: shm }, notify: () => {} });
    await clock.advance(100);
    await expect(remote.ready).resolves.toBeUndefined();
    expect([a.addr, c.addr]).toEqual([40, 43]);
    expect(clash.handle).toBe(0);
    expect(errors).toEqual([expect.objectContaining({ errno: RpmsgErrorCode.RPMSG_ERR_ADDR })]);
    host.dispose();
    remote.dispose();
  });

  it("rejects ready with RPMSG_ERR_DEV_STATE and marks endpoints destroyed when disposed before the link is up", async () => {
    const oa = await openamp();
    const clock = manualClock();
    const layout = staticVringsLayout({ shmSize: 0x10000 });
    const remote = await oa.createRpmsgDevice({ role: "remote", layout, shm: { buffer: new SharedArrayBuffer(0x10000) }, notify: () => {}, clock });
    const ep = remote.createEndpoint({ name: "x", onMessage: () => {} });
    const ready = remote.ready.catch((e: unknown) => e);
    remote.dispose();
    expect(await ready).toMatchObject({ errno: RPMSG_ERR_DEV_STATE });
    expect(ep.destroyed).toBe(true);
    expect(clock.pending.length).toBeLessThanOrEqual(1); // the link poll is not re-armed
    await clock.advance(1000);
    expect(clock.pending.length).toBe(0);
  });

  it.each([Number.NaN, -1, -Infinity, "5" as unknown as number])("rejects send() with timeoutMs %s as a TypeError", async (timeoutMs) => {
    const p = await createPair();
    const h = p.host.createEndpoint({ name: "", src: 50, dst: 51, onMessage: () => {} });
    await expect(h.send(bytes(1), { timeoutMs })).rejects.toBeInstanceOf(TypeError);
  });

  it("keeps one timer for many waiting sends and lets a kick wake them before it fires", async () => {
    const clock = manualClock();
    const p = await createPair({ extra: { clock } });
    const r = p.remote.createEndpoint({ name: "", src: 51, dst: 50, onMessage: () => {} });
    const h = p.host.createEndpoint({ name: "", src: 50, dst: 51, onMessage: () => {} });
    while (p.host.stats().freeTxBuffers > 0) h.trySend(bytes(4));
    const before = clock.pending.length;
    const sends = [1, 2, 3, 4].map(() => h.send(bytes(4), { timeoutMs: 1000 }));
    expect(clock.pending.length - before).toBe(1);
    p.remote.notified(); // the remote consumes every buffer (no kick back: NO_INTERRUPT)
    r.trySend(bytes(1)); // a message back kicks the host, which wakes the waiters
    p.host.notified();
    await Promise.resolve();
    await expect(Promise.all(sends)).resolves.toEqual([4, 4, 4, 4]);
    expect(clock.t).toBe(0);
  });

  it("trySendTruncating() copies no more than one buffer into wasm memory", async () => {
    const spy = vi.spyOn(WebAssembly, "instantiate");
    const p = await createPair();
    const results = await Promise.all(spy.mock.results.map((r) => r.value as Promise<WebAssembly.Instance | WebAssembly.WebAssemblyInstantiatedSource>));
    spy.mockRestore();
    const ours = results.map((r) => ("instance" in r ? r.instance : r)).filter((i) => "v8r_setup_static" in i.exports);
    const memory = ours[0]?.exports.memory as WebAssembly.Memory; // the host's
    const got: number[] = [];
    p.remote.createEndpoint({ name: "", src: 51, dst: 50, onMessage: (d) => got.push(d.length) });
    const h = p.host.createEndpoint({ name: "", src: 50, dst: 51, onMessage: () => {} });
    const before = memory.buffer.byteLength;
    expect(h.trySendTruncating(new Uint8Array(64 * 1024 * 1024))).toBe(496);
    p.pump();
    expect(got).toEqual([496]);
    expect(memory.buffer.byteLength).toBe(before);
  });

  it("routes the vdev's notify ids through the first RSC_VDEV entry, not offset[0]", async () => {
    const vdev = resourceTableBytes({ vrings: [{ da: 0x4000, align: 0x1000, num: 256, notifyid: 1 }, { da: 0x8000, align: 0x1000, num: 256, notifyid: 2 }] });
    const shm = new SharedArrayBuffer(0x80000);
    const u8 = new Uint8Array(shm);
    const dv = new DataView(shm);
    u8.set(vdev.subarray(0x14), 0x20); // the vdev entry, after a vendor entry
    dv.setUint32(0, 1, true);
    dv.setUint32(4, 2, true);
    dv.setUint32(16, 0x18, true);
    dv.setUint32(20, 0x20, true);
    dv.setUint32(0x18, 128, true); // RSC_VENDOR_START, 8 bytes
    dv.setUint32(0x1c, 0xdeadbeef, true);
    const layout = { kind: "resource-table" as const, shmSize: 0x80000, tableOffset: 0, poolOffset: 0x10000, poolSize: 0x40000 };
    const oa = await openamp();
    const host = await oa.createRpmsgDevice({ role: "host", layout, shm: { buffer: shm }, notify: () => {} });
    const remote = await oa.createRpmsgDevice({ role: "remote", layout, shm: { buffer: shm }, notify: () => {} });
    const got: number[] = [];
    const h = host.createEndpoint({ name: "", src: 60, dst: 61, onMessage: (d) => got.push(d.length) });
    const r = remote.createEndpoint({ name: "", src: 61, dst: 60, onMessage: (d) => got.push(d.length) });
    h.trySend(bytes(3));
    remote.notified();
    r.trySend(bytes(5));
    host.notified();
    expect(got).toEqual([3, 5]);
    await expect(oa.createRpmsgDevice({ role: "host", layout: { ...layout, shmSize: 0x100000 }, shm: { buffer: shm }, notify: () => {} }))
      .rejects.toBeInstanceOf(RangeError);
  });

  it("never lets a throwing caller-supplied ShmAccessor unwind through wasm; counts the faults", async () => {
    const shm = new SharedArrayBuffer(0x10000);
    const inner = createShmAccessor({ buffer: shm });
    let broken = false;
    const accessor: ShmAccessor = new Proxy(inner, {
      get(target, key) {
        const v = Reflect.get(target, key) as unknown;
        if (key === "bytes") return undefined;
        if (typeof v !== "function") return v;
        return (...a: unknown[]) => {
          if (broken) throw new Error("device gone");
          return (v as (...a: unknown[]) => unknown).apply(target, a);
        };
      },
    });
    const oa = await openamp();
    const layout = staticVringsLayout({ shmSize: 0x10000 });
    const host = await oa.createRpmsgDevice({ role: "host", layout, shm: accessor, notify: () => {} });
    const h = host.createEndpoint({ name: "", src: 50, dst: 51, onMessage: () => {} });
    broken = true;
    expect(() => host.notified()).not.toThrow();
    // the copying send runs entirely inside wasm: every access goes through the imports
    expect(() => { try { h.trySendTruncating(bytes(4)); } catch (e) { if (!(e instanceof RpmsgError)) throw e; } }).not.toThrow();
    expect(host.stats().ioFaults).toBeGreaterThan(0);
  });
});
