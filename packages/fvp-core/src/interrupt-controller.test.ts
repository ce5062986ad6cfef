import { describe, expect, it, vi } from "vitest";
import { spawnFixture } from "../test/fixtures/_spawn.ts";
import { InterruptController, IrqRange } from "./interrupt-controller.ts";
import { TraceBus, type TraceEvent } from "./trace-bus.ts";

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

describe("InterruptController", () => {
  it("runs the handler of an enabled line in a microtask after raise()", async () => {
    const gic = new InterruptController({ cpus: 2 });
    const seen: Array<[number, number]> = [];
    gic.onIrq(1, 20, (irq, cpu) => seen.push([irq, cpu]));
    gic.enable(20, 1);
    gic.raise(20, 1);
    expect(gic.isPending(20, 1)).toBe(true);
    expect(seen).toEqual([]);
    await Promise.resolve();
    expect(seen).toEqual([[20, 1]]);
    expect(gic.isPending(20, 1)).toBe(false);
  });

  it("coalesces several raises of a pending line into one handler call", async () => {
    const gic = new InterruptController({ cpus: 1 });
    const h = vi.fn();
    gic.onIrq(0, 33, h);
    gic.enable(33);
    gic.raise(33);
    gic.raise(33);
    await flush();
    expect(h).toHaveBeenCalledTimes(1);
  });

  it("handles several pending lines in priority order, ties by lower ID", () => {
    const gic = new InterruptController({ cpus: 1, spis: 32 });
    const order: number[] = [];
    for (const irq of [3, 17, 40, 41, 50]) {
      gic.onIrq(0, irq, (n) => order.push(n));
      gic.enable(irq);
    }
    gic.setPriority(50, 0x10);
    gic.setPriority(41, 0x20);
    gic.setPriority(40, 0x20);
    gic.setPriority(3, 0xf0);
    for (const irq of [3, 17, 40, 41, 50]) gic.raise(irq);
    gic.dispatch(0);
    expect(order).toEqual([50, 40, 41, 17, 3]);
  });

  it("a line raised while disabled stays pending and fires once when enabled", async () => {
    const gic = new InterruptController({ cpus: 1 });
    const h = vi.fn();
    gic.onIrq(0, 35, h);
    gic.raise(35);
    gic.raise(35);
    await flush();
    expect(h).not.toHaveBeenCalled();
    expect(gic.isPending(35)).toBe(true);
    gic.enable(35);
    await flush();
    expect(h).toHaveBeenCalledTimes(1);
    gic.disable(35);
    gic.enable(35);
    await flush();
    expect(h).toHaveBeenCalledTimes(1);
  });

  it("banks SGIs and PPIs per CPU", async () => {
    const gic = new InterruptController({ cpus: 2 });
    const on0 = vi.fn();
    const on1 = vi.fn();
    gic.onIrq(0, 5, on0);
    gic.onIrq(1, 5, on1);
    gic.enable(5, 0);
    gic.enable(5, 1);
    gic.sendSgi(5, [1]);
    await flush();
    expect(on0).not.toHaveBeenCalled();
    expect(on1).toHaveBeenCalledOnce();
    expect(gic.isEnabled(5, 0)).toBe(true);
  });

  it("routes an SPI to its target CPU", async () => {
    const gic = new InterruptController({ cpus: 4 });
    const h = vi.fn();
    gic.onIrq(3, 44, h);
    gic.setTarget(44, 3);
    gic.enable(44);
    gic.raise(44, 0); // cpu ignored for SPIs
    await flush();
    expect(h).toHaveBeenCalledWith(44, 3);
    expect(gic.target(44)).toBe(3);
  });

  it("publishes irq-raised and irq-handled", async () => {
    const trace = new TraceBus();
    const seen: TraceEvent[] = [];
    trace.on((e) => seen.push(e));
    const gic = new InterruptController({ cpus: 1, trace });
    gic.onIrq(0, 1, () => {});
    gic.enable(1);
    gic.raise(1);
    await flush();
    expect(seen).toEqual([
      { type: "irq-raised", cpu: 0, irq: 1 },
      { type: "irq-handled", cpu: 0, irq: 1 },
    ]);
  });

  it("a throwing handler is reported and other lines still run", () => {
    const onHandlerError = vi.fn();
    const gic = new InterruptController({ cpus: 1, onHandlerError });
    const ok = vi.fn();
    gic.onIrq(0, 1, () => {
      throw new Error("bad handler");
    });
    gic.onIrq(0, 2, ok);
    gic.enable(1);
    gic.enable(2);
    gic.raise(1);
    gic.raise(2);
    gic.dispatch(0);
    expect(onHandlerError).toHaveBeenCalledWith(expect.any(Error), 1, 0);
    expect(ok).toHaveBeenCalledOnce();
  });

  it("a removed handler no longer runs and the line stays pending", async () => {
    const gic = new InterruptController({ cpus: 1 });
    const h = vi.fn();
    const off = gic.onIrq(0, 7, h);
    gic.enable(7);
    off();
    gic.raise(7);
    await flush();
    expect(h).not.toHaveBeenCalled();
    expect(gic.isPending(7)).toBe(true);
  });

  it.each([
    { name: "an ID past the last SPI", f: (g: InterruptController) => g.raise(IrqRange.SPI_FIRST + 64) },
    { name: "a CPU that does not exist", f: (g: InterruptController) => g.raise(3, 2) },
    { name: "a target for a PPI", f: (g: InterruptController) => g.setTarget(20, 0) },
    { name: "a priority above 255", f: (g: InterruptController) => g.setPriority(40, 256) },
    { name: "an SGI ID of 16", f: (g: InterruptController) => g.sendSgi(16, 0) },
    { name: "a second handler on one line", f: (g: InterruptController) => [g.onIrq(0, 1, () => {}), g.onIrq(0, 1, () => {})] },
  ])("rejects $name with a RangeError", ({ f }) => {
    expect(() => f(new InterruptController({ cpus: 2, spis: 64 }))).toThrow(RangeError);
  });

  it("a line raised from another Worker wakes this thread's handler", async () => {
    const gic = new InterruptController({ cpus: 2 });
    const got: number[] = [];
    const all = new Promise<void>((resolve) => {
      for (const irq of [3, 40]) {
        gic.onIrq(1, irq, (n) => {
          got.push(n);
          if (got.length === 2) resolve();
        });
      }
    });
    gic.setTarget(40, 1);
    gic.enable(3, 1);
    gic.enable(40);
    const w = spawnFixture("gic-raiser");
    try {
      await w.request({ gic: gic.describe(), raises: [{ irq: 40, cpu: 0 }, { irq: 3, cpu: 1 }] });
      await all;
      expect(got.sort()).toEqual([3, 40]);
    } finally {
      await w.close();
    }
  });
});
