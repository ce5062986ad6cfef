// Worker side of platform.bench.ts: doorbell round trips and an SPSC ring
// stream over a MemoryWindow. Each job runs its own timing loop.
import { MemoryWindow, type WindowDescriptor } from "../src/mod.ts";

/** A job for one bench worker. */
export type BenchJob =
  | { kind: "ping" | "pong"; bell: Int32Array; rounds: number; spinUs: number }
  | { kind: "produce" | "consume"; window: WindowDescriptor; msgSize: number; count: number; slots: number };

const scope = globalThis as unknown as {
  postMessage(m: unknown): void;
  addEventListener(t: "message", l: (e: { data: BenchJob }) => void): void;
};

/** Wait until `a[i] !== old`: spin for up to `spinUs`, then block. */
function waitChange(a: Int32Array, i: number, old: number, spinUs: number): void {
  if (spinUs > 0) {
    const end = performance.now() + spinUs / 1000;
    while (performance.now() < end) if (Atomics.load(a, i) !== old) return;
  }
  while (Atomics.load(a, i) === old) Atomics.wait(a, i, old);
}

function ping(bell: Int32Array, rounds: number, spinUs: number): number[] {
  const times: number[] = [];
  for (let seq = 1; seq <= rounds; seq++) {
    const t0 = performance.now();
    Atomics.store(bell, 0, seq);
    Atomics.notify(bell, 0);
    waitChange(bell, 1, seq - 1, spinUs);
    times.push((performance.now() - t0) * 1000);
  }
  Atomics.store(bell, 0, -1);
  Atomics.notify(bell, 0);
  return times;
}

function pong(bell: Int32Array, spinUs: number): number {
  let seen = 0;
  for (;;) {
    waitChange(bell, 0, seen, spinUs);
    seen = Atomics.load(bell, 0);
    if (seen < 0) return 0;
    Atomics.store(bell, 1, seen);
    Atomics.notify(bell, 1);
  }
}

// Ring layout: head u32 @0, tail u32 @4, consumer-waiting flag @8, doorbell @12, slots from 64.
const HEAD = 0;
const TAIL = 4;
const WAITING = 8;
const BELL = 12;
const SLOTS = 64;
const SLOT_SIZE = 512;

function produce(w: MemoryWindow, msgSize: number, count: number, slots: number): { notifies: number } {
  const i32 = new Int32Array(w.buffer, w.byteOffset, 4);
  const payload = new Uint8Array(msgSize).fill(0xa5);
  let notifies = 0;
  let head = 0;
  for (let n = 0; n < count; n++) {
    while (head - w.loadAcquire32(TAIL) >= slots) {
      // full: the consumer is behind; it never sleeps while data is queued
    }
    const slot = SLOTS + (head % slots) * SLOT_SIZE;
    w.write32(slot, msgSize);
    w.copyIn(slot + 4, payload);
    head++;
    w.storeRelease32(HEAD, head);
    if (Atomics.load(i32, WAITING / 4) !== 0) {
      Atomics.store(i32, WAITING / 4, 0);
      Atomics.add(i32, BELL / 4, 1);
      Atomics.notify(i32, BELL / 4);
      notifies++;
    }
  }
  return { notifies };
}

function consume(w: MemoryWindow, count: number, slots: number): { bytes: number; ms: number } {
  const i32 = new Int32Array(w.buffer, w.byteOffset, 4);
  let tail = 0;
  let bytes = 0;
  let t0 = 0;
  for (let n = 0; n < count; n++) {
    while (w.loadAcquire32(HEAD) === tail) {
      // empty: ask to be woken, re-check, then sleep
      const bell = Atomics.load(i32, BELL / 4);
      Atomics.store(i32, WAITING / 4, 1);
      if (w.loadAcquire32(HEAD) !== tail) break;
      Atomics.wait(i32, BELL / 4, bell, 100);
    }
    if (n === 0) t0 = performance.now();
    const slot = SLOTS + (tail % slots) * SLOT_SIZE;
    const len = w.read32(slot);
    bytes += w.view(slot + 4, len)[len - 1] === 0xa5 ? len : 0;
    tail++;
    w.storeRelease32(TAIL, tail);
  }
  return { bytes, ms: performance.now() - t0 };
}

scope.addEventListener("message", ({ data: job }) => {
  switch (job.kind) {
    case "ping":
      return scope.postMessage({ times: ping(job.bell, job.rounds, job.spinUs) });
    case "pong":
      return scope.postMessage({ done: pong(job.bell, job.spinUs) });
    case "produce":
      return scope.postMessage(produce(MemoryWindow.fromDescriptor(job.window), job.msgSize, job.count, job.slots));
    case "consume":
      return scope.postMessage(consume(MemoryWindow.fromDescriptor(job.window), job.count, job.slots));
  }
});
