import { describe, expect, it } from "vitest";
import { makeKernel } from "../../test/_kernel-fixture.ts";
import { Errno } from "./errno.ts";
import { K_FOREVER, K_MSEC, K_NO_WAIT } from "./timeout.ts";

describe("k_mutex", () => {
  it("the owner can lock again, and it is free only after as many unlocks", async () => {
    const { k } = makeKernel();
    const m = k.k_mutex_init();
    expect(await k.k_mutex_lock(m, K_NO_WAIT)).toBe(0);
    expect(await k.k_mutex_lock(m, K_NO_WAIT)).toBe(0);
    expect(m.lockCount).toBe(2);
    expect(k.k_mutex_unlock(m)).toBe(0);
    expect(m.owner).toBe(k.main);
    expect(k.k_mutex_unlock(m)).toBe(0);
    expect(m.owner).toBeUndefined();
  });

  it("unlock returns -EINVAL when it is not locked and -EPERM for a thread that does not own it", async () => {
    const { clock, k } = makeKernel();
    const m = k.k_mutex_init();
    expect(k.k_mutex_unlock(m)).toBe(-Errno.EINVAL);
    await k.k_mutex_lock(m, K_FOREVER);
    let rc: number | undefined;
    k.k_thread_create({ name: "other", entry: () => void (rc = k.k_mutex_unlock(m)) });
    await clock.run(1);
    expect(rc).toBe(-Errno.EPERM);
    expect(m.owner).toBe(k.main);
  });

  it("another thread gets -EBUSY with K_NO_WAIT and -EAGAIN after its timeout", async () => {
    const { clock, k } = makeKernel();
    const m = k.k_mutex_init();
    await k.k_mutex_lock(m, K_FOREVER);
    const results: Array<[number, number]> = [];
    k.k_thread_create({
      name: "other",
      entry: async () => {
        results.push([await k.k_mutex_lock(m, K_NO_WAIT), clock.now()]);
        results.push([await k.k_mutex_lock(m, K_MSEC(50)), clock.now()]);
      },
    });
    await clock.run(200);
    expect(results).toEqual([
      [-Errno.EBUSY, 0],
      [-Errno.EAGAIN, 50],
    ]);
  });

  it("unlock hands the mutex to the most urgent waiter, which then owns it", async () => {
    const { clock, k } = makeKernel();
    const m = k.k_mutex_init();
    const order: string[] = [];
    k.k_thread_create({
      name: "first",
      entry: async () => {
        await k.k_mutex_lock(m, K_FOREVER);
        await k.k_sleep(K_MSEC(10));
        expect(k.k_mutex_unlock(m)).toBe(0);
      },
    });
    const waiter = (name: string, prio: number) =>
      k.k_thread_create({
        name,
        prio,
        delay: 1,
        entry: async (self) => {
          expect(await k.k_mutex_lock(m, K_FOREVER)).toBe(0);
          order.push(`${name} owns=${m.owner === self}`);
          await k.k_sleep(K_MSEC(5));
          expect(k.k_mutex_unlock(m)).toBe(0);
        },
      });
    waiter("low", 9);
    waiter("high", 2);
    await clock.run(100);
    expect(order).toEqual(["high owns=true", "low owns=true"]);
    expect(m.owner).toBeUndefined();
  });

  it("the owner inherits a more urgent waiter's priority until it unlocks, or until that wait times out", async () => {
    const { clock, k } = makeKernel();
    const m = k.k_mutex_init();
    const owner = k.k_thread_create({
      name: "owner",
      prio: 10,
      entry: async () => {
        await k.k_mutex_lock(m, K_FOREVER);
        await k.k_sleep(K_MSEC(100));
        k.k_mutex_unlock(m);
      },
    });
    k.k_thread_create({ name: "urgent", prio: 1, delay: 10, entry: async () => void (await k.k_mutex_lock(m, K_MSEC(30))) });
    await clock.run(20);
    expect(owner.prio).toBe(1);
    await clock.run(50);
    expect(owner.prio).toBe(10);
    k.k_thread_create({ name: "urgent2", prio: 3, entry: async () => void (await k.k_mutex_lock(m, K_FOREVER)) });
    await clock.run(51);
    expect(owner.prio).toBe(3);
    await clock.run(200);
    expect(owner.prio).toBe(10);
    expect(m.owner?.name).toBe("urgent2");
  });

  it("locking from a timer expiry function (interrupt context, no running thread) is refused", async () => {
    const { clock, k } = makeKernel();
    const m = k.k_mutex_init();
    let error: unknown;
    k.k_thread_abort(k.main);
    const timer = k.k_timer_init(() => {
      try {
        void k.k_mutex_lock(m, K_NO_WAIT);
      } catch (e) {
        error = e;
      }
    });
    k.k_timer_start(timer, K_MSEC(1), K_NO_WAIT);
    await clock.run(5);
    expect(String(error)).toMatch(/interrupt context/);
  });
});
