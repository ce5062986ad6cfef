import { loadOpenAmp, RPMSG_ADDR_ANY, staticVringsLayout, type RpmsgDevice, type RpmsgEndpoint } from "@v8r/openamp-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { createFakeDomainPair } from "../../test/_fake-domain.ts";
import { VirtualClock } from "@v8r/fvp-core";
import { bootZephyr } from "../zephyr.ts";
import {
  ipc_service_deregister_endpoint,
  ipc_service_get_tx_buffer,
  ipc_service_hold_rx_buffer,
  ipc_service_open_instance,
  ipc_service_register_endpoint,
  ipc_service_release_rx_buffer,
  ipc_service_send,
  ipc_service_send_nocopy,
} from "./ipc-service.ts";
import { createOpenAmpLinkFactory } from "./openamp-link.ts";
import { createRpmsgIpcInstance } from "./rpmsg-static-vrings.ts";

type OpenAmp = Awaited<ReturnType<typeof loadOpenAmp>>;
let openamp: OpenAmp;
beforeAll(async () => {
  openamp = await loadOpenAmp();
});

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (d: Uint8Array) => new TextDecoder().decode(d);

/** A remote written directly on openamp-wasm, following the protocol's binding rule by hand. */
async function scriptedRemote(clock: VirtualClock, pair: ReturnType<typeof createFakeDomainPair>) {
  const log: string[] = [];
  const device: RpmsgDevice = await openamp.createRpmsgDevice({
    role: "remote",
    layout: staticVringsLayout({ shmSize: pair.shm.byteLength }),
    shm: { buffer: pair.shm },
    physBase: 0x7a000000,
    notify: () => pair.linux.ctx.evtchn.send(0xa),
    clock,
  });
  pair.linux.ctx.evtchn.bind(0xa, () => device.notified());
  const endpoint = (name: string, opts: { answer?: boolean } = {}): RpmsgEndpoint => {
    let handshaken = false;
    const ep: RpmsgEndpoint = device.createEndpoint({
      name,
      onMessage: (data) => {
        if (data.length === 0 && opts.answer === false) log.push(`${name}:handshake unanswered`);
        else if (data.length === 0 && !handshaken) {
          handshaken = true;
          ep.trySend(new Uint8Array(0));
          log.push(`${name}:handshake`);
        } else log.push(`${name}:rx:${dec(data)}`);
      },
      onUnbound: () => log.push(`${name}:unbound`),
    });
    return ep;
  };
  return { device, log, endpoint };
}

async function setup() {
  const clock = new VirtualClock();
  const pair = createFakeDomainPair({ clock, shmSize: 64 * 1024 });
  const remote = await scriptedRemote(clock, pair);
  const k = bootZephyr(pair.zephyr.ctx);
  const ipc0 = createRpmsgIpcInstance(k, { role: "host", linkFactory: createOpenAmpLinkFactory({ openamp }) });
  await ipc_service_open_instance(ipc0);
  const events: string[] = [];
  const register = (name: string) =>
    ipc_service_register_endpoint(ipc0, {
      name,
      cb: {
        bound: () => events.push(`${name}:bound`),
        unbound: () => events.push(`${name}:unbound`),
        received: (d) => events.push(`${name}:rx:${dec(d)}`),
      },
    });
  return { clock, pair, remote, k, ipc0, events, register };
}

