import { describe, expect, it } from "vitest";
import { makeKernel } from "../../test/_kernel-fixture.ts";
import { K_FOREVER, K_MSEC, K_NO_WAIT } from "./timeout.ts";

describe("k_timer", () => {
  it("a periodic timer fires first after duration, then every period, without drift", () => {
    const { clock, k } = makeKernel();
    const at: number[] = [];
    const t = k.k_timer_init(() => at.push(k.k_uptime_get()));
    k.k_timer_start(t, K_MSEC(50), K_MSEC(100));
    clock.advanceTo(455);
    expect(at).toEqual([50, 150, 250, 350, 450]);
    expect(k.k_timer_status_get(t)).toBe(5);
    expect(k.k_timer_status_get(t)).toBe(0);
    expect(k.k_timer_remaining_get(t)).toBe(95);
  });

  it.each([
    ["K_NO_WAIT", K_NO_WAIT],
    ["K_FOREVER", K_FOREVER],
  ])("a period of %s makes a one-shot timer", (_name, period) => {
    const { clock, k } = makeKernel();
    let fired = 0;
    const t = k.k_timer_init(() => fired++);
    k.k_timer_start(t, K_MSEC(10), period);
    clock.advanceTo(1000);
    expect(fired).toBe(1);
    expect(t.running).toBe(false);
  });

  it("k_timer_stop runs the stop function once and prevents further expiries", () => {
    const { clock, k } = makeKernel();
    let fired = 0;
    let stopped = 0;
    const t = k.k_timer_init(
      () => fired++,
      () => stopped++,
    );
    k.k_timer_start(t, K_MSEC(10), K_MSEC(10));
    clock.advanceTo(35);
    k.k_timer_stop(t);
    k.k_timer_stop(t);
    clock.advanceTo(200);
    expect(fired).toBe(3);
    expect(stopped).toBe(1);
  });

  it("restarting a timer resets its status and its schedule", () => {
    const { clock, k } = makeKernel();
    const at: number[] = [];
    const t = k.k_timer_init(() => at.push(clock.now()));
    k.k_timer_start(t, K_MSEC(10), K_MSEC(10));
    clock.advanceTo(25);
    k.k_timer_start(t, K_MSEC(100), K_NO_WAIT);
    expect(k.k_timer_status_get(t)).toBe(0);
    clock.advanceTo(500);
    expect(at).toEqual([10, 20, 125]);
  });

  it("k_timer_status_sync waits for the next expiry", async () => {
    const { clock, k } = makeKernel();
    const t = k.k_timer_init();
    k.k_timer_start(t, K_MSEC(30), K_NO_WAIT);
    let status = -1;
    void k.k_timer_status_sync(t).then((s) => (status = s));
    await clock.run(20);
    expect(status).toBe(-1);
    await clock.run(40);
    expect(status).toBe(1);
  });

  it("rejects a negative duration with a RangeError", () => {
    const { k } = makeKernel();
    const t = k.k_timer_init();
    expect(() => k.k_timer_start(t, -5, 0)).toThrow(RangeError);
  });
});
