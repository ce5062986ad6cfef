import { describe, expect, it } from "vitest";
import { makeKernel } from "../../test/_kernel-fixture.ts";
import { Errno } from "./errno.ts";
import { K_FOREVER, K_MSEC, K_NO_WAIT } from "./timeout.ts";

type Kernel = ReturnType<typeof makeKernel>["k"];
const msg = (...bytes: number[]) => Uint8Array.from(bytes);

describe("k_msgq", () => {
  it("copies fixed-size messages in and out in order; the sender's buffer can be reused at once", async () => {
    const { k } = makeKernel();
    const q = k.k_msgq_init(2, 3);
    const buf = msg(1, 2);
    expect(await k.k_msgq_put(q, buf, K_NO_WAIT)).toBe(0);
    buf.set([3, 4]);
    expect(await k.k_msgq_put(q, buf, K_NO_WAIT)).toBe(0);
    const out = new Uint8Array(2);
    expect(await k.k_msgq_get(q, out, K_NO_WAIT)).toBe(0);
    expect([...out]).toEqual([1, 2]);
    expect(await k.k_msgq_get(q, out, K_NO_WAIT)).toBe(0);
    expect([...out]).toEqual([3, 4]);
  });

  it("put on a full queue is -ENOMSG with K_NO_WAIT and -EAGAIN after a timeout; get on an empty one likewise", async () => {
    const { clock, k } = makeKernel();
    const q = k.k_msgq_init(1, 1);
    expect(await k.k_msgq_put(q, msg(1), K_NO_WAIT)).toBe(0);
    expect(await k.k_msgq_put(q, msg(2), K_NO_WAIT)).toBe(-Errno.ENOMSG);
    let put: number | undefined;
    void k.k_msgq_put(q, msg(2), K_MSEC(20)).then((r) => (put = r));
    await clock.run(19);
    expect(put).toBeUndefined();
    await clock.run(20);
    expect(put).toBe(-Errno.EAGAIN);
    const empty = k.k_msgq_init(1, 1);
    expect(await k.k_msgq_get(empty, new Uint8Array(1), K_NO_WAIT)).toBe(-Errno.ENOMSG);
    let got: number | undefined;
    void k.k_msgq_get(empty, new Uint8Array(1), K_MSEC(5)).then((r) => (got = r));
    await clock.run(30);
    expect(got).toBe(-Errno.EAGAIN);
  });

  it("a waiting getter receives the next put directly; a waiting putter fills the slot a get frees", async () => {
    const { clock, k } = makeKernel();
    const q = k.k_msgq_init(1, 1);
    const out = new Uint8Array(1);
    let got: number | undefined;
    void k.k_msgq_get(q, out, K_FOREVER).then((r) => (got = r));
    await clock.run(1);
    expect(await k.k_msgq_put(q, msg(7), K_NO_WAIT)).toBe(0);
    await clock.run(2);
    expect(got).toBe(0);
    expect(out[0]).toBe(7);
    expect(k.k_msgq_num_used_get(q)).toBe(0);
    await k.k_msgq_put(q, msg(8), K_NO_WAIT);
    let put: number | undefined;
    void k.k_msgq_put(q, msg(9), K_FOREVER).then((r) => (put = r));
    await clock.run(3);
    expect(await k.k_msgq_get(q, out, K_NO_WAIT)).toBe(0);
    expect(out[0]).toBe(8);
    await clock.run(4);
    expect(put).toBe(0);
    expect(k.k_msgq_peek(q, out)).toBe(0);
    expect(out[0]).toBe(9);
    expect(k.k_msgq_get_attrs(q)).toEqual({ msg_size: 1, max_msgs: 1, used_msgs: 1 });
  });

  it("purge empties the queue and releases waiting putters with -ENOMSG", async () => {
    const { clock, k } = makeKernel();
    const q = k.k_msgq_init(1, 2);
    await k.k_msgq_put(q, msg(1), K_NO_WAIT);
    await k.k_msgq_put(q, msg(2), K_NO_WAIT);
    let put: number | undefined;
    void k.k_msgq_put(q, msg(3), K_FOREVER).then((r) => (put = r));
    await clock.run(1);
    k.k_msgq_purge(q);
    await clock.run(2);
    expect(put).toBe(-Errno.ENOMSG);
    expect(k.k_msgq_num_used_get(q)).toBe(0);
    expect(k.k_msgq_num_free_get(q)).toBe(2);
  });

  it("peek_at reads any queued message by index", async () => {
    const { k } = makeKernel();
    const q = k.k_msgq_init(1, 3);
    for (const b of [4, 5, 6]) await k.k_msgq_put(q, msg(b), K_NO_WAIT);
    const out = new Uint8Array(1);
    expect(k.k_msgq_peek_at(q, out, 2)).toBe(0);
    expect(out[0]).toBe(6);
    expect(k.k_msgq_peek_at(q, out, 3)).toBe(-Errno.ENOMSG);
  });

  it.each([
    ["a short message", (k: Kernel) => k.k_msgq_put(k.k_msgq_init(4, 1), new Uint8Array(3), K_NO_WAIT)],
    ["a short receive buffer", (k: Kernel) => k.k_msgq_get(k.k_msgq_init(4, 1), new Uint8Array(3), K_NO_WAIT)],
    ["a zero capacity", (k: Kernel) => k.k_msgq_init(4, 0)],
  ])("%s is a RangeError", (_name, call) => {
    const { k } = makeKernel();
    expect(() => call(k)).toThrow(RangeError);
  });
});
