import { describe, expect, it } from "vitest";
import { CoalescingWriter } from "./_coalescing-writer.ts";

/** A write that stays pending until released, counting starts. */
function gatedWrite() {
  const gates: Array<() => void> = [];
  let starts = 0;
  return {
    write: () => {
      starts++;
      return new Promise<void>((r) => gates.push(r));
    },
    release: () => gates.shift()?.(),
    get starts() {
      return starts;
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("CoalescingWriter", () => {
  it("merges requests made during a write into one more write", async () => {
    const w = gatedWrite();
    const writer = new CoalescingWriter(w.write, () => {});
    writer.request();
    writer.request();
    writer.request();
    expect(w.starts).toBe(1);
    w.release();
    await settle();
    expect(w.starts).toBe(2);
    w.release();
    await writer.idle();
    expect(w.starts).toBe(2);
  });

  it("starts the merged write through schedule, and never when schedule never runs it", async () => {
    const w = gatedWrite();
    const scheduled: Array<() => void> = [];
    const writer = new CoalescingWriter(w.write, () => {}, (next) => scheduled.push(next));
    writer.request();
    writer.request();
    w.release();
    await settle();
    expect(w.starts).toBe(1);
    expect(scheduled).toHaveLength(1);
    scheduled[0]?.();
    await settle();
    expect(w.starts).toBe(2);
    writer.request();
    w.release(); // the second write ends with a request pending: scheduled, but the "timer" is dropped
    await settle();
    expect(scheduled).toHaveLength(2);
    expect(w.starts).toBe(2);
  });

  it("reports a failed write and keeps writing", async () => {
    const errors: unknown[] = [];
    let n = 0;
    const writer = new CoalescingWriter(async () => {
      if (n++ === 0) throw new Error("disk full");
    }, (e) => errors.push(e));
    writer.request();
    await writer.idle();
    writer.request();
    await writer.idle();
    expect(errors).toHaveLength(1);
    expect(n).toBe(2);
  });
});
