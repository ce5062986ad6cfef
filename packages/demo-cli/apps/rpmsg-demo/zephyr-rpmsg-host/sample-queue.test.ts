import { describe, expect, it } from "vitest";
import { KHeap } from "@v8r/zephyr-shim";
import type { ZephyrFacts } from "../protocol/mod.ts";
import { SampleQueue } from "./sample-queue.ts";

const bytes = (n: number) => new Uint8Array(n).fill(7);
const facts = (seq: number) => ({ seq }) as unknown as ZephyrFacts;
const push = (q: SampleQueue, seq: number, n = 10) => q.push(seq, facts(seq), bytes(n));
/** Send everything sendable now. */
const sendAll = (q: SampleQueue, now = 0): number[] => {
  const sent: number[] = [];
  for (let item = q.nextToSend(); item; item = q.nextToSend()) {
    q.markSent(item, now);
    sent.push(item.seq);
  }
  return sent;
};

describe("SampleQueue", () => {
  it("keeps samples in order until acknowledged and frees their heap memory then", () => {
    const heap = new KHeap(4096);
    const q = new SampleQueue(heap, 4);
    push(q, 0, 100);
    push(q, 1, 100);
    expect(heap.stats().allocated_bytes).toBe(2 * 112);
    expect(sendAll(q)).toEqual([0, 1]);
    expect(q.inFlight).toBe(2);
    expect(q.acknowledge(1).map((s) => s.seq)).toEqual([0]);
    expect(q.oldestInFlight()?.seq).toBe(1);
    expect(q.oldestInFlight()?.block.bytes[99]).toBe(7);
    q.acknowledge(2);
    expect(q.length).toBe(0);
    expect(heap.stats().allocated_bytes).toBe(0);
  });

  it("sends the samples in flight again after a rewind, and never acknowledges one not sent", () => {
    const q = new SampleQueue(new KHeap(4096), 8);
    for (let seq = 0; seq < 4; seq++) push(q, seq);
    q.markSent(q.nextToSend()!, 10);
    q.markSent(q.nextToSend()!, 11);
    expect(q.acknowledge(4).map((s) => s.seq)).toEqual([0, 1]); // 2 and 3 were not sent
    q.markSent(q.nextToSend()!, 12);
    expect(q.rewind()).toBe(1);
    expect(sendAll(q, 20)).toEqual([2, 3]);
  });

  it("drops the oldest sample never sent on overflow, counts it, and keeps the ones sent (they may have arrived)", () => {
    const q = new SampleQueue(new KHeap(65536), 3);
    push(q, 0);
    sendAll(q);
    q.rewind(); // 0 was sent once: it is kept
    const dropped = [1, 2, 3, 4, 5].flatMap((seq) => push(q, seq));
    expect(dropped).toEqual([
      { seq: 1, reason: "overflow" },
      { seq: 2, reason: "overflow" },
      { seq: 3, reason: "overflow" },
    ]);
    expect(sendAll(q)).toEqual([0, 4, 5]);
    expect(q.dropped).toBe(3);
    expect(q.droppedBy).toEqual({ overflow: 3, nomem: 0 });
  });

  it("counts the drops below each seq exactly, as the samples' dr carries them", () => {
    const q = new SampleQueue(new KHeap(65536), 2);
    for (let seq = 0; seq < 6; seq++) push(q, seq); // 0..3 dropped, 4 and 5 kept
    expect([4, 5].map((s) => q.dropsBelow(s))).toEqual([4, 4]);
    expect(q.dropsBelow(2)).toBe(2);
    sendAll(q);
    q.acknowledge(5);
    push(q, 6);
    push(q, 7); // the queue holds 5 (sent) and 6: 7 would overflow, 6 (never sent) goes
    expect(q.dropsBelow(7)).toBe(5);
    expect(q.dropsBelow(5)).toBe(4);
  });

  it("drops the oldest never-sent sample when the heap is full, and the new one when none is left", () => {
    const q = new SampleQueue(new KHeap(2 * 112), 64);
    push(q, 0, 100);
    push(q, 1, 100);
    expect(push(q, 2, 100)).toEqual([{ seq: 0, reason: "nomem" }]);
    sendAll(q);
    expect(push(q, 3, 100)).toEqual([{ seq: 3, reason: "nomem" }]);
    expect(q.droppedBy).toEqual({ overflow: 0, nomem: 2 });
    expect(q.dropsBelow(3)).toBe(1);
  });
});
