import { describe, expect, it } from "vitest";
import { createFakePair } from "../test/_fake-domain.ts";
import { type EventChannelOps, XenError } from "@v8r/xen-dom0less";
import {
  EVTCHN_READ_MAX_PORTS,
  EVTCHN_RING_INITIAL_SIZE,
  EvtchnDevice,
  IOCTL_EVTCHN_BIND_INTERDOMAIN,
  IOCTL_EVTCHN_BIND_STATIC,
  IOCTL_EVTCHN_BIND_UNBOUND_PORT,
  IOCTL_EVTCHN_NOTIFY,
  IOCTL_EVTCHN_RESET,
  IOCTL_EVTCHN_UNBIND,
  type EvtchnIoctl,
} from "./dev-evtchn.ts";
import { LinuxError } from "./linux-error.ts";

function setup(ports: number[] = [10, 11]) {
  const pair = createFakePair({ ports });
  const dev = new EvtchnDevice(pair.b.ctx.evtchn);
  return { ...pair, dev };
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("/dev/xen/evtchn", () => {
  it.each([
    ["IOCTL_EVTCHN_BIND_INTERDOMAIN", IOCTL_EVTCHN_BIND_INTERDOMAIN, 0x00084501],
    ["IOCTL_EVTCHN_BIND_UNBOUND_PORT", IOCTL_EVTCHN_BIND_UNBOUND_PORT, 0x00044502],
    ["IOCTL_EVTCHN_UNBIND", IOCTL_EVTCHN_UNBIND, 0x00044503],
    ["IOCTL_EVTCHN_NOTIFY", IOCTL_EVTCHN_NOTIFY, 0x00044504],
    ["IOCTL_EVTCHN_RESET", IOCTL_EVTCHN_RESET, 0x00004505],
    ["IOCTL_EVTCHN_BIND_STATIC", IOCTL_EVTCHN_BIND_STATIC, 0x00044507],
  ])("%s has Linux's request number", (_name, value, expected) => {
    expect(value).toBe(expected);
  });

  it("read() resolves with the port that fired and leaves it masked until written back", async () => {
    const { a, b, clock, dev } = setup();
    const f = dev.open();
    f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    const read = f.read();
    a.ctx.evtchn.send(10);
    await clock.run(1);
    expect([...(await read)]).toEqual([10]);
    expect(b.ctx.evtchn.isMasked(10)).toBe(true);
    a.ctx.evtchn.send(10);
    await clock.run(2);
    expect(b.ctx.evtchn.isPending(10)).toBe(true);
    expect(f.write(Uint32Array.of(10))).toBe(1);
    expect(b.ctx.evtchn.isMasked(10)).toBe(false);
    await clock.run(3);
    expect([...(await f.read())]).toEqual([10]);
  });

  it("read() returns at once when ports fired before it was called, oldest first", async () => {
    const { a, clock, dev } = setup();
    const f = dev.open();
    f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 11 });
    f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    a.ctx.evtchn.send(11);
    await clock.run(1);
    a.ctx.evtchn.send(10);
    await clock.run(2);
    expect([...(await f.read())]).toEqual([11, 10]);
  });

  it("read(maxPorts) returns at most that many ports and keeps the rest", async () => {
    const { a, clock, dev } = setup();
    const f = dev.open();
    f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 11 });
    a.ctx.evtchn.send(10);
    a.ctx.evtchn.send(11);
    await clock.run(1);
    expect([...(await f.read(1))]).toEqual([10]);
    expect([...(await f.read(1))]).toEqual([11]);
  });

  it("an event sent before the port was bound is delivered after binding (missed event)", async () => {
    const { a, clock, dev } = setup();
    a.ctx.evtchn.send(10);
    await clock.run(1);
    const f = dev.open();
    f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    await clock.run(2);
    expect([...(await f.read())]).toEqual([10]);
  });

  it("IOCTL_EVTCHN_NOTIFY raises the peer's end", async () => {
    const { a, clock, dev } = setup();
    const seen: number[] = [];
    a.ctx.evtchn.bind(10, (p) => seen.push(p));
    const f = dev.open();
    f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    f.ioctl(IOCTL_EVTCHN_NOTIFY, { port: 10 });
    await clock.run(1);
    expect(seen).toEqual([10]);
  });

  it("closing keeps the static port bound in Xen: events collect and reach the next file", async () => {
    const { a, b, clock, dev } = setup();
    const f = dev.open();
    f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    f.close();
    a.ctx.evtchn.send(10);
    await clock.run(1);
    expect(b.ctx.evtchn.isPending(10)).toBe(true);
    const g = dev.open();
    g.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    await clock.run(2);
    expect([...(await g.read())]).toEqual([10]);
  });

  it("close() rejects a waiting read with EBADF and later calls fail with EBADF", async () => {
    const { dev } = setup();
    const f = dev.open();
    f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    const pending = f.read();
    f.close();
    expect(await errorOf(pending)).toMatchObject({ code: "EBADF" });
    expect(await errorOf(f.read())).toMatchObject({ code: "EBADF" });
    expect(() => f.write([10])).toThrow(LinuxError);
  });

  it.each([
    ["binding a port that is not a static channel of the domain", 99, "EINVAL"],
  ])("%s fails with %s", (_what, port, code) => {
    const { dev } = setup();
    expect(() => dev.open().ioctl(IOCTL_EVTCHN_BIND_STATIC, { port })).toThrow(expect.objectContaining({ code }) as Error);
  });

  it("a port bound to one open file cannot be bound by another (EBUSY)", () => {
    const { dev } = setup();
    dev.open().ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    expect(() => dev.open().ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 })).toThrow(expect.objectContaining({ code: "EBUSY" }) as Error);
  });

  it.each([
    ["IOCTL_EVTCHN_NOTIFY", IOCTL_EVTCHN_NOTIFY],
    ["IOCTL_EVTCHN_UNBIND", IOCTL_EVTCHN_UNBIND],
  ])("%s on a port not bound to the file fails with ENOTCONN", (_name, request) => {
    const { dev } = setup();
    expect(() => dev.open().ioctl(request, { port: 10 })).toThrow(expect.objectContaining({ code: "ENOTCONN" }) as Error);
  });

  it.each([[{ port: 0 }], [{ port: -1 }], [{ port: 1.5 }], [undefined]])("a bad port argument %j is a TypeError", (arg) => {
    const { dev } = setup();
    expect(() => dev.open().ioctl(IOCTL_EVTCHN_BIND_STATIC, arg as { port: number })).toThrow(TypeError);
  });

  it("an unknown ioctl fails with ENOTTY", () => {
    const { dev } = setup();
    expect(() => dev.open().ioctl(0x1234 as EvtchnIoctl)).toThrow(expect.objectContaining({ code: "ENOTTY" }) as Error);
  });

  it("write() ignores ports that are not bound here or did not fire", async () => {
    const { b, dev } = setup();
    const f = dev.open();
    f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    b.ctx.evtchn.mask(10);
    expect(f.write([10, 11, 77])).toBe(3);
    expect(b.ctx.evtchn.isMasked(10)).toBe(true);
  });

  it("unbinding masks the port and stops deliveries to the file", async () => {
    const { a, b, clock, dev } = setup();
    const f = dev.open();
    f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    f.ioctl(IOCTL_EVTCHN_UNBIND, { port: 10 });
    a.ctx.evtchn.send(10);
    await clock.run(1);
    expect(b.ctx.evtchn.isPending(10)).toBe(true);
    expect(f.boundPorts()).toEqual([]);
  });

  it("binding the same static port twice on one file fails with EISCONN", () => {
    const { dev } = setup();
    const f = dev.open();
    expect(f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 })).toBe(0);
    expect(() => f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 })).toThrow(expect.objectContaining({ code: "EISCONN" }) as Error);
    expect(f.boundPorts()).toEqual([10]);
  });

  it("the ring starts at 64 slots with the first bind and doubles when more ports are bound than it has slots; it never shrinks", () => {
    const ports = Array.from({ length: 130 }, (_, i) => i + 1);
    const { dev } = setup(ports);
    const f = dev.open();
    expect(f.ringSize).toBe(0);
    const sizes = new Set<number>();
    for (const port of ports) {
      f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port });
      sizes.add(f.ringSize);
      if (port === 64) expect(f.ringSize).toBe(EVTCHN_RING_INITIAL_SIZE);
      if (port === 65) expect(f.ringSize).toBe(128);
    }
    expect([...sizes]).toEqual([64, 128, 256]);
    for (const port of ports) f.ioctl(IOCTL_EVTCHN_UNBIND, { port });
    expect(f.ringSize).toBe(256);
  });

  it("every bound port fits in the ring: 1025 ports firing at once overflow nothing, and a read returns at most a page of them", async () => {
    const ports = Array.from({ length: EVTCHN_READ_MAX_PORTS + 1 }, (_, i) => i + 1);
    const { a, clock, dev } = setup(ports);
    const f = dev.open();
    for (const port of ports) f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port });
    expect(f.ringSize).toBe(2048);
    for (const port of ports) a.ctx.evtchn.send(port);
    await clock.run(1);
    expect((await f.read()).length).toBe(EVTCHN_READ_MAX_PORTS);
    expect([...(await f.read())]).toEqual([EVTCHN_READ_MAX_PORTS + 1]);
  });

  it("the ring overflows when a port is written back before it was read; read() fails with EFBIG until IOCTL_EVTCHN_RESET", async () => {
    const { a, clock, dev } = setup();
    const f = dev.open();
    f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    for (let i = 0; i <= EVTCHN_RING_INITIAL_SIZE; i++) {
      a.ctx.evtchn.send(10);
      await clock.run(clock.now() + 1);
      f.write([10]);
    }
    expect(await errorOf(f.read())).toMatchObject({ code: "EFBIG" });
    f.ioctl(IOCTL_EVTCHN_RESET);
    const next = f.read();
    a.ctx.evtchn.send(10);
    await clock.run(clock.now() + 1);
    expect([...(await next)]).toEqual([10]);
  });
});

