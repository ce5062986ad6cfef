import { describe, expect, it } from "vitest";
import { KHeap } from "@v8r/zephyr-shim";
import { SampleQueue } from "./sample-queue.ts";

const bytes = (n: number) => new Uint8Array(n).fill(7);

describe("SampleQueue", () => {
  it("keeps samples in order and frees their heap memory when shifted", () => {
    const heap = new KHeap(4096);
    const q = new SampleQueue(heap, 4);
    q.push(0, bytes(100));
    q.push(1, bytes(100));
    expect(heap.stats().allocated_bytes).toBe(2 * 112);
    expect(q.shift()?.seq).toBe(0);
    expect(q.peek()?.seq).toBe(1);
    expect(q.peek()?.block.bytes[99]).toBe(7);
    q.shift();
    expect(heap.stats().allocated_bytes).toBe(0);
  });

  it("drops the oldest on overflow and counts every drop", () => {
    const q = new SampleQueue(new KHeap(65536), 3);
    for (let seq = 0; seq < 7; seq++) q.push(seq, bytes(10));
    expect(q.dropped).toBe(4);
    const left: number[] = [];
    while (q.length > 0) left.push(q.shift()!.seq);
    expect(left).toEqual([4, 5, 6]);
  });

  it("drops the oldest when the heap is full", () => {
    const q = new SampleQueue(new KHeap(2 * 112), 64);
    q.push(0, bytes(100));
    q.push(1, bytes(100));
    expect(q.push(2, bytes(100))).toBe(1);
    expect(q.peek()?.seq).toBe(1);
    expect(q.dropped).toBe(1);
  });
});
