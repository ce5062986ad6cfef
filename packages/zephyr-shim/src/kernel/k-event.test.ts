import { describe, expect, it } from "vitest";
import { makeKernel } from "../../test/_kernel-fixture.ts";
import { K_FOREVER, K_MSEC, K_NO_WAIT } from "./timeout.ts";

describe("k_event", () => {
  it("post ORs bits in, set replaces them, clear removes them; each returns the previous value of the bits it touched", () => {
    const { k } = makeKernel();
    const e = k.k_event_init();
    expect(k.k_event_post(e, 0b0011)).toBe(0);
    expect(k.k_event_post(e, 0b0110)).toBe(0b0010);
    expect(e.events).toBe(0b0111);
    expect(k.k_event_set(e, 0b1000)).toBe(0b0111);
    expect(k.k_event_set_masked(e, 0b0101, 0b0011)).toBe(0b0000);
    expect(e.events).toBe(0b1001);
    expect(k.k_event_clear(e, 0b1100)).toBe(0b1000);
    expect(k.k_event_test(e, 0b1111)).toBe(0b0001);
    expect(k.k_event_post(e, 0x80000000)).toBe(0);
    expect(k.k_event_test(e, 0xffffffff)).toBe(0x80000001);
  });

  it("wait returns the matching bits at once when they are set, else 0 with K_NO_WAIT", async () => {
    const { k } = makeKernel();
    const e = k.k_event_init();
    k.k_event_post(e, 0b0101);
    expect(await k.k_event_wait(e, 0b0110, false, K_NO_WAIT)).toBe(0b0100);
    expect(await k.k_event_wait_all(e, 0b0110, false, K_NO_WAIT)).toBe(0);
    expect(await k.k_event_wait(e, 0b0100, true, K_NO_WAIT)).toBe(0);
    expect(e.events).toBe(0);
  });

  it("wakes every waiter whose condition the posted bits meet, and times out the others with 0", async () => {
    const { clock, k } = makeKernel();
    const e = k.k_event_init();
    const got: Record<string, [number, number]> = {};
    void k.k_event_wait(e, 0b001, false, K_FOREVER).then((v) => (got.any = [v, clock.now()]));
    void k.k_event_wait_all(e, 0b011, false, K_FOREVER).then((v) => (got.all = [v, clock.now()]));
    void k.k_event_wait(e, 0b100, false, K_MSEC(50)).then((v) => (got.other = [v, clock.now()]));
    clock.setTimeout(() => k.k_event_post(e, 0b001), 10);
    clock.setTimeout(() => k.k_event_post(e, 0b010), 20);
    await clock.run(100);
    expect(got).toEqual({ any: [0b001, 10], all: [0b011, 20], other: [0, 50] });
    expect(e.events).toBe(0b011);
  });

  it("the _safe waits consume what they receive; plain waits leave the bits set", async () => {
    const { clock, k } = makeKernel();
    const e = k.k_event_init();
    const got: number[] = [];
    void k.k_event_wait_safe(e, 0b11, false, K_FOREVER).then((v) => got.push(v));
    void k.k_event_wait(e, 0b01, false, K_FOREVER).then((v) => got.push(v));
    await clock.run(1);
    k.k_event_post(e, 0b01);
    await clock.run(2);
    expect(got).toEqual([0b01, 0b01]);
    expect(e.events).toBe(0);
    k.k_event_post(e, 0b10);
    expect(await k.k_event_wait_all_safe(e, 0b10, false, K_NO_WAIT)).toBe(0b10);
    expect(e.events).toBe(0);
  });

  it("a 33-bit set is a RangeError", () => {
    const { k } = makeKernel();
    expect(() => k.k_event_post(k.k_event_init(), 2 ** 32)).toThrow(RangeError);
  });
});
