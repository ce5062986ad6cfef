import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RpmsgError } from "../src/errors.ts";
import type { RpmsgEndpoint } from "../src/rpmsg-endpoint.ts";
import { vringSize } from "../src/static-vrings-layout.ts";
import { createPair, type Pair } from "./_pair.ts";

interface Ring { desc: number; avail: number; used: number; num: number }
function ring(base: number, num: number, align: number): Ring {
  const avail = base + 16 * num;
  return { desc: base, avail, used: Math.ceil((avail + 4 + 2 * num + 2) / align) * align, num };
}

async function linked(): Promise<{ p: Pair; h: RpmsgEndpoint; r: RpmsgEndpoint; v0: Ring; v1: Ring; dv: DataView; rx: Uint8Array[]; hx: Uint8Array[] }> {
  const p = await createPair();
  const rx: Uint8Array[] = [];
  const hx: Uint8Array[] = [];
  const r = p.remote.createEndpoint({ name: "x", onMessage: (d) => rx.push(d.slice()) });
  const h = p.host.createEndpoint({ name: "x", onMessage: (d) => hx.push(d.slice()) });
  p.pump();
  const { num, align } = p.layout;
  return { p, h, r, v0: ring(p.layout.vring0Offset, num, align), v1: ring(p.layout.vring1Offset, num, align), dv: new DataView(p.shm), rx, hx };
}

const msg = new Uint8Array([1, 2, 3, 4, 5]);

