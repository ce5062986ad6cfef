/**
 * The benchmark's wire-format floor (bench/_virtq-link.ts, a hand-written
 * split virtqueue in plain JS) speaks the same RPMsg over the same static
 * vrings as v8r: a floor host talks to a v8r remote both ways, many times
 * round each ring, and its kick suppression is what v8r honours. Else the
 * floor would not measure the wire format.
 */
import { describe, expect, it } from "vitest";
import { virtqLink } from "../bench/_virtq-link.ts";
import { staticVringsLayout } from "../src/static-vrings-layout.ts";
import { openamp } from "./_pair.ts";

/** VIRTIO_CONFIG_S_ACKNOWLEDGE | DRIVER | DRIVER_OK: what a host writes before the remote may start. */
const DRIVER_OK_STATUS = 7;

describe("the bench's split-virtqueue floor", () => {
  it("exchanges messages with a v8r remote, both ways, round the rings", async () => {
    const shm = new SharedArrayBuffer(0x40000);
    const layout = staticVringsLayout({ shmSize: shm.byteLength });
    const kicks = { toHost: 0, toRemote: 0 };
    const host = virtqLink(shm, "host", () => void kicks.toRemote++);
    const fromRemote: string[] = [];
    host.open(0, (d, src) => void fromRemote.push(`${src}:${Array.from(d).join(",")}`));
    new Uint8Array(shm)[layout.statusOffset] = DRIVER_OK_STATUS;
    const oa = await openamp();
    const remote = await oa.createRpmsgDevice({ role: "remote", layout, shm: { buffer: shm }, notify: () => void kicks.toHost++ });
    remote.poll();
    await remote.ready;
    const fromHost: string[] = [];
    const ep = remote.createEndpoint({
      name: "floor",
      onMessage: (d, src) => {
        fromHost.push(`${src}:${Array.from(d).join(",")}`);
        ep.trySend(d.map((b) => b ^ 0xff));
      },
    });
    expect(ep.addr).toBe(1024); // the floor's endpoint 0 sends to 1024
    expect(host.poll()).toBe(1); // the remote's name-service announcement (no handler at 53: dropped)
    expect(fromRemote).toEqual([]);
    const rounds = 3 * layout.num + 5; // every descriptor and ring slot reused, indices past a wrap of the ring
    for (let i = 0; i < rounds; i++) {
      const payload = Uint8Array.from({ length: 1 + (i % 40) }, (_, k) => (i + k) & 0xff);
      expect(host.send(0, payload)).toBe(true);
      expect(remote.poll()).toBeGreaterThan(0);
      expect(host.poll()).toBe(1);
      expect(fromHost.at(-1)).toBe(`1024:${Array.from(payload).join(",")}`);
      expect(fromRemote.at(-1)).toBe(`1024:${Array.from(payload, (b) => b ^ 0xff).join(",")}`);
    }
    expect(fromHost).toHaveLength(rounds);
    expect(fromRemote).toHaveLength(rounds);
    remote.dispose();
  });

  it("exchanges messages with a v8r host, both ways, round the rings", async () => {
    const shm = new SharedArrayBuffer(0x40000);
    const layout = staticVringsLayout({ shmSize: shm.byteLength });
    const oa = await openamp();
    const host = await oa.createRpmsgDevice({ role: "host", layout, shm: { buffer: shm }, notify: () => {} });
    await host.ready;
    const fromRemote: string[] = [];
    const ep = host.createEndpoint({
      name: "floor",
      onMessage: (d, src) => {
        fromRemote.push(`${src}:${Array.from(d).join(",")}`);
        ep.trySend(d.map((b) => b ^ 0xff));
      },
    });
    expect(ep.addr).toBe(1024);
    const remote = virtqLink(shm, "remote", () => {});
    const fromHost: string[] = [];
    remote.open(0, (d, src) => void fromHost.push(`${src}:${Array.from(d).join(",")}`));
    expect(remote.poll()).toBe(1); // the host's name-service announcement, dropped
    const rounds = 3 * layout.num + 5;
    for (let i = 0; i < rounds; i++) {
      const payload = Uint8Array.from({ length: 1 + (i % 40) }, (_, k) => (3 * i + k) & 0xff);
      expect(remote.send(0, payload)).toBe(true);
      expect(host.poll()).toBe(1);
      expect(remote.poll()).toBe(1);
      expect(fromRemote.at(-1)).toBe(`1024:${Array.from(payload).join(",")}`);
      expect(fromHost.at(-1)).toBe(`1024:${Array.from(payload, (b) => b ^ 0xff).join(",")}`);
    }
    expect(fromHost).toHaveLength(rounds);
    host.dispose();
  });

  it("asks v8r not to kick while it drains, and again after idle()", async () => {
    const shm = new SharedArrayBuffer(0x40000);
    const layout = staticVringsLayout({ shmSize: shm.byteLength });
    const kicks = { toHost: 0 };
    const host = virtqLink(shm, "host", () => {});
    let got = 0;
    host.open(0, () => void got++);
    new Uint8Array(shm)[layout.statusOffset] = DRIVER_OK_STATUS;
    const oa = await openamp();
    const remote = await oa.createRpmsgDevice({ role: "remote", layout, shm: { buffer: shm }, notify: () => void kicks.toHost++ });
    remote.poll();
    await remote.ready;
    const ep = remote.createEndpoint({ name: "floor", onMessage: () => {} });
    host.send(0, new Uint8Array([1])); // binds the remote's endpoint to 1024
    remote.poll();
    host.poll(); // kicks off
    kicks.toHost = 0;
    for (let i = 0; i < 5; i++) ep.trySend(new Uint8Array([i]));
    expect(kicks.toHost).toBe(0);
    expect(host.idle()).toBe(false); // pending: drain before sleeping
    expect(host.poll()).toBe(5);
    expect(host.idle()).toBe(true);
    ep.trySend(new Uint8Array([9]));
    expect(kicks.toHost).toBe(1);
    expect(host.poll()).toBe(1);
    expect(got).toBe(6);
    remote.dispose();
  });
});
