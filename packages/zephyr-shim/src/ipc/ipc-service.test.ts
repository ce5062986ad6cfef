import { describe, expect, it } from "vitest";
import { createFakeDomainPair } from "../../test/_fake-domain.ts";
import { fakeLinkFactory } from "../../test/_fake-link.ts";
import { VirtualClock } from "@v8r/fvp-core";
import { bootZephyr } from "../zephyr.ts";
import { IpcError } from "./ipc-error.ts";
import {
  ipc_service_close_instance,
  ipc_service_deregister_endpoint,
  ipc_service_get_tx_buffer,
  ipc_service_open_instance,
  ipc_service_register_endpoint,
  ipc_service_send,
  ipc_service_send_nocopy,
  type IpcEndpoint,
} from "./ipc-service.ts";
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

async function setup(num = 8) {
  const clock = new VirtualClock();
  const pair = createFakeDomainPair({ clock });
  const factory = fakeLinkFactory({ num });
  const host = bootZephyr(pair.zephyr.ctx);
  const remote = bootZephyr(pair.linux.ctx);
  const hostIpc = createRpmsgIpcInstance(host, { role: "host", linkFactory: factory });
  const remoteIpc = createRpmsgIpcInstance(remote, { role: "remote", linkFactory: factory });
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

  it("a send before bound is refused with ENOTCONN", async () => {
    const s = await setup();
    const h = ipc_service_register_endpoint(s.hostIpc, { name: "rpmsg-demo", cb: {} });
    const err = await ipc_service_send(h, new Uint8Array([1])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcError);
    expect((err as IpcError).code).toBe("ENOTCONN");
    expect((err as IpcError).message).toMatch(/not bound yet/);
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

  it("a full TX ring gives ENOMEM at once, or waits up to timeoutMs for a buffer", async () => {
    const s = await setup(2);
    const h = ipc_service_register_endpoint(s.hostIpc, { name: "e", cb: {} });
    ipc_service_register_endpoint(s.remoteIpc, { name: "e", cb: {} });
    await s.clock.run(10);
    s.pair.linux.ctx.evtchn.mask(0xa);
    await ipc_service_send(h, new Uint8Array([1]));
    await ipc_service_send(h, new Uint8Array([2]));
    const err = await ipc_service_send(h, new Uint8Array([3])).catch((e: unknown) => e);
    expect((err as IpcError).code).toBe("ENOMEM");
    const waiting = ipc_service_send(h, new Uint8Array([3]), { timeoutMs: 50 });
    s.clock.setTimeout(() => s.pair.linux.ctx.evtchn.unmask(0xa), 20);
    await s.clock.run(100);
    await expect(waiting).resolves.toBe(1);
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
