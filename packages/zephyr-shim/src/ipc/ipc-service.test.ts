import { describe, expect, it } from "vitest";
import { createFakeDomainPair } from "../../test/_fake-domain.ts";
import { fakeLinkFactory } from "../../test/_fake-link.ts";
import { VirtualClock } from "@v8r/fvp-core";
import { bootZephyr } from "../zephyr.ts";
import { IpcError } from "./ipc-error.ts";
import {
  ipc_service_close_instance,
  ipc_service_deregister_endpoint,
  ipc_service_drop_tx_buffer,
  ipc_service_get_tx_buffer,
  ipc_service_get_tx_buffer_size,
  ipc_service_hold_rx_buffer,
  ipc_service_open_instance,
  ipc_service_register_endpoint,
  ipc_service_release_rx_buffer,
  ipc_service_send,
  ipc_service_send_nocopy,
  type IpcEndpoint,
  RPMSG_SEND_TIMEOUT_MS,
} from "./ipc-service.ts";
import { K_FOREVER, K_NO_WAIT } from "../kernel/timeout.ts";
import { createRpmsgIpcInstance } from "./rpmsg-static-vrings.ts";

function recorder() {
  const events: string[] = [];
  const cb = (tag: string) => ({
    bound: () => events.push(`${tag}:bound`),
    unbound: () => events.push(`${tag}:unbound`),
    received: (d: Uint8Array) => events.push(`${tag}:rx:${new TextDecoder().decode(d)}`),
  });
  return { events, cb };
}

async function setup(num = 8, pollMs?: number) {
  const clock = new VirtualClock();
  const pair = createFakeDomainPair({ clock });
  const factory = fakeLinkFactory({ num });
  const host = bootZephyr(pair.zephyr.ctx);
  const remote = bootZephyr(pair.linux.ctx);
  const hostIpc = createRpmsgIpcInstance(host, { role: "host", linkFactory: factory });
  const remoteIpc = createRpmsgIpcInstance(remote, { role: "remote", linkFactory: factory, ...(pollMs !== undefined ? { pollMs } : {}) });
  await ipc_service_open_instance(remoteIpc);
  await ipc_service_open_instance(hostIpc);
  return { clock, pair, host, remote, hostIpc, remoteIpc, factory };
}

