import { describe, expect, it } from "vitest";
import { makeKernel } from "../../test/_kernel-fixture.ts";
import { Errno } from "./errno.ts";
import { K_FOREVER, K_MSEC, K_NO_WAIT } from "./timeout.ts";

describe("k_sem", () => {
  it("take succeeds immediately while the count is positive", async () => {
    const { k } = makeKernel();
    const sem = k.k_sem_init(2, 2);
    expect(await k.k_sem_take(sem, K_NO_WAIT)).toBe(0);
    expect(await k.k_sem_take(sem, K_NO_WAIT)).toBe(0);
    expect(await k.k_sem_take(sem, K_NO_WAIT)).toBe(-Errno.EBUSY);
  });

  it("take times out with -EAGAIN after exactly the timeout", async () => {
    const { clock, k } = makeKernel();
    const sem = k.k_sem_init(0, 1);
    let result: number | undefined;
    let at = -1;
    void k.k_sem_take(sem, K_MSEC(250)).then((r) => {
      result = r;
      at = clock.now();
    });
    await clock.run(249);
    expect(result).toBeUndefined();
    await clock.run(1000);
    expect(result).toBe(-Errno.EAGAIN);
    expect(at).toBe(250);
  });

  it("give wakes a waiter before its timeout, and the timeout no longer fires", async () => {
    const { clock, k } = makeKernel();
    const sem = k.k_sem_init(0, 1);
    const results: number[] = [];
    void k.k_sem_take(sem, K_MSEC(100)).then((r) => results.push(r));
    clock.setTimeout(() => k.k_sem_give(sem), 40);
    await clock.run(500);
    expect(results).toEqual([0]);
    expect(k.k_sem_count_get(sem)).toBe(0);
  });

  it("the count never exceeds the limit", () => {
    const { k } = makeKernel();
    const sem = k.k_sem_init(0, 3);
    for (let i = 0; i < 10; i++) k.k_sem_give(sem);
    expect(k.k_sem_count_get(sem)).toBe(3);
  });

  it("waiters are served by priority, then in arrival order", async () => {
    const { clock, k } = makeKernel();
    const sem = k.k_sem_init(0, 10);
    const order: string[] = [];
    const waiter = (name: string, prio: number) =>
      k.k_thread_create({
        name,
        prio,
        entry: async () => {
          await k.k_sem_take(sem, K_FOREVER);
          order.push(name);
        },
      });
    waiter("low-1", 9);
    waiter("high", 1);
    waiter("low-2", 9);
    await clock.run(1);
    for (let i = 0; i < 3; i++) k.k_sem_give(sem);
    await clock.run(2);
    expect(order).toEqual(["high", "low-1", "low-2"]);
  });

  it("reset releases waiters with -EAGAIN", async () => {
    const { clock, k } = makeKernel();
    const sem = k.k_sem_init(0, 1);
    let result: number | undefined;
    void k.k_sem_take(sem, K_FOREVER).then((r) => (result = r));
    k.k_sem_reset(sem);
    await clock.run(1);
    expect(result).toBe(-Errno.EAGAIN);
  });

  it.each([
    [-1, 1],
    [2, 1],
    [0, 0],
  ])("k_sem_init(%d, %d) is a RangeError", (initial, limit) => {
    const { k } = makeKernel();
    expect(() => k.k_sem_init(initial, limit)).toThrow(RangeError);
  });
});
