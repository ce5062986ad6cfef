import { describe, expect, it } from "vitest";
import { makeKernel } from "../../test/_kernel-fixture.ts";
import { K_FOREVER, K_MSEC, K_NO_WAIT } from "./timeout.ts";

describe("k_fifo", () => {
  it("gives items back first in, first out; null when empty with K_NO_WAIT", async () => {
    const { k } = makeKernel();
    const f = k.k_fifo_init<{ id: number }>();
    k.k_fifo_put(f, { id: 1 });
    k.k_fifo_put_list(f, [{ id: 2 }, { id: 3 }]);
    expect(k.k_fifo_peek_head(f)).toEqual({ id: 1 });
    expect(k.k_fifo_peek_tail(f)).toEqual({ id: 3 });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await k.k_fifo_get(f, K_NO_WAIT))?.id);
    expect(ids).toEqual([1, 2, 3]);
    expect(await k.k_fifo_get(f, K_NO_WAIT)).toBeNull();
    expect(k.k_fifo_is_empty(f)).not.toBe(0);
  });

  it("a waiting getter gets the next item; a timed-out one gets null at its deadline", async () => {
    const { clock, k } = makeKernel();
    const f = k.k_fifo_init<string>();
    const got: Array<[string | null, number]> = [];
    void k.k_fifo_get(f, K_FOREVER).then((v) => got.push([v, clock.now()]));
    void k.k_fifo_get(f, K_MSEC(30)).then((v) => got.push([v, clock.now()]));
    clock.setTimeout(() => k.k_fifo_put(f, "a"), 10);
    await clock.run(100);
    expect(got).toEqual([
      ["a", 10],
      [null, 30],
    ]);
    expect(k.k_fifo_is_empty(f)).not.toBe(0);
  });

  it("cancel_wait makes the first waiting getter return null", async () => {
    const { clock, k } = makeKernel();
    const f = k.k_fifo_init<string>();
    let got: string | null | undefined;
    void k.k_fifo_get(f, K_FOREVER).then((v) => (got = v));
    await clock.run(1);
    k.k_fifo_cancel_wait(f);
    await clock.run(2);
    expect(got).toBeNull();
  });

  it("refuses null and undefined items (get returns null for nothing)", () => {
    const { k } = makeKernel();
    const f = k.k_fifo_init<unknown>();
    expect(() => k.k_fifo_put(f, null)).toThrow(TypeError);
    expect(() => k.k_fifo_put(f, undefined)).toThrow(TypeError);
  });
});