describe("IPC service over the RPMsg static-vrings backend (fake link)", () => {
  it("binds an endpoint on both sides only after the empty-message handshake", async () => {
    const s = await setup();
    const r = recorder();
    const h = ipc_service_register_endpoint(s.hostIpc, { name: "rpmsg-demo", cb: r.cb("host") });
    const m = ipc_service_register_endpoint(s.remoteIpc, { name: "rpmsg-demo", cb: r.cb("remote") });
    await s.clock.run(10);
    expect(r.events).toEqual(["remote:bound", "host:bound"]);
    expect(h.bound && m.bound).toBe(true);
    await ipc_service_send(h, new TextEncoder().encode("hello"));
    await ipc_service_send(m, new TextEncoder().encode("back"));
    await s.clock.run(20);
    expect(r.events.slice(2)).toEqual(["remote:rx:hello", "host:rx:back"]);
  });

  it("a send before bound goes out once the endpoint has a peer; without one it is ENOTCONN", async () => {
    const s = await setup();
    const r = recorder();
    const h = ipc_service_register_endpoint(s.hostIpc, { name: "rpmsg-demo", cb: r.cb("host") });
    await expect(ipc_service_send(h, new Uint8Array([1]))).rejects.toMatchObject({ code: "ENOTCONN", message: /has not announced it/ });
    const m = ipc_service_register_endpoint(s.remoteIpc, { name: "rpmsg-demo", cb: r.cb("remote") });
    // the remote's doorbell is masked: it announced, the host bound and sent its handshake, nobody answered yet
    s.pair.linux.ctx.evtchn.mask(0xa);
    await s.clock.run(10);
    expect(h.bound || m.bound).toBe(false);
    await expect(ipc_service_send(m, new TextEncoder().encode("early"))).rejects.toMatchObject({ code: "ENOTCONN" });
    expect(await ipc_service_send(h, new TextEncoder().encode("early"))).toBe(5);
    s.pair.linux.ctx.evtchn.unmask(0xa);
    await s.clock.run(20);
    expect(r.events).toEqual(["remote:bound", "remote:rx:early", "host:bound"]);
  });

  it("a send is EBUSY while the instance is not ready (a remote whose host is not up), ENOENT after deregistering", async () => {
    const clock = new VirtualClock();
    const pair = createFakeDomainPair({ clock });
    const factory = fakeLinkFactory();
    const remoteIpc = createRpmsgIpcInstance(bootZephyr(pair.linux.ctx), { role: "remote", linkFactory: factory });
    await ipc_service_open_instance(remoteIpc);
    const m = ipc_service_register_endpoint(remoteIpc, { name: "e", cb: {} });
    await expect(ipc_service_send(m, new Uint8Array([1]))).rejects.toMatchObject({ code: "EBUSY", message: /not ready/ });
    ipc_service_deregister_endpoint(m);
    await expect(ipc_service_send(m, new Uint8Array([1]))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("serves two endpoints on one link, each receiving only its own messages", async () => {
    const s = await setup();
    const r = recorder();
    const eps: IpcEndpoint[] = [];
    for (const name of ["rpmsg-demo", "rpmsg-ctrl"]) {
      eps.push(ipc_service_register_endpoint(s.hostIpc, { name, cb: r.cb(`h-${name}`) }));
      ipc_service_register_endpoint(s.remoteIpc, { name, cb: r.cb(`r-${name}`) });
    }
    await s.clock.run(10);
    await ipc_service_send(eps[0]!, new TextEncoder().encode("status"));
    await ipc_service_send(eps[1]!, new TextEncoder().encode("cmd"));
    await s.clock.run(20);
    expect(r.events.filter((e) => e.includes(":rx:"))).toEqual(["r-rpmsg-demo:rx:status", "r-rpmsg-ctrl:rx:cmd"]);
  });

  it("an endpoint the host registers after the announcement still binds", async () => {
    const s = await setup();
    const r = recorder();
    ipc_service_register_endpoint(s.remoteIpc, { name: "late", cb: r.cb("remote") });
    await s.clock.run(10);
    ipc_service_register_endpoint(s.hostIpc, { name: "late", cb: r.cb("host") });
    await s.clock.run(20);
    expect(r.events).toEqual(["remote:bound", "host:bound"]);
  });

  it("deregistering on the remote unbinds the host endpoint; re-registering binds again", async () => {
    const s = await setup();
    const r = recorder();
    ipc_service_register_endpoint(s.hostIpc, { name: "e", cb: r.cb("host") });
    const m = ipc_service_register_endpoint(s.remoteIpc, { name: "e", cb: r.cb("remote") });
    await s.clock.run(10);
    expect(ipc_service_deregister_endpoint(m)).toBe(0);
    expect(ipc_service_deregister_endpoint(m)).toBeLessThan(0);
    await s.clock.run(20);
    expect(r.events).toEqual(["remote:bound", "host:bound", "host:unbound"]);
    ipc_service_register_endpoint(s.remoteIpc, { name: "e", cb: r.cb("remote2") });
    await s.clock.run(30);
    expect(r.events.slice(3)).toEqual(["remote2:bound", "host:bound"]);
  });

  it("a full TX ring gives ENOMEM with timeoutMs 0, or waits up to timeoutMs for a buffer", async () => {
    const s = await setup(2);
    const h = ipc_service_register_endpoint(s.hostIpc, { name: "e", cb: {} });
    ipc_service_register_endpoint(s.remoteIpc, { name: "e", cb: {} });
    await s.clock.run(10);
    s.pair.linux.ctx.evtchn.mask(0xa);
    await ipc_service_send(h, new Uint8Array([1]));
    await ipc_service_send(h, new Uint8Array([2]));
    const err = await ipc_service_send(h, new Uint8Array([3]), { timeoutMs: 0 }).catch((e: unknown) => e);
    expect((err as IpcError).code).toBe("ENOMEM");
    const waiting = ipc_service_send(h, new Uint8Array([3]), { timeoutMs: 50 });
    s.clock.setTimeout(() => s.pair.linux.ctx.evtchn.unmask(0xa), 20);
    await s.clock.run(100);
    await expect(waiting).resolves.toBe(1);
  });

  it("by default a send on a full TX ring waits for a buffer as rpmsg_send does: up to 15 s, then ENOMEM", async () => {
    const s = await setup(1, 0); // the remote does not poll its rings: with its doorbell masked it consumes nothing
    const h = ipc_service_register_endpoint(s.hostIpc, { name: "e", cb: {} });
    ipc_service_register_endpoint(s.remoteIpc, { name: "e", cb: {} });
    await s.clock.run(10);
    s.pair.linux.ctx.evtchn.mask(0xa);
    await ipc_service_send(h, new Uint8Array([1]));
    const started = s.clock.now();
    const gaveUp = ipc_service_send(h, new Uint8Array([2])).catch((e: unknown) => [(e as IpcError).code, s.clock.now() - started]);
    await s.clock.run(started + RPMSG_SEND_TIMEOUT_MS + 100);
    expect(RPMSG_SEND_TIMEOUT_MS).toBe(15_000);
    expect(await gaveUp).toEqual(["ENOMEM", RPMSG_SEND_TIMEOUT_MS]);
    const waits = ipc_service_send(h, new Uint8Array([3]));
    s.clock.setTimeout(() => s.pair.linux.ctx.evtchn.unmask(0xa), 5_000);
    await s.clock.run(s.clock.now() + 6_000);
    await expect(waits).resolves.toBe(1);
  });

  it("get_tx_buffer: K_NO_WAIT gives ENOBUFS on a full ring, K_FOREVER waits, a number of ms waits that long", async () => {
    const s = await setup(1);
    const h = ipc_service_register_endpoint(s.hostIpc, { name: "e", cb: {} });
    ipc_service_register_endpoint(s.remoteIpc, { name: "e", cb: {} });
    await s.clock.run(10);
    s.pair.linux.ctx.evtchn.mask(0xa);
    await ipc_service_send(h, new Uint8Array([1]));
    await expect(ipc_service_get_tx_buffer(h, 0, K_NO_WAIT)).rejects.toMatchObject({ code: "ENOBUFS" });
    const timed = ipc_service_get_tx_buffer(h, 0, 30).catch((e: unknown) => [(e as IpcError).code, s.clock.now()]);
    await s.clock.run(100);
    expect(await timed).toEqual(["ENOBUFS", 40]);
    const forever = ipc_service_get_tx_buffer(h, 0, K_FOREVER);
    s.clock.setTimeout(() => s.pair.linux.ctx.evtchn.unmask(0xa), 1000);
    await s.clock.run(2000);
    await expect(forever).resolves.toMatchObject({ size: 496 });
  });

  it("get_tx_buffer refuses a size over the buffer (ENOMEM) and a wait that is not a timeout (RangeError); get_tx_buffer_size is 496", async () => {
    const s = await setup();
    const h = ipc_service_register_endpoint(s.hostIpc, { name: "e", cb: {} });
    ipc_service_register_endpoint(s.remoteIpc, { name: "e", cb: {} });
    await s.clock.run(10);
    expect(ipc_service_get_tx_buffer_size(h)).toBe(496);
    await expect(ipc_service_get_tx_buffer(h, 497, K_NO_WAIT)).rejects.toMatchObject({ code: "ENOMEM", message: /496-byte/ });
    await expect(ipc_service_get_tx_buffer(h, 496, K_NO_WAIT)).resolves.toMatchObject({ size: 496 });
    await expect(ipc_service_get_tx_buffer(h, 0, -5)).rejects.toThrow(RangeError);
    ipc_service_deregister_endpoint(h);
    expect(() => ipc_service_get_tx_buffer_size(h)).toThrow(expect.objectContaining({ code: "ENOENT" }));
  });

  it("drop_tx_buffer is ENOTSUP, as in Zephyr's static-vrings backend; the buffer can still be sent", async () => {
    const s = await setup();
    const got: string[] = [];
    const h = ipc_service_register_endpoint(s.hostIpc, { name: "e", cb: {} });
    ipc_service_register_endpoint(s.remoteIpc, { name: "e", cb: { received: (d) => got.push(new TextDecoder().decode(d)) } });
    await s.clock.run(10);
    const buf = await ipc_service_get_tx_buffer(h);
    expect(() => ipc_service_drop_tx_buffer(h, buf)).toThrow(expect.objectContaining({ code: "ENOTSUP", errno: -134 }));
    buf.data.set([0x6f, 0x6b]);
    expect(ipc_service_send_nocopy(h, buf, 2)).toBe(2);
    expect(() => ipc_service_send_nocopy(h, buf, 0)).toThrow(expect.objectContaining({ code: "EBADMSG" }));
    await s.clock.run(20);
    expect(got).toEqual(["ok"]);
  });

  it("hold_rx_buffer works only inside received, on its buffer; release_rx_buffer only on a held one", async () => {
    const s = await setup();
    let kept: Uint8Array | undefined;
    const m = ipc_service_register_endpoint(s.remoteIpc, {
      name: "e",
      cb: {
        received: (d) => {
          expect(() => ipc_service_hold_rx_buffer(m, new Uint8Array(1))).toThrow(TypeError);
          expect(ipc_service_hold_rx_buffer(m, d)).toBe(0);
          kept = d;
        },
      },
    });
    const h = ipc_service_register_endpoint(s.hostIpc, { name: "e", cb: {} });
    await s.clock.run(10);
    await ipc_service_send(h, new Uint8Array([9]));
    await s.clock.run(20);
    expect(kept).toBeDefined();
    expect(() => ipc_service_hold_rx_buffer(m, kept!)).toThrow(/inside the received callback/);
    expect(ipc_service_release_rx_buffer(m, kept!)).toBe(0);
    expect(() => ipc_service_release_rx_buffer(m, kept!)).toThrow(/not held/);
  });

  it.each([
    ["an empty message", 0, "EBADMSG"],
    ["a 497-byte message", 497, "EMSGSIZE"],
  ])("%s is refused with %s", async (_what, size, code) => {
    const data = new Uint8Array(size as number);
    const s = await setup();
    const h = ipc_service_register_endpoint(s.hostIpc, { name: "e", cb: {} });
    ipc_service_register_endpoint(s.remoteIpc, { name: "e", cb: {} });
    await s.clock.run(10);
    await expect(ipc_service_send(h, data)).rejects.toMatchObject({ code });
  });

  it("no-copy send: fill a lent buffer and send part of it", async () => {
    const s = await setup();
    const got: string[] = [];
    const h = ipc_service_register_endpoint(s.hostIpc, { name: "e", cb: {} });
    ipc_service_register_endpoint(s.remoteIpc, { name: "e", cb: { received: (d) => got.push(new TextDecoder().decode(d)) } });
    await s.clock.run(10);
    const buf = await ipc_service_get_tx_buffer(h);
    expect(buf.size).toBe(496);
    buf.data.set(new TextEncoder().encode("zero-copy!"));
    expect(ipc_service_send_nocopy(h, buf, 9)).toBe(9);
    await s.clock.run(20);
    expect(got).toEqual(["zero-copy"]);
  });

  it("close is refused while endpoints are registered; afterwards it can be reopened", async () => {
    const s = await setup();
    const h = ipc_service_register_endpoint(s.hostIpc, { name: "e", cb: {} });
    await expect(ipc_service_close_instance(s.hostIpc)).rejects.toMatchObject({ code: "EBUSY" });
    ipc_service_deregister_endpoint(h);
    await expect(ipc_service_close_instance(s.hostIpc)).resolves.toBe(0);
    await expect(ipc_service_open_instance(s.hostIpc)).resolves.toBe(0);
    expect(await ipc_service_open_instance(s.hostIpc)).toBeLessThan(0);
  });

  it("opening fails with ENOENT when no region has the configured xen,id", async () => {
    const clock = new VirtualClock();
    const pair = createFakeDomainPair({ clock });
    const k = bootZephyr(pair.zephyr.ctx);
    const inst = createRpmsgIpcInstance(k, { role: "host", shmId: "nope", linkFactory: fakeLinkFactory() });
    await expect(ipc_service_open_instance(inst)).rejects.toMatchObject({ code: "ENOENT", message: /xen,id "nope".*rpmsg-shm/ });
  });
});
