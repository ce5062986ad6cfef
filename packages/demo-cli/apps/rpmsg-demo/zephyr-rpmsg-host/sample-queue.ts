/**
 * The bounded queue of encoded samples waiting for the link, backed by the
 * kernel heap (so heap statistics show it). When it is full, or the heap is,
 * the oldest sample is dropped and counted.
 *
 * @module
 */
import type { HeapBlock, KHeap } from "@v8r/zephyr-shim";

/** One queued sample. */
export interface QueuedSample {
  /** Its sequence number. */
  readonly seq: number;
  /** The encoded JSON (a heap block). */
  readonly block: HeapBlock;
}

/** A FIFO of at most `capacity` samples, oldest dropped on overflow. */
export class SampleQueue {
  /** Most samples kept. */
  readonly capacity: number;
  /** Samples dropped so far. */
  dropped = 0;
  readonly #heap: KHeap;
  readonly #items: QueuedSample[] = [];

  /** A queue of `capacity` samples on `heap`. */
  constructor(heap: KHeap, capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`[rpmsg-demo] creating the sample queue: capacity ${capacity} must be an integer >= 1`);
    }
    this.#heap = heap;
    this.capacity = capacity;
  }

  /** Samples waiting. */
  get length(): number {
    return this.#items.length;
  }

  /** The oldest sample, if any. */
  peek(): QueuedSample | undefined {
    return this.#items[0];
  }

  /** Add a sample; returns how many older samples were dropped to make room. */
  push(seq: number, bytes: Uint8Array): number {
    let dropped = 0;
    while (this.#items.length >= this.capacity) {
      this.#dropOldest();
      dropped++;
    }
    let block = this.#heap.alloc(bytes.length);
    while (!block && this.#items.length > 0) {
      this.#dropOldest();
      dropped++;
      block = this.#heap.alloc(bytes.length);
    }
    if (!block) {
      this.dropped++;
      return dropped + 1;
    }
    block.bytes.set(bytes);
    this.#items.push({ seq, block });
    return dropped;
  }

  /** Remove the oldest sample and free its memory. */
  shift(): QueuedSample | undefined {
    const item = this.#items.shift();
    if (item) this.#heap.free(item.block);
    return item;
  }

  /** Remove the oldest sample without freeing it: the caller owns it now (give it back with `requeue` or `release`). */
  take(): QueuedSample | undefined {
    return this.#items.shift();
  }

  /** Free a sample obtained with `take`. */
  release(item: QueuedSample): void {
    this.#heap.free(item.block);
  }

  /** Put samples obtained with `take` back in front, in order; the oldest beyond capacity are dropped and counted. Returns how many. */
  requeue(items: readonly QueuedSample[]): number {
    this.#items.unshift(...items);
    let dropped = 0;
    while (this.#items.length > this.capacity) {
      this.#dropOldest();
      dropped++;
    }
    return dropped;
  }

  #dropOldest(): void {
    this.shift();
    this.dropped++;
  }
}