describe("IPC service (host) against a remote scripted on openamp-wasm", () => {
  it("binds only after the remote answered the empty message, then carries data both ways", async () => {
    const s = await setup();
    const demo = s.register("rpmsg-demo");
    await s.clock.run(5);
    expect(s.events).toEqual([]);
    const ep = s.remote.endpoint("rpmsg-demo");
    await s.clock.run(20);
    expect(s.remote.log).toEqual(["rpmsg-demo:handshake"]);
    expect(s.events).toEqual(["rpmsg-demo:bound"]);
    expect(ep.dest).not.toBe(RPMSG_ADDR_ANY);
    await ipc_service_send(demo, enc("status-0"));
    ep.trySend(enc("hi host"));
    await s.clock.run(40);
    expect(s.remote.log).toEqual(["rpmsg-demo:handshake", "rpmsg-demo:rx:status-0"]);
    expect(s.events).toEqual(["rpmsg-demo:bound", "rpmsg-demo:rx:hi host"]);
  });

  it("still receives when the doorbell never rings: the backend looks at the rings every 250 ms", async () => {
    const s = await setup();
    s.register("rpmsg-demo");
    const ep = s.remote.endpoint("rpmsg-demo");
    await s.clock.run(20);
    expect(s.events).toEqual(["rpmsg-demo:bound"]);
    s.pair.zephyr.ctx.evtchn.mask(0xa); // every notification to Zephyr stays pending, as if dropped
    ep.trySend(enc("lost doorbell"));
    await s.clock.run(100);
    expect(s.events).toEqual(["rpmsg-demo:bound"]);
    await s.clock.run(300);
    expect(s.events).toEqual(["rpmsg-demo:bound", "rpmsg-demo:rx:lost doorbell"]);
  });

  it("a send before the remote announced the endpoint is ENOTCONN; after, it goes out before bound, as in Zephyr", async () => {
    const s = await setup();
    const demo = s.register("rpmsg-demo");
    await expect(ipc_service_send(demo, enc("early"))).rejects.toMatchObject({ code: "ENOTCONN" });
    s.remote.endpoint("rpmsg-demo", { answer: false });
    await s.clock.run(20);
    expect(s.events).toEqual([]);
    expect(await ipc_service_send(demo, enc("before bound"))).toBe(12);
    await s.clock.run(40);
    expect(s.remote.log).toEqual(["rpmsg-demo:handshake unanswered", "rpmsg-demo:rx:before bound"]);
  });

  it("a held RX buffer stays valid after received returns and is not given back to the remote until released", async () => {
    const s = await setup();
    const held: Uint8Array[] = [];
    const demo = ipc_service_register_endpoint(s.ipc0, {
      name: "rpmsg-demo",
      cb: {
        received: (d) => {
          ipc_service_hold_rx_buffer(demo, d);
          held.push(d);
        },
      },
    });
    const ep = s.remote.endpoint("rpmsg-demo");
    await s.clock.run(20);
    const num = staticVringsLayout({ shmSize: s.pair.shm.byteLength }).num;
    for (let i = 0; i < num; i++) ep.trySend(enc(`m${i}`));
    await s.clock.run(60);
    expect(held.map(dec)).toEqual(Array.from({ length: num }, (_, i) => `m${i}`));
    expect(() => ep.trySend(enc("one more"))).toThrow(/RPMSG_ERR_NO_BUFF/);
    ipc_service_release_rx_buffer(demo, held[0]!);
    await s.clock.run(80);
    expect(ep.trySend(enc("one more"))).toBe(8);
  });

  it("two endpoints share the link and keep their traffic apart", async () => {
    const s = await setup();
    const demo = s.register("rpmsg-demo");
    const ctrl = s.register("rpmsg-ctrl");
    s.remote.endpoint("rpmsg-demo");
    const rctrl = s.remote.endpoint("rpmsg-ctrl");
    await s.clock.run(20);
    expect(s.events).toEqual(["rpmsg-demo:bound", "rpmsg-ctrl:bound"]);
    await ipc_service_send(demo, enc("sample"));
    await ipc_service_send(ctrl, enc("reply"));
    rctrl.trySend(enc("command"));
    await s.clock.run(40);
    expect(s.remote.log.filter((l) => l.includes(":rx:"))).toEqual(["rpmsg-demo:rx:sample", "rpmsg-ctrl:rx:reply"]);
    expect(s.events.slice(2)).toEqual(["rpmsg-ctrl:rx:command"]);
  });

  it("no-copy sends write the payload straight into shared memory", async () => {
    const s = await setup();
    const demo = s.register("rpmsg-demo");
    s.remote.endpoint("rpmsg-demo");
    await s.clock.run(20);
    const buf = await ipc_service_get_tx_buffer(demo);
    expect(buf.data.buffer).toBe(s.pair.shm);
    buf.data.set(enc("in place"));
    ipc_service_send_nocopy(demo, buf, 8);
    await s.clock.run(40);
    expect(s.remote.log.at(-1)).toBe("rpmsg-demo:rx:in place");
  });

  it("deregistering the remote endpoint unbinds the host side; deregistering on the host tells the remote", async () => {
    const s = await setup();
    s.register("rpmsg-demo");
    const ctrl = s.register("rpmsg-ctrl");
    const rdemo = s.remote.endpoint("rpmsg-demo");
    s.remote.endpoint("rpmsg-ctrl");
    await s.clock.run(20);
    rdemo.destroy();
    await s.clock.run(40);
    expect(s.events).toContain("rpmsg-demo:unbound");
    ipc_service_deregister_endpoint(ctrl);
    await s.clock.run(60);
    expect(s.remote.log).toContain("rpmsg-ctrl:unbound");
  });

  it.each([
    ["after destroying the old endpoint", true],
    ["without destroying it (a restart the host did not see)", false],
  ])("a remote that announces the name again %s is bound again with a new handshake", async (_how, destroyFirst) => {
    const s = await setup();
    const demo = s.register("rpmsg-demo");
    const first = s.remote.endpoint("rpmsg-demo");
    await s.clock.run(20);
    if (destroyFirst) first.destroy();
    const second = s.remote.endpoint("rpmsg-demo");
    await s.clock.run(40);
    expect(s.events).toEqual(["rpmsg-demo:bound", "rpmsg-demo:unbound", "rpmsg-demo:bound"]);
    await ipc_service_send(demo, enc("to the new one"));
    await s.clock.run(60);
    expect(s.remote.log.at(-1)).toBe("rpmsg-demo:rx:to the new one");
    expect(second.dest).not.toBe(RPMSG_ADDR_ANY);
  });
});
