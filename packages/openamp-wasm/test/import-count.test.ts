/**
 * Crossings of the wasm import boundary per message: every "v8r_shm" import
 * of both devices is counted while the host (or the remote) sends windows of
 * 64 messages that the peer drains, in steady state. The budget is 6 shared-
 * memory imports per one-way message, sender and receiver together.
 */
import { describe, expect, it } from "vitest";
import { countShmImports, importCounts } from "../src/_import-counter.ts";
import { RpmsgDevice } from "../src/rpmsg-device.ts";
import type { RpmsgEndpoint } from "../src/rpmsg-endpoint.ts";
import { staticVringsLayout } from "../src/static-vrings-layout.ts";
import { openamp } from "./_pair.ts";

async function countedPair() {
  const shm = new SharedArrayBuffer(0x40000); // num = 128
  const layout = staticVringsLayout({ shmSize: shm.byteLength });
  const counts = importCounts();
  const { module } = await openamp();
  const make = (role: "host" | "remote"): Promise<RpmsgDevice> =>
    RpmsgDevice.create(module, { role, layout, shm: { buffer: shm }, notify: () => {} }, countShmImports(counts));
  const host = await make("host"), remote = await make("remote");
  const got = { host: 0, remote: 0 };
  const eps = {
    host: host.createEndpoint({ name: "count", onMessage: () => void got.host++ }),
    remote: remote.createEndpoint({ name: "count", onMessage: () => void got.remote++ }),
  };
  for (let i = 0; i < 10 && !(eps.host.bound && eps.remote.bound); i++) { host.notified(); remote.notified(); }
  return { host, remote, eps, got, counts };
}

describe("shared-memory imports per message", () => {
  it.each(["host", "remote"] as const)("stay within 6 per one-way message from the %s in steady state", async (from) => {
    const p = await countedPair();
    const to = from === "host" ? "remote" : "host";
    const sender: RpmsgEndpoint = p.eps[from];
    const payload = new Uint8Array(32);
    const windows = (n: number): void => {
      for (let w = 0; w < n; w++) {
        for (let i = 0; i < 64; i++) sender.trySend(payload);
        p[to].notified();
      }
    };
    windows(10);
    const named = (name: string): number => p.counts.byName[name] ?? 0;
    const before = p.counts.total, gotBefore = p.got[to], blockReadsBefore = named("block_read"), gathersBefore = named("block_gather");
    windows(50);
    const messages = p.got[to] - gotBefore;
    expect(messages).toBe(50 * 64);
    const perMessage = (p.counts.total - before) / messages;
    expect(perMessage).toBeLessThanOrEqual(6);
    expect(perMessage).toBeGreaterThan(1); // the count is real: a message needs at least its publish
    // the device reads the descriptors of a window with their avail entries, a run in one block, and the receiver
    // the RPMsg headers of what it read ahead in one block_gather: no block read per message is left
    expect((named("block_read") - blockReadsBefore) / messages).toBeLessThan(0.2);
    const gathers = named("block_gather") - gathersBefore;
    expect(gathers).toBeGreaterThan(0);
    expect(gathers / messages).toBeLessThan(0.1);
    p.host.dispose();
    p.remote.dispose();
  });
});