describe("a hostile or broken peer", () => {
  it.each([
    {
      what: "an avail entry naming a descriptor index >= num",
      corrupt: (t: Awaited<ReturnType<typeof linked>>) => t.dv.setUint16(t.v1.avail + 4 + 2 * ((t.dv.getUint16(t.v1.avail + 2, true) - 1) % t.v1.num), 999, true),
    },
    {
      what: "a descriptor whose address lies outside the region",
      corrupt: (t: Awaited<ReturnType<typeof linked>>) => {
        const head = t.dv.getUint16(t.v1.avail + 4 + 2 * ((t.dv.getUint16(t.v1.avail + 2, true) - 1) % t.v1.num), true);
        t.dv.setUint32(t.v1.desc + 16 * head, 0xfff00000, true);
      },
    },
    {
      what: "a descriptor whose length runs past the region end",
      corrupt: (t: Awaited<ReturnType<typeof linked>>) => {
        const head = t.dv.getUint16(t.v1.avail + 4 + 2 * ((t.dv.getUint16(t.v1.avail + 2, true) - 1) % t.v1.num), true);
        t.dv.setUint32(t.v1.desc + 16 * head + 8, 0x7fffffff, true);
      },
    },
    {
      what: "a header length larger than the buffer payload",
      corrupt: (t: Awaited<ReturnType<typeof linked>>) => {
        const head = t.dv.getUint16(t.v1.avail + 4 + 2 * ((t.dv.getUint16(t.v1.avail + 2, true) - 1) % t.v1.num), true);
        const addr = t.dv.getUint32(t.v1.desc + 16 * head, true);
        t.dv.setUint16(addr + 12, 497, true);
      },
    },
    {
      what: "an avail index running ahead by more than num",
      corrupt: (t: Awaited<ReturnType<typeof linked>>) => t.dv.setUint16(t.v1.avail + 2, (t.dv.getUint16(t.v1.avail + 2, true) + t.v1.num + 5) & 0xffff, true),
    },
  ])("remote drops and counts $what", async ({ corrupt }) => {
    const t = await linked();
    const before = t.p.remote.stats().droppedMalformed;
    t.h.trySend(msg);
    corrupt(t);
    t.p.pump();
    expect(t.rx).toEqual([]);
    expect(t.p.remote.stats().droppedMalformed).toBeGreaterThan(before);
    expect(t.p.remote.stats().ioFaults + t.p.host.stats().ioFaults).toBe(0);
  });

  it.each([
    { what: "a used entry naming a descriptor index >= num", corrupt: (t: Awaited<ReturnType<typeof linked>>) => {
      const slot = (t.dv.getUint16(t.v0.used + 2, true) - 1) % t.v0.num;
      t.dv.setUint32(t.v0.used + 4 + 8 * slot, 4096, true);
    } },
    { what: "a used index running ahead by more than num", corrupt: (t: Awaited<ReturnType<typeof linked>>) => {
      t.dv.setUint16(t.v0.used + 2, (t.dv.getUint16(t.v0.used + 2, true) + t.v0.num + 5) & 0xffff, true);
    } },
  ])("host drops and counts $what", async ({ corrupt }) => {
    const t = await linked();
    t.r.trySend(msg);
    t.p.pump();
    t.hx.length = 0;
    const before = t.p.host.stats().droppedMalformed;
    t.r.trySend(msg);
    corrupt(t);
    t.p.host.notified();
    expect(t.hx).toEqual([]);
    expect(t.p.host.stats().droppedMalformed).toBe(before + 1);
  });

  it.each([
    { what: "39 bytes long", payload: new Uint8Array(39) },
    { what: "41 bytes long", payload: new Uint8Array(41) },
    { what: "a name without NUL", payload: new Uint8Array(40).fill(0x41) },
    { what: "flags other than create/destroy", payload: (() => { const b = new Uint8Array(40); b[0] = 0x61; b[36] = 7; return b; })() },
  ])("drops and counts a name-service message with $what", async ({ payload }) => {
    const seen: string[] = [];
    const p = await createPair({ extra: { onNameService: (n) => void seen.push(n) } });
    const r = p.remote.createEndpoint({ name: "", dst: 77, onMessage: () => {} });
    p.pump();
    const before = p.host.stats().droppedMalformed;
    r.trySend(payload, { dst: 53 });
    p.pump();
    expect(seen).toEqual([]);
    expect(p.host.stats().droppedMalformed).toBe(before + 1);
  });

  it("gives the new header, not one read ahead before, when the host restarts mid-batch and reuses a buffer", async () => {
    const t = await linked();
    const lens: number[] = [];
    const r = t.p.remote.createEndpoint({ name: "", src: 61, dst: 60, onMessage: (d) => {
      lens.push(d.length);
      if (lens.length > 1) return;
      // the host "restarts" (rings cleared) and makes available again, first, the buffer of the second message,
      // now holding 3 bytes; the remote's send sees it and resets its ring state in the middle of the batch
      const { dv, v0, v1 } = t;
      const head = dv.getUint16(v1.avail + 4 + 2 * ((dv.getUint16(v1.avail + 2, true) - 3) % v1.num), true);
      dv.setUint16(dv.getUint32(v1.desc + 16 * head, true) + 12, 3, true);
      dv.setUint16(v1.avail + 4, head, true);
      dv.setUint16(v1.avail + 2, 1, true);
      dv.setUint16(v1.used + 2, 0, true);
      dv.setUint16(v0.used + 2, 0, true);
      try {
        r.trySend(msg);
      } catch (err) {
        if (!(err instanceof RpmsgError)) throw err; // the ring it sends on was cleared: no buffer
      }
    } });
    const h = t.p.host.createEndpoint({ name: "", src: 60, dst: 61, onMessage: () => {} });
    for (let i = 0; i < 4; i++) h.trySend(new Uint8Array(10 + i)); // one batch: the headers after the first read ahead
    const resets = t.p.remote.stats().peerResets;
    t.p.remote.notified();
    expect(t.p.remote.stats().peerResets).toBe(resets + 1);
    expect(lens).toEqual([10, 3]);
  });

  it("never lets an exception or an out-of-region access escape while random bytes hit rings, headers and status", async () => {
    const t = await linked();
    const { p } = t;
    const size = p.layout.shmSize;
    const ringsLo = p.layout.vring1Offset;
    const ringsHi = p.layout.vring0Offset + vringSize(p.layout.num, p.layout.align);
    const target = fc.oneof(
      fc.integer({ min: ringsLo, max: ringsHi - 1 }),
      fc.integer({ min: 0, max: 2 * p.layout.num - 1 }).chain((k) => fc.integer({ min: 0, max: 15 }).map((o) => p.layout.poolOffset + 512 * k + o)),
      fc.constant(0),
      fc.integer({ min: 0, max: size - 1 }),
    );
    const op = fc.oneof(
      fc.record({ kind: fc.constant("poke" as const), off: target, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
      fc.record({ kind: fc.constantFrom("host" as const, "remote" as const), len: fc.integer({ min: 0, max: 600 }) }),
      fc.constant({ kind: "pump" as const }),
    );
    const mem = new Uint8Array(p.shm);
    let ops = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 40 }), (list) => {
        for (const o of list) {
          ops++;
          if (o.kind === "poke") mem.set(o.bytes.subarray(0, Math.max(0, size - o.off)), o.off);
          else if (o.kind === "pump") p.pump();
          else {
            try {
              (o.kind === "host" ? t.h : t.r).trySend(new Uint8Array(o.len));
            } catch (err) {
              if (!(err instanceof RpmsgError)) throw err;
            }
          }
        }
        p.host.notified();
        p.remote.notified();
        return p.host.stats().ioFaults === 0 && p.remote.stats().ioFaults === 0;
      }),
      { numRuns: 1000, seed: 12345 },
    );
    expect(ops).toBeGreaterThan(10_000);
    const dropped = p.host.stats().droppedMalformed + p.remote.stats().droppedMalformed;
    expect(dropped).toBeGreaterThan(0);
  }, 60_000);
});
