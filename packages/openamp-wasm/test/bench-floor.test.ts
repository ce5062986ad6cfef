/**
 * The benchmark's wire-format floor (bench/_virtq-link.ts, a hand-written
 * split virtqueue in plain JS) speaks the same RPMsg over the same static
 * vrings as v8r: a floor host talks to a v8r remote both ways, many times
 * round each ring, and its kick suppression is what v8r honours. Else the
 * floor would not measure the wire format.
 */
import { describe, expect, it } from "vitest";
import type { Link } from "../bench/_link.ts";
import { virtqLink } from "../bench/_virtq-link.ts";
import type { RpmsgDevice } from "../src/rpmsg-device.ts";
import { staticVringsLayout } from "../src/static-vrings-layout.ts";
import { openamp } from "./_pair.ts";

/** VIRTIO_CONFIG_S_ACKNOWLEDGE | DRIVER | DRIVER_OK: what a host writes before the remote may start. */
const DRIVER_OK_STATUS = 7;

/** A message as text: its sender, then its bytes. */
const text = (d: Uint8Array, src: number): string => `${src}:${Array.from(d).join(",")}`;

/** The floor's side sends, v8r's endpoint records each message and sends it back inverted, the floor records that; three times round the rings (every descriptor and slot reused, indices past a wrap), each checked both ways. */
function exchange(floor: Link, v8r: RpmsgDevice, num: number): void {
  const atV8r: string[] = [], atFloor: string[] = [];
  const ep = v8r.createEndpoint({
    name: "floor",
    onMessage: (d, src) => {
      atV8r.push(text(d, src));
      ep.trySend(d.map((b) => b ^ 0xff));
    },
  });
  expect(ep.addr).toBe(1024); // the floor's endpoint 0 sends to 1024
  floor.open(0, (d, src) => void atFloor.push(text(d, src)));
  expect(floor.poll()).toBe(1); // v8r's name-service announcement (no handler at 53: dropped)
  const rounds = 3 * num + 5;
  for (let i = 0; i < rounds; i++) {
    const payload = Uint8Array.from({ length: 1 + (i % 40) }, (_, k) => (3 * i + k) & 0xff);
    expect(floor.send(0, payload)).toBe(true);
    expect(v8r.poll()).toBe(1);
    expect(floor.poll()).toBe(1);
    expect(atV8r.at(-1)).toBe(text(payload, 1024));
    expect(atFloor.at(-1)).toBe(text(payload.map((b) => b ^ 0xff), 1024));
  }
  expect([atV8r.length, atFloor.length]).toEqual([rounds, rounds]);
}

describe("the bench's split-virtqueue floor", () => {
  it("exchanges messages with a v8r remote, both ways, round the rings", async () => {
    const shm = new SharedArrayBuffer(0x40000);
    const layout = staticVringsLayout({ shmSize: shm.byteLength });
    const host = virtqLink(shm, "host", () => {});
    new Uint8Array(shm)[layout.statusOffset] = DRIVER_OK_STATUS;
    const remote = await (await openamp()).createRpmsgDevice({ role: "remote", layout, shm: { buffer: shm }, notify: () => {} });
    remote.poll();
    await remote.ready;
    exchange(host, remote, layout.num);
    remote.dispose();
  });

  it("exchanges messages with a v8r host, both ways, round the rings", async () => {
    const shm = new SharedArrayBuffer(0x40000);
    const layout = staticVringsLayout({ shmSize: shm.byteLength });
    const host = await (await openamp()).createRpmsgDevice({ role: "host", layout, shm: { buffer: shm }, notify: () => {} });
    await host.ready;
    exchange(virtqLink(shm, "remote", () => {}), host, layout.num);
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
