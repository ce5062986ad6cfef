import { describe, expect, it } from "vitest";
import { Cpu } from "./cpu.ts";
import { VirtualClock } from "./virtual-clock.ts";

/** A clock whose time only moves when the test says so. */
function setup(opts = {}) {
  const clock = new VirtualClock();
  return { clock, cpu: new Cpu(0, clock, opts) };
}

describe("Cpu load accounting", () => {
  it("charge() counts busy time ending now", () => {
    const { clock, cpu } = setup();
    clock.advanceTo(1000);
    cpu.charge(250);
    expect(cpu.load(1000)).toBeCloseTo(0.25, 6);
    expect(cpu.load(250)).toBeCloseTo(1, 6);
    expect(cpu.stats()).toEqual({ busyMs: 250, idleMs: 750, uptimeMs: 1000 });
  });

  it("busy() accounts the time its function takes, nested calls once", () => {
    const { clock, cpu } = setup();
    clock.advanceTo(100);
    const r = cpu.busy(() => {
      clock.advanceTo(130);
      cpu.busy(() => clock.advanceTo(150));
      return "done";
    });
    expect(r).toBe("done");
    expect(cpu.stats().busyMs).toBe(50);
    clock.advanceTo(200);
    expect(cpu.load(100)).toBeCloseTo(0.5, 6);
  });

  it("busySince() tells an open busy interval, also from the shared buffer another thread reads", () => {
    const { clock, cpu } = setup();
    clock.advanceTo(100);
    const shared = new Float64Array(cpu.buffer);
    expect(cpu.busySince()).toBeUndefined();
    expect(shared[Cpu.BUSY_SINCE_SLOT]).toBe(-1);
    cpu.busy(() => {
      clock.advanceTo(130);
      expect(cpu.busySince()).toBe(100);
      expect(shared[Cpu.BUSY_SINCE_SLOT]).toBe(100);
    });
    expect(cpu.busySince()).toBeUndefined();
    expect(shared[Cpu.BUSY_SINCE_SLOT]).toBe(-1);
  });

  it("waiting() inside busy() is idle time: the interval closes for the wait, work within the wait counts on its own, and it opens again after", () => {
    const { clock, cpu } = setup();
    cpu.busy(() => {
      clock.advanceTo(100);
      const r = cpu.waiting(() => {
        expect(cpu.busySince()).toBeUndefined();
        clock.advanceTo(500);
        cpu.busy(() => clock.advanceTo(520)); // an interrupt taken in the wait
        expect(cpu.busySince()).toBeUndefined();
        clock.advanceTo(900);
        return "woken";
      });
      expect(r).toBe("woken");
      expect(cpu.busySince()).toBe(900);
      clock.advanceTo(1000);
    });
    expect(cpu.busySince()).toBeUndefined();
    expect(cpu.stats()).toEqual({ busyMs: 220, idleMs: 780, uptimeMs: 1000 });
    expect(cpu.waiting(() => cpu.busySince())).toBeUndefined(); // outside busy(): nothing to close
  });

  it("busy() still accounts when the function throws", () => {
    const { clock, cpu } = setup();
    expect(() =>
      cpu.busy(() => {
        clock.advanceTo(40);
        throw new Error("x");
      }),
    ).toThrow("x");
    expect(cpu.stats().busyMs).toBe(40);
  });

  it.each([
    { window: 100, expected: 0.3 },
    { window: 200, expected: 0.15 },
    { window: 1000, expected: 0.1 },
  ])("load over the last $window ms of mixed activity is $expected", ({ window, expected }) => {
    const { clock, cpu } = setup();
    clock.advanceTo(800);
    cpu.charge(70); // 730..800
    clock.advanceTo(1000);
    cpu.charge(30); // 970..1000
    expect(cpu.load(window)).toBeCloseTo(expected, 6);
  });

  it("chargeAhead() counts busy time from now on: the next window shows it, the one ending now does not", () => {
    const { clock, cpu } = setup();
    clock.advanceTo(1000);
    cpu.chargeAhead(30); // 1000..1030
    expect(cpu.load(1000)).toBe(0);
    clock.advanceTo(2000);
    expect(cpu.load(1000)).toBeCloseTo(0.03, 6);
    expect(cpu.stats().busyMs).toBe(30);
    expect(() => cpu.chargeAhead(Number.NaN)).toThrow(RangeError);
  });

  it("forgets busy time older than its history", () => {
    const { clock, cpu } = setup({ bucketMs: 10, buckets: 16 });
    clock.advanceTo(100);
    cpu.charge(100);
    clock.advanceTo(1000);
    expect(cpu.load(1000)).toBe(0);
    expect(cpu.stats().busyMs).toBe(100);
  });

  it("an open busy section counts toward load read from another handle", () => {
    const { clock, cpu } = setup();
    const reader = Cpu.fromDescriptor(structuredClone(cpu.describe()), clock);
    clock.advanceTo(100);
    cpu.busy(() => {
      clock.advanceTo(150);
      expect(reader.load(100)).toBeCloseTo(0.5, 6);
    });
  });

  it.each([
    { name: "negative charge", f: (c: Cpu) => c.charge(-1) },
    { name: "zero window", f: (c: Cpu) => c.load(0) },
  ])("rejects $name", ({ f }) => {
    expect(() => f(setup().cpu)).toThrow(RangeError);
  });
});