/** Hypercalls that hand out ports the fake domain already has (20, 21), recording what they were asked. */
function fakeOps(calls: string[]): EventChannelOps {
  let next = 20;
  return {
    allocUnbound: (remote) => (calls.push(`alloc d${remote}`), next++),
    bindInterdomain: (remote, port) => {
      calls.push(`bind d${remote}:${port}`);
      if (port === 99) throw new XenError("EINVAL", "[fake] port 99 is not unbound");
      return next++;
    },
    close: (port) => void calls.push(`close ${port}`),
    status: () => ({ status: 0, vcpu: 0 }),
  };
}

describe("/dev/xen/evtchn ports made in Xen", () => {
  it("BIND_UNBOUND_PORT and BIND_INTERDOMAIN return the new port, bound to the file; unbinding them closes them in Xen, a static port is never closed", async () => {
    const calls: string[] = [];
    const pair = createFakePair({ ports: [10, 20, 21] });
    const f = new EvtchnDevice(pair.b.ctx.evtchn, fakeOps(calls)).open();
    expect(f.ioctl(IOCTL_EVTCHN_BIND_UNBOUND_PORT, { remote_domain: 1 })).toBe(20);
    expect(f.ioctl(IOCTL_EVTCHN_BIND_INTERDOMAIN, { remote_domain: 1, remote_port: 5 })).toBe(21);
    f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    expect(f.boundPorts()).toEqual([10, 20, 21]);
    pair.a.ctx.evtchn.send(21);
    await pair.clock.run(1);
    expect([...(await f.read())]).toEqual([21]);
    f.ioctl(IOCTL_EVTCHN_UNBIND, { port: 20 });
    f.close();
    expect(calls).toEqual(["alloc d1", "bind d1:5", "close 20", "close 21"]);
  });

  it("a hypercall's failure comes back as a LinuxError with Xen's errno; without hypercalls the ioctls fail with ENOSYS", () => {
    const calls: string[] = [];
    const pair = createFakePair({ ports: [10] });
    const f = new EvtchnDevice(pair.b.ctx.evtchn, fakeOps(calls)).open();
    expect(() => f.ioctl(IOCTL_EVTCHN_BIND_INTERDOMAIN, { remote_domain: 1, remote_port: 99 })).toThrow(expect.objectContaining({ code: "EINVAL" }) as Error);
    expect(f.boundPorts()).toEqual([]);
    const bare = new EvtchnDevice(pair.b.ctx.evtchn).open();
    expect(() => bare.ioctl(IOCTL_EVTCHN_BIND_UNBOUND_PORT, { remote_domain: 1 })).toThrow(expect.objectContaining({ code: "ENOSYS" }) as Error);
    expect(() => bare.ioctl(IOCTL_EVTCHN_BIND_UNBOUND_PORT, {} as { remote_domain: number })).toThrow(TypeError);
  });
});
