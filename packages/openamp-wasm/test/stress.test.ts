import { describe, expect, it } from "vitest";
import type { RpmsgEndpoint } from "../src/rpmsg-endpoint.ts";
import { createPair, openamp, type Pair } from "./_pair.ts";
import { Stream } from "./_traffic.ts";

describe("host and remote on one SharedArrayBuffer, inline", () => {
  it("carries 100,000 messages of random sizes 0-496 each way without loss, duplication or reordering", async () => {
    const p = await createPair();
    const toRemote = new Stream(1, 100_000);
    const toHost = new Stream(2, 100_000);
    const r = p.remote.createEndpoint({ name: "stress", onMessage: toRemote.onMessage });
    const h = p.host.createEndpoint({ name: "stress", onMessage: toHost.onMessage });
    p.pump();
    for (let round = 0; round < 20_000 && (toRemote.received < 100_000 || toHost.received < 100_000); round++) {
      toRemote.pushFrom(h);
      toHost.pushFrom(r);
      p.pump();
    }
    expect(toRemote.errors).toEqual([]);
    expect(toHost.errors).toEqual([]);
    expect(toRemote.received).toBe(100_000);
    expect(toHost.received).toBe(100_000);
    const hs = p.host.stats();
    expect(hs.txMessages).toBeGreaterThanOrEqual(100_000);
    expect(hs.rxMessages).toBeGreaterThanOrEqual(100_000);
    expect(hs.droppedMalformed).toBe(0);
    expect(hs.ioFaults).toBe(0);
    p.host.dispose();
    p.remote.dispose();
  }, 60_000);

  it("keeps several endpoints' streams apart", async () => {
    const p = await createPair();
    const pairs: { s1: Stream; s2: Stream; h: RpmsgEndpoint; r: RpmsgEndpoint }[] = [];
    for (let i = 0; i < 4; i++) {
      const s1 = new Stream(10 + i, 2000);
      const s2 = new Stream(20 + i, 2000);
      const r = p.remote.createEndpoint({ name: `svc-${i}`, onMessage: s1.onMessage });
      const h = p.host.createEndpoint({ name: `svc-${i}`, onMessage: s2.onMessage });
      pairs.push({ s1, s2, h, r });
    }
    p.pump();
    for (let round = 0; round < 10_000 && pairs.some((x) => x.s1.received < 2000 || x.s2.received < 2000); round++) {
      for (const x of pairs) {
        x.s1.trySendOne(x.h);
        x.s2.trySendOne(x.r);
      }
      p.pump();
    }
    for (const x of pairs) {
      expect([x.s1.errors, x.s2.errors]).toEqual([[], []]);
      expect([x.s1.received, x.s2.received]).toEqual([2000, 2000]);
    }
  });

  it("re-binds after the remote destroys and re-creates an endpoint", async () => {
    const got: string[] = [];
    const hostEps: RpmsgEndpoint[] = [];
    let unbound = 0;
    const p: Pair = await createPair({
      extra: {
        onNameService: (name, addr) => {
          const ep: RpmsgEndpoint = p.host.createEndpoint({
            name, dst: addr, onMessage: () => {}, onUnbound: () => { unbound++; ep.destroy(); },
          });
          hostEps.push(ep);
        },
      },
    });
    const make = (): RpmsgEndpoint => p.remote.createEndpoint({ name: "again", onMessage: (d) => got.push(new TextDecoder().decode(d)) });
    let r = make();
    p.pump();
    expect(hostEps.length).toBe(1);
    await hostEps[0]?.send(new TextEncoder().encode("one"), { timeoutMs: 100 });
    p.pump();
    r.destroy();
    p.pump();
    expect(unbound).toBe(1);
    expect(hostEps[0]?.destroyed).toBe(true);
    r = make();
    p.pump();
    expect(hostEps.length).toBe(2);
    await hostEps[1]?.send(new TextEncoder().encode("two"), { timeoutMs: 100 });
    p.pump();
    expect(got).toEqual(["one", "two"]);
    expect(r.bound).toBe(true);
  });

  it("recovers the link when the host re-initialises while the remote keeps running", async () => {
    const p = await createPair();
    const got: string[] = [];
    const bound: number[] = [];
    let unbound = 0;
    const r = p.remote.createEndpoint({
      name: "svc", onMessage: (d) => got.push(new TextDecoder().decode(d)), onBound: (d) => bound.push(d), onUnbound: () => void unbound++,
    });
    const h1 = p.host.createEndpoint({ name: "svc", onMessage: () => {} });
    p.pump();
    expect(h1.trySend(new TextEncoder().encode("before"))).toBe(6);
    p.pump();
    p.host.dispose();
    const oa = await openamp();
    let remoteKicks = 0;
    const host2 = await oa.createRpmsgDevice({ role: "host", layout: p.layout, shm: { buffer: p.shm }, notify: () => void remoteKicks++ });
    const h2 = host2.createEndpoint({ name: "svc", onMessage: (d) => got.push(`host:${new TextDecoder().decode(d)}`) });
    // the remote notices on its next notification (or poll), re-announces, and binds again
    p.remote.notified();
    host2.notified();
    p.remote.notified();
    expect(unbound).toBe(1);
    expect(p.remote.stats().peerResets).toBe(1);
    expect(r.bound).toBe(true);
    expect(h2.bound).toBe(true);
    await h2.send(new TextEncoder().encode("after"), { timeoutMs: 100 });
    p.remote.notified();
    r.trySend(new TextEncoder().encode("reply"));
    host2.notified();
    expect(got).toEqual(["before", "after", "host:reply"]);
    expect(remoteKicks).toBeGreaterThan(0);
    host2.dispose();
    p.remote.dispose();
  });

  it("lets a restarted remote resume on rings the host keeps running", async () => {
    const p = await createPair();
    const got: string[] = [];
    const h = p.host.createEndpoint({ name: "svc", onMessage: (d) => got.push(new TextDecoder().decode(d)) });
    const r1 = p.remote.createEndpoint({ name: "svc", onMessage: () => {} });
    p.pump();
    for (let i = 0; i < 40; i++) {
      r1.trySend(new TextEncoder().encode(`old ${i}`));
      p.pump();
    }
    p.remote.dispose();
    const oa = await openamp();
    const remote2 = await oa.createRpmsgDevice({ role: "remote", layout: p.layout, shm: { buffer: p.shm }, notify: () => void p.kicks.toHost++ });
    const seen: string[] = [];
    const r2 = remote2.createEndpoint({ name: "svc", onMessage: (d) => seen.push(new TextDecoder().decode(d)) });
    p.host.notified(); // the re-announcement finds h still bound to the same address
    expect(h.trySend(new TextEncoder().encode("back"))).toBe(4);
    remote2.notified(); // r2 binds on the host's first message
    expect(seen).toEqual(["back"]);
    expect(r2.trySend(new TextEncoder().encode("new"))).toBe(3);
    p.host.notified();
    expect(got.slice(-1)).toEqual(["new"]);
    expect(p.host.stats().droppedMalformed).toBe(0);
  });
});
