import { describe, expect, it, vi } from "vitest";
import { spawnFixture } from "../test/fixtures/_spawn.ts";
import { InterruptController, IrqRange } from "./interrupt-controller.ts";
import { TraceBus, type FvpTraceEvent } from "./trace-bus.ts";

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
    const seen: FvpTraceEvent[] = [];
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

describe("InterruptController: counts and CPU interfaces taken by a run loop", () => {
  it("counts each handled line per CPU, and reset() clears counts and state but keeps the handlers", () => {
    const gic = new InterruptController({ cpus: 2, spis: 32 });
    gic.onIrq(1, 31, () => {});
    gic.onIrq(0, 40, () => {});
    gic.enable(31, 1);
    gic.enable(40);
    for (let k = 0; k < 3; k++) {
      gic.raise(31, 1);
      gic.dispatch(1);
    }
    gic.raise(40);
    gic.dispatch(0);
    expect(gic.count(31, 1)).toBe(3);
    expect(gic.count(31, 0)).toBe(0);
    expect(gic.counts()).toEqual([{ irq: 31, perCpu: [0, 3] }, { irq: 40, perCpu: [1, 0] }]);
    gic.raise(31, 1);
    gic.reset();
    expect([gic.isPending(31, 1), gic.isEnabled(31, 1), gic.counts()]).toEqual([false, false, []]);
    gic.enable(31, 1);
    gic.raise(31, 1);
    expect(gic.dispatch(1)).toBe(1);
  });

  it("lets a run loop take a CPU: no own delivery, the loop is kicked instead", async () => {
    const gic = new InterruptController({ cpus: 1 });
    const seen: number[] = [];
    let kicks = 0;
    const detach = gic.attachCpu(0, () => kicks++);
    gic.onIrq(0, 31, (irq) => seen.push(irq));
    gic.enable(31);
    const k0 = kicks;
    gic.raise(31);
    await flush();
    expect(seen).toEqual([]);
    expect(kicks).toBe(k0 + 1);
    expect(gic.dispatch(0)).toBe(1);
    expect(seen).toEqual([31]);
    detach();
    gic.raise(31);
    await flush();
    expect(seen).toEqual([31, 31]); // given back: the controller delivers by itself again
  });

  it("moves the wake word of a CPU taken by a loop that gave no kick (it waits on the word)", async () => {
    const gic = new InterruptController({ cpus: 1 });
    gic.attachCpu(0);
    const h = vi.fn();
    gic.onIrq(0, 31, h);
    gic.enable(31);
    const { array, index } = gic.wakeWord(0);
    const before = Atomics.load(array, index);
    gic.raise(31);
    await flush();
    expect(h).not.toHaveBeenCalled();
    expect(Atomics.load(array, index)).toBe(before + 1);
    gic.dispatch(0);
    expect(h).toHaveBeenCalledOnce();
  });

  it("dispatch() takes nothing while canTake() is false and at most `budget` lines, kicking the loop for the rest", () => {
    const gic = new InterruptController({ cpus: 1 });
    let kicks = 0;
    gic.attachCpu(0, () => kicks++);
    const ran: number[] = [];
    for (const irq of [20, 21, 22]) {
      gic.onIrq(0, irq, (n) => ran.push(n));
      gic.enable(irq);
      gic.raise(irq);
    }
    expect(gic.dispatch(0, 10, () => false)).toBe(0);
    const k0 = kicks;
    expect(gic.dispatch(0, 2)).toBe(2);
    expect(kicks).toBe(k0 + 1);
    expect(gic.dispatch(0, 2)).toBe(1);
    expect(ran).toEqual([20, 21, 22]);
  });

  it("reaches handlers registered through another object over the same state in this thread", async () => {
    const owner = new InterruptController({ cpus: 1 });
    const h = vi.fn();
    owner.onIrq(0, 31, h);
    owner.enable(31);
    InterruptController.fromDescriptor(owner.describe()).raise(31);
    await flush();
    expect(h).toHaveBeenCalledOnce();
  });

  it("wake() kicks the loop that took a CPU without raising anything", () => {
    const gic = new InterruptController({ cpus: 1 });
    let kicks = 0;
    gic.attachCpu(0, () => kicks++);
    const k0 = kicks;
    gic.wake(0);
    expect(kicks).toBe(k0 + 1);
    expect(gic.counts()).toEqual([]);
  });

  it("a line raised from another Worker moves the wake word a run loop waits on", async () => {
    const gic = new InterruptController({ cpus: 2 });
    gic.attachCpu(1);
    const seen: number[] = [];
    gic.onIrq(1, 31, (n) => seen.push(n));
    gic.enable(31, 1);
    const { array, index } = gic.wakeWord(1);
    const before = Atomics.load(array, index);
    const woken = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, t: number): { value: Promise<string> | string } }).waitAsync(array, index, before, 30_000);
    const w = spawnFixture("gic-raiser");
    try {
      await w.request({ gic: gic.describe(), raises: [{ irq: 31, cpu: 1 }] });
      expect(await woken.value).toBe("ok");
      expect(gic.dispatch(1)).toBe(1);
      expect(seen).toEqual([31]);
    } finally {
      await w.close();
    }
  });
});
