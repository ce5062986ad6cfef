import { describe, expect, it } from "vitest";
import { makeKernel } from "../../test/_kernel-fixture.ts";
import { Errno } from "./errno.ts";
import {
  K_POLL_MODE_NOTIFY_ONLY,
  K_POLL_STATE_CANCELLED,
  K_POLL_STATE_FIFO_DATA_AVAILABLE,
  K_POLL_STATE_MSGQ_DATA_AVAILABLE,
  K_POLL_STATE_NOT_READY,
  K_POLL_STATE_SEM_AVAILABLE,
  K_POLL_STATE_SIGNALED,
  K_POLL_TYPE_FIFO_DATA_AVAILABLE,
  K_POLL_TYPE_MSGQ_DATA_AVAILABLE,
  K_POLL_TYPE_SEM_AVAILABLE,
  K_POLL_TYPE_SIGNAL,
} from "./k-poll.ts";
import { K_FOREVER, K_MSEC, K_NO_WAIT } from "./timeout.ts";

describe("k_poll", () => {
  it("uses Zephyr's bit values for types and states", () => {
    expect([K_POLL_TYPE_SIGNAL, K_POLL_TYPE_SEM_AVAILABLE, K_POLL_TYPE_FIFO_DATA_AVAILABLE, K_POLL_TYPE_MSGQ_DATA_AVAILABLE]).toEqual([1, 2, 4, 8]);
    expect([K_POLL_STATE_SIGNALED, K_POLL_STATE_SEM_AVAILABLE, K_POLL_STATE_FIFO_DATA_AVAILABLE, K_POLL_STATE_CANCELLED, K_POLL_STATE_MSGQ_DATA_AVAILABLE]).toEqual([1, 2, 4, 8, 16]);
  });

  it("returns 0 at once and marks every event that is ready now; -EAGAIN with K_NO_WAIT when none is", async () => {
    const { k } = makeKernel();
    const sem = k.k_sem_init(1, 1);
    const fifo = k.k_fifo_init<string>();
    const events = [
      k.k_poll_event_init(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, sem),
      k.k_poll_event_init(K_POLL_TYPE_FIFO_DATA_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, fifo),
    ];
    expect(await k.k_poll(events, K_NO_WAIT)).toBe(0);
    expect(events.map((e) => e.state)).toEqual([K_POLL_STATE_SEM_AVAILABLE, K_POLL_STATE_NOT_READY]);
    expect(k.k_sem_count_get(sem)).toBe(1);
    await k.k_sem_take(sem, K_NO_WAIT);
    for (const e of events) e.state = K_POLL_STATE_NOT_READY;
    expect(await k.k_poll(events, K_NO_WAIT)).toBe(-Errno.EAGAIN);
  });

  it("wakes when a polled object becomes ready, with that event's state set, and times out with -EAGAIN", async () => {
    const { clock, k } = makeKernel();
    const q = k.k_msgq_init(1, 1);
    const sig = k.k_poll_signal_init();
    const events = [
      k.k_poll_event_init(K_POLL_TYPE_MSGQ_DATA_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, q),
      k.k_poll_event_init(K_POLL_TYPE_SIGNAL, K_POLL_MODE_NOTIFY_ONLY, sig),
    ];
    let rc: [number, number] | undefined;
    void k.k_poll(events, K_FOREVER).then((r) => (rc = [r, clock.now()]));
    clock.setTimeout(() => void k.k_msgq_put(q, Uint8Array.of(1), K_NO_WAIT), 25);
    await clock.run(100);
    expect(rc).toEqual([0, 25]);
    expect(events.map((e) => e.state)).toEqual([K_POLL_STATE_MSGQ_DATA_AVAILABLE, K_POLL_STATE_NOT_READY]);
    events[0]!.state = K_POLL_STATE_NOT_READY;
    await k.k_msgq_get(q, new Uint8Array(1), K_NO_WAIT);
    let late: [number, number] | undefined;
    void k.k_poll(events, K_MSEC(40)).then((r) => (late = [r, clock.now()]));
    await clock.run(200);
    expect(late).toEqual([-Errno.EAGAIN, 140]);
  });

  it("a raised signal keeps its result until reset", async () => {
    const { clock, k } = makeKernel();
    const sig = k.k_poll_signal_init();
    const ev = k.k_poll_event_init(K_POLL_TYPE_SIGNAL, K_POLL_MODE_NOTIFY_ONLY, sig);
    let rc: number | undefined;
    void k.k_poll([ev], K_FOREVER).then((r) => (rc = r));
    await clock.run(1);
    expect(k.k_poll_signal_raise(sig, 42)).toBe(0);
    await clock.run(2);
    expect(rc).toBe(0);
    expect(ev.state).toBe(K_POLL_STATE_SIGNALED);
    expect(k.k_poll_signal_check(sig)).toEqual({ signaled: 1, result: 42 });
    k.k_poll_signal_reset(sig);
    expect(k.k_poll_signal_check(sig).signaled).toBe(0);
  });

  it("a give taken by a waiting k_sem_take does not wake a poller; a give with no taker does", async () => {
    const { clock, k } = makeKernel();
    const sem = k.k_sem_init(0, 1);
    const ev = k.k_poll_event_init(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, sem);
    let polled: number | undefined;
    let taken: number | undefined;
    void k.k_sem_take(sem, K_FOREVER).then((r) => (taken = r));
    void k.k_poll([ev], K_FOREVER).then((r) => (polled = r));
    await clock.run(1);
    k.k_sem_give(sem);
    await clock.run(2);
    expect([taken, polled]).toEqual([0, undefined]);
    k.k_sem_give(sem);
    await clock.run(3);
    expect(polled).toBe(0);
    expect(ev.state).toBe(K_POLL_STATE_SEM_AVAILABLE);
  });

  it("returns -EINTR when a polled FIFO's wait is cancelled", async () => {
    const { clock, k } = makeKernel();
    const fifo = k.k_fifo_init<string>();
    const ev = k.k_poll_event_init(K_POLL_TYPE_FIFO_DATA_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, fifo);
    let rc: number | undefined;
    void k.k_poll([ev], K_FOREVER).then((r) => (rc = r));
    await clock.run(1);
    k.k_fifo_cancel_wait(fifo);
    await clock.run(2);
    expect(rc).toBe(-Errno.EINTR);
    expect(ev.state).toBe(K_POLL_STATE_CANCELLED);
  });

  it("an object wakes one poller only, the first registered", async () => {
    const { clock, k } = makeKernel();
    const fifo = k.k_fifo_init<string>();
    const woken: string[] = [];
    for (const name of ["a", "b"]) {
      const ev = k.k_poll_event_init(K_POLL_TYPE_FIFO_DATA_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, fifo);
      void k.k_poll([ev], K_MSEC(50)).then((r) => woken.push(`${name}:${r}`));
    }
    await clock.run(1);
    k.k_fifo_put(fifo, "x");
    await clock.run(100);
    expect(woken).toEqual(["a:0", `b:${-Errno.EAGAIN}`]);
  });

  it("rejects an unknown type, a mode other than notify-only, and an object that cannot be polled", () => {
    const { k } = makeKernel();
    const sem = k.k_sem_init(0, 1);
    expect(() => k.k_poll_event_init(3, K_POLL_MODE_NOTIFY_ONLY, sem)).toThrow(RangeError);
    expect(() => k.k_poll_event_init(K_POLL_TYPE_SEM_AVAILABLE, 1, sem)).toThrow(RangeError);
    expect(() => k.k_poll_event_init(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, {} as never)).toThrow(TypeError);
  });
});
