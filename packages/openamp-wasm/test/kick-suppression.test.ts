/**
 * poll() / idle(): a receiver that polls asks the peer not to kick (the
 * legacy split ring's VRING_USED_F_NO_NOTIFY / VRING_AVAIL_F_NO_INTERRUPT, as
 * upstream honours them without EVENT_IDX) and re-checks after asking again,
 * so no message is left behind when it sleeps. And the ring stays whole when
 * shared memory is corrupted.
 */
import { describe, expect, it } from "vitest";
import { type Pair, createPair, openamp } from "./_pair.ts";

async function bound(p: Pair) {
  const got = { host: [] as number[], remote: [] as number[] };
  const eps = {
    host: p.host.createEndpoint({ name: "k", onMessage: (d) => void got.host.push(d[0] ?? -1) }),
    remote: p.remote.createEndpoint({ name: "k", onMessage: (d) => void got.remote.push(d[0] ?? -1) }),
  };
  p.pump();
  expect(eps.host.bound && eps.remote.bound).toBe(true);
  return { eps, got };
}

describe.each(["host", "remote"] as const)("a %s that polls", (rx) => {
  const tx = rx === "host" ? "remote" : "host";

  it("gets no kicks while it polls, and every message", async () => {
    const p = await createPair();
    const { eps, got } = await bound(p);
    const kicks = (): number => (rx === "host" ? p.kicks.toHost : p.kicks.toRemote);
    p.kicks.toHost = p.kicks.toRemote = 0;
    expect(p[rx].poll()).toBe(0);
    for (let i = 0; i < 20; i++) eps[tx].trySend(new Uint8Array([i]));
    expect(kicks()).toBe(0);
    expect(p[rx].poll()).toBe(20);
    expect(got[rx]).toEqual(Array.from({ length: 20 }, (_, i) => i));
    p.host.dispose();
    p.remote.dispose();
  });

  it("idle() finds a message that came while kicks were off, and the next one kicks", async () => {
    const p = await createPair();
    const { eps, got } = await bound(p);
    const kicks = (): number => (rx === "host" ? p.kicks.toHost : p.kicks.toRemote);
    p[rx].poll();
    p.kicks.toHost = p.kicks.toRemote = 0;
    eps[tx].trySend(new Uint8Array([7]));
    expect(kicks()).toBe(0);
    expect(p[rx].idle()).toBe(false); // pending: poll again before sleeping
    expect(p[rx].poll()).toBe(1);
    expect(p[rx].idle()).toBe(true); // now it may sleep
    eps[tx].trySend(new Uint8Array([8]));
    expect(kicks()).toBe(1);
    p[rx].notified();
    expect(got[rx]).toEqual([7, 8]);
    p.host.dispose();
    p.remote.dispose();
  });

  it("notified() after poll() asks for kicks again", async () => {
    const p = await createPair();
    const { eps } = await bound(p);
    p[rx].poll();
    p[rx].notified();
    p.kicks.toHost = p.kicks.toRemote = 0;
    eps[tx].trySend(new Uint8Array([1]));
    expect(rx === "host" ? p.kicks.toHost : p.kicks.toRemote).toBe(1);
    p.host.dispose();
    p.remote.dispose();
  });
});

describe("descriptors corrupted in shared memory", () => {
  it("are whole again when the host next posts them (regression: a skipped rewrite lost every later message on them)", async () => {
    const p = await createPair();
    const { eps, got } = await bound(p);
    for (let i = 0; i < 40; i++) {
      eps.host.trySend(new Uint8Array([i]));
      p.pump();
    }
    // the host's send ring (vring 1): its first two descriptors
    new Uint8Array(p.shm, p.layout.vring1Offset, 32).fill(0xa5);
    for (let i = 0; i < 100; i++) {
      eps.host.trySend(new Uint8Array([i]));
      p.pump();
    }
    expect(got.remote.slice(40)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(p.remote.stats().droppedMalformed).toBe(0);
    p.host.dispose();
    p.remote.dispose();
  });
});

describe("a remote that only polls", () => {
  it("follows a host that re-initialises under it and receives again", async () => {
    const p = await createPair();
    const got: number[] = [];
    p.remote.createEndpoint({ name: "svc", onMessage: (d) => void got.push(d[0] ?? -1) });
    const h1 = p.host.createEndpoint({ name: "svc", onMessage: () => {} });
    p.pump();
    for (let i = 0; i < 5; i++) {
      h1.trySend(new Uint8Array([i]));
      p.remote.poll();
    }
    p.host.dispose();
    const host2 = await (await openamp()).createRpmsgDevice({ role: "host", layout: p.layout, shm: { buffer: p.shm }, notify: () => {} });
    const h2 = host2.createEndpoint({ name: "svc", dst: 1024, onMessage: () => {} });
    // the first message after the re-init shows the remote that the ring started over
    for (let i = 0; i < 20 && got.length < 7; i++) {
      if (h2.bound) h2.trySend(new Uint8Array([100 + i]));
      p.remote.poll();
      host2.poll();
    }
    expect(p.remote.stats().peerResets).toBe(1);
    expect(got.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(got.length).toBeGreaterThanOrEqual(6);
    host2.dispose();
    p.remote.dispose();
  });
});

describe("a remote whose host re-initialised the rings", () => {
  it("sends its next message on the new rings (regression: the first send after a re-init went to the old ring and was lost)", async () => {
    const p = await createPair();
    const got: string[] = [];
    const r = p.remote.createEndpoint({ name: "svc", dst: 1024, onMessage: () => {} });
    const h1 = p.host.createEndpoint({ name: "svc", dst: 1024, onMessage: (d) => void got.push(`1:${d[0]}`) });
    p.pump();
    for (let i = 0; i < 3; i++) {
      r.trySend(new Uint8Array([i]));
      p.host.notified();
    }
    expect(h1.addr).toBe(1024);
    p.host.dispose();
    const host2 = await (await openamp()).createRpmsgDevice({ role: "host", layout: p.layout, shm: { buffer: p.shm }, notify: () => {} });
    host2.createEndpoint({ name: "svc", dst: 1024, onMessage: (d) => void got.push(`2:${d[0]}`) });
    expect(r.trySend(new Uint8Array([9]))).toBe(1);
    host2.notified();
    expect(got).toEqual(["1:0", "1:1", "1:2", "2:9"]);
    expect(p.remote.stats().peerResets).toBe(1);
    host2.dispose();
    p.remote.dispose();
  });
});
