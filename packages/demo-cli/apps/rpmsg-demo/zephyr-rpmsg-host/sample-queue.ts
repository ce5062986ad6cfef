/**
 * The samples rpmsg-host has taken and not yet seen acknowledged, oldest
 * first, backed by the kernel heap (so heap statistics show them). A sample
 * leaves the queue in exactly one of two ways: acknowledged by the remote
 * (delivered), or dropped and counted with a reason. Only a sample that was
 * never sent is ever dropped (one that was sent may have arrived), so the
 * count of drops below a seq is final once that seq is sent: the `dr` a
 * sample carries, {@link SampleQueue.dropsBelow}, is exactly the number of
 * earlier samples of the boot that Linux will never get.
 *
 * @module
 */
import type { HeapBlock, KHeap } from "@v8r/zephyr-shim";
import type { ZephyrFacts } from "../protocol/mod.ts";

/** Why a sample was dropped: the queue was full (the link was down or slow), or the heap was. */
export type DropReason = "overflow" | "nomem";

/** One queued sample. */
export interface QueuedSample {
  /** Its sequence number. */
  readonly seq: number;
  /** What it says, as taken (the link counters are filled in when it is sent). */
  readonly facts: ZephyrFacts;
  /** The encoded sample as taken (a heap block: its storage while it waits). */
  readonly block: HeapBlock;
  /** Whether it was ever sent (then it is never dropped). */
  everSent: boolean;
  /** When it was last sent, ms (platform time). */
  sentAt: number;
}

/** A sample that left the queue without being delivered. */
export interface DroppedSample {
  /** Its sequence number. */
  readonly seq: number;
  /** Why. */
  readonly reason: DropReason;
}

/** A FIFO of at most `capacity` samples waiting to be sent or acknowledged. */
export class SampleQueue {
  /** Most samples kept (samples sent and waiting for their ack may exceed it by the send window). */
  readonly capacity: number;
  /** Samples dropped so far, by reason. */
  readonly droppedBy: Record<DropReason, number> = { overflow: 0, nomem: 0 };
  readonly #heap: KHeap;
  readonly #items: QueuedSample[] = [];
  /** Items at the front sent on the current link and not acknowledged yet. */
  #inFlight = 0;
  /** Dropped seqs at or above the oldest queued one, in increasing order; `#dropBase` counts those below. */
  readonly #dropSeqs: number[] = [];
  #dropBase = 0;

  /** A queue of `capacity` samples on `heap`. */
  constructor(heap: KHeap, capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`[rpmsg-demo] creating the sample queue: capacity ${capacity} must be an integer >= 1`);
    }
    this.#heap = heap;
    this.capacity = capacity;
  }

  /** Samples queued (waiting to be sent, or sent and waiting for the ack). */
  get length(): number {
    return this.#items.length;
  }

  /** Samples dropped so far. */
  get dropped(): number {
    return this.droppedBy.overflow + this.droppedBy.nomem;
  }

  /** Samples sent on the current link and not acknowledged yet. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** The oldest sample sent on the current link and not acknowledged yet. */
  oldestInFlight(): QueuedSample | undefined {
    return this.#inFlight > 0 ? this.#items[0] : undefined;
  }

  /** The next sample to send, if any. */
  nextToSend(): QueuedSample | undefined {
    return this.#items[this.#inFlight];
  }

  /** Record that {@link SampleQueue.nextToSend} was sent at `nowMs`. */
  markSent(item: QueuedSample, nowMs: number): void {
    if (this.#items[this.#inFlight] !== item) throw new TypeError(`[rpmsg-demo] sample ${item.seq} is not the next one to send`);
    item.everSent = true;
    item.sentAt = nowMs;
    this.#inFlight++;
  }

  /** Queue a new sample; returns the samples dropped to make room (maybe this one: then it is not queued). */
  push(seq: number, facts: ZephyrFacts, bytes: Uint8Array): DroppedSample[] {
    const dropped: DroppedSample[] = [];
    while (this.#items.length >= this.capacity && this.#dropOldestUnsent("overflow", dropped));
    let block = this.#items.length < this.capacity ? this.#heap.alloc(bytes.length) : null;
    while (block === null && this.#items.length < this.capacity && this.#dropOldestUnsent("nomem", dropped)) block = this.#heap.alloc(bytes.length);
    if (block === null) {
      const reason: DropReason = this.#items.length >= this.capacity ? "overflow" : "nomem";
      this.#recordDrop(seq, reason);
      dropped.push({ seq, reason });
      return dropped;
    }
    block.bytes.set(bytes);
    this.#items.push({ seq, facts, block, everSent: false, sentAt: 0 });
    return dropped;
  }

  /** The remote has every sample before `next`: release those sent (oldest first); returns them. */
  acknowledge(next: number): QueuedSample[] {
    const done: QueuedSample[] = [];
    while (this.#inFlight > 0) {
      const head = this.#items[0] as QueuedSample;
      if (head.seq >= next) break;
      this.#items.shift();
      this.#inFlight--;
      this.#heap.free(head.block);
      done.push(head);
    }
    const oldest = this.#items[0]?.seq ?? Infinity;
    while (this.#dropSeqs.length > 0 && (this.#dropSeqs[0] as number) < oldest) {
      this.#dropSeqs.shift();
      this.#dropBase++;
    }
    return done;
  }

  /** The link was reset: samples in flight will be sent again (oldest first). Returns how many. */
  rewind(): number {
    const n = this.#inFlight;
    this.#inFlight = 0;
    return n;
  }

  /** How many samples with a seq below `seq` were dropped (exact for a seq not yet dropped past: see the module doc). */
  dropsBelow(seq: number): number {
    let n = this.#dropBase;
    for (const s of this.#dropSeqs) {
      if (s >= seq) break;
      n++;
    }
    return n;
  }

  /** Free every sample (the link stops); they are neither delivered nor dropped. Returns them. */
  clear(): QueuedSample[] {
    const all = this.#items.splice(0);
    for (const item of all) this.#heap.free(item.block);
    this.#inFlight = 0;
    return all;
  }

  /** Drop the oldest sample never sent; false when there is none. */
  #dropOldestUnsent(reason: DropReason, out: DroppedSample[]): boolean {
    const i = this.#items.findIndex((item) => !item.everSent);
    if (i < 0) return false;
    const [item] = this.#items.splice(i, 1) as [QueuedSample];
    this.#heap.free(item.block);
    this.#recordDrop(item.seq, reason);
    out.push({ seq: item.seq, reason });
    return true;
  }

  #recordDrop(seq: number, reason: DropReason): void {
    this.droppedBy[reason]++;
    this.#dropSeqs.push(seq);
  }
}
