import { describe, expect, it } from "vitest";
import { createFakePair } from "../test/_fake-domain.ts";
import {
  EVTCHN_RING_SIZE,
  EvtchnDevice,
  IOCTL_EVTCHN_BIND_STATIC,
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

  it("a ring overflow makes read() fail with EFBIG until IOCTL_EVTCHN_RESET", async () => {
    const ports = Array.from({ length: EVTCHN_RING_SIZE + 1 }, (_, i) => i + 1);
    const { a, clock, dev } = setup(ports);
    const f = dev.open();
    for (const port of ports) f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port });
    for (const port of ports) a.ctx.evtchn.send(port);
    await clock.run(1);
    expect(await errorOf(f.read())).toMatchObject({ code: "EFBIG" });
    f.ioctl(IOCTL_EVTCHN_RESET);
    const next = f.read();
    f.write([1]);
    a.ctx.evtchn.send(1);
    await clock.run(2);
    expect([...(await next)]).toEqual([1]);
  });
});
