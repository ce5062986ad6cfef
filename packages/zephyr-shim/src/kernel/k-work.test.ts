import { describe, expect, it } from "vitest";
import { makeKernel } from "../../test/_kernel-fixture.ts";
import { K_MSEC } from "./timeout.ts";

describe("k_work", () => {
  it("runs submitted items in submission order on the work queue thread", () => {
    const { clock, k } = makeKernel();
    const order: string[] = [];
    const threads: Array<string | undefined> = [];
    const items = ["a", "b", "c"].map((name) =>
      k.k_work_init(() => {
        order.push(name);
        threads.push(k.k_current_get()?.name);
      }),
    );
    for (const w of items) k.k_work_submit(w);
    expect(order).toEqual([]);
    clock.runUntilIdle();
    expect(order).toEqual(["a", "b", "c"]);
    expect(threads).toEqual(["sysworkq", "sysworkq", "sysworkq"]);
  });

  it("submitting an item that is already queued does not queue it twice", () => {
    const { clock, k } = makeKernel();
    let runs = 0;
    const w = k.k_work_init(() => runs++);
    expect(k.k_work_submit(w)).toBe(1);
    expect(k.k_work_submit(w)).toBe(0);
    expect(k.k_work_is_pending(w)).toBe(true);
    clock.runUntilIdle();
    expect(runs).toBe(1);
    expect(k.k_work_is_pending(w)).toBe(false);
  });

  it("an item resubmitted from its own handler runs again after the others (returns 2)", () => {
    const { clock, k } = makeKernel();
    const order: string[] = [];
    let again = -1;
    const a = k.k_work_init((w) => {
      order.push("a");
      if (order.length === 1) again = k.k_work_submit(w);
    });
    const b = k.k_work_init(() => order.push("b"));
    k.k_work_submit(a);
    k.k_work_submit(b);
    clock.runUntilIdle();
    expect(order).toEqual(["a", "b", "a"]);
    expect(again).toBe(2);
  });

  it("a failing handler is logged and does not stop the queue", () => {
    const { clock, k, output } = makeKernel();
    const order: string[] = [];
    k.k_work_submit(
      k.k_work_init(() => {
        throw new Error("boom");
      }),
    );
    k.k_work_submit(k.k_work_init(() => order.push("next")));
    clock.runUntilIdle();
    expect(order).toEqual(["next"]);
    expect(output()).toMatch(/<err> os: work handler on sysworkq failed: boom/);
  });

  it("k_work_cancel removes a queued item", () => {
    const { clock, k } = makeKernel();
    let runs = 0;
    const w = k.k_work_init(() => runs++);
    k.k_work_submit(w);
    expect(k.k_work_cancel(w)).toBe(false);
    clock.runUntilIdle();
    expect(runs).toBe(0);
  });

  it("user work queues run their items on their own thread", () => {
    const { clock, k } = makeKernel();
    const q = k.k_work_queue_start("my_wq", 5);
    let on: string | undefined;
    k.k_work_submit_to_queue(
      q,
      k.k_work_init(() => (on = k.k_current_get()?.name)),
    );
    clock.runUntilIdle();
    expect(on).toBe("my_wq");
  });
});

describe("k_work_delayable", () => {
  it("runs after the delay; scheduling again while pending keeps the first deadline", () => {
    const { clock, k } = makeKernel();
    const at: number[] = [];
    const d = k.k_work_init_delayable(() => at.push(clock.now()));
    expect(k.k_work_schedule(d, K_MSEC(100))).toBe(1);
    clock.advanceTo(50);
    expect(k.k_work_schedule(d, K_MSEC(100))).toBe(0);
    clock.advanceTo(1000);
    expect(at).toEqual([100]);
  });

  it("k_work_reschedule moves the deadline", () => {
    const { clock, k } = makeKernel();
    const at: number[] = [];
    const d = k.k_work_init_delayable(() => at.push(clock.now()));
    k.k_work_schedule(d, K_MSEC(100));
    clock.advanceTo(50);
    k.k_work_reschedule(d, K_MSEC(100));
    clock.advanceTo(1000);
    expect(at).toEqual([150]);
  });

  it("k_work_cancel_delayable stops a pending delay", () => {
    const { clock, k } = makeKernel();
    let runs = 0;
    const d = k.k_work_init_delayable(() => runs++);
    k.k_work_schedule(d, K_MSEC(10));
    expect(k.k_work_delayable_is_pending(d)).toBe(true);
    k.k_work_cancel_delayable(d);
    expect(k.k_work_delayable_is_pending(d)).toBe(false);
    clock.runUntilIdle();
    expect(runs).toBe(0);
  });
});
