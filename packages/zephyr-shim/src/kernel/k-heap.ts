/**
 * A kernel heap (`k_heap` / the system heap behind `k_malloc`) that
 * accounts allocations like Zephyr's `sys_heap`: 8-byte chunks plus an
 * 8-byte chunk header, and reports `sys_heap_runtime_stats_get` figures.
 *
 * @module
 */

/** Bytes of bookkeeping per allocation (one chunk header). */
const CHUNK_HEADER = 8;

/** `struct sys_memory_stats`. */
export interface sys_memory_stats {
  /** Bytes still free. */
  readonly free_bytes: number;
  /** Bytes allocated now (including chunk headers). */
  readonly allocated_bytes: number;
  /** Highest `allocated_bytes` seen. */
  readonly max_allocated_bytes: number;
}

/** One allocation; `bytes` is usable memory of the requested size. */
export interface HeapBlock {
  /** The allocated bytes. */
  readonly bytes: Uint8Array;
  /** @internal bytes charged to the heap. */
  readonly charged: number;
}

/** A heap of a fixed size. */
export class KHeap {
  /** Total size in bytes. */
  readonly size: number;
  #allocated = 0;
  #max = 0;
  readonly #live = new WeakSet<HeapBlock>();

  /** A heap of `size` bytes. */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 0) {
      throw new RangeError(`[zephyr-shim] creating a heap: size ${size} must be an integer >= 0`);
    }
    this.size = size;
  }

  /** `k_heap_alloc` / `k_malloc`: a block, or null when the heap is exhausted. */
  alloc(bytes: number): HeapBlock | null {
    if (!Number.isInteger(bytes) || bytes < 0) {
      throw new RangeError(`[zephyr-shim] k_malloc: size ${bytes} must be an integer >= 0`);
    }
    const charged = Math.ceil(bytes / 8) * 8 + CHUNK_HEADER;
    if (this.#allocated + charged > this.size) return null;
    this.#allocated += charged;
    this.#max = Math.max(this.#max, this.#allocated);
    const block: HeapBlock = { bytes: new Uint8Array(bytes), charged };
    this.#live.add(block);
    return block;
  }

  /** `k_heap_free` / `k_free`; freeing null is a no-op, freeing twice a TypeError. */
  free(block: HeapBlock | null): void {
    if (block === null) return;
    if (!this.#live.has(block)) {
      throw new TypeError("[zephyr-shim] k_free: the block is not allocated from this heap (double free?)");
    }
    this.#live.delete(block);
    this.#allocated -= block.charged;
  }

  /** `sys_heap_runtime_stats_get`. */
  stats(): sys_memory_stats {
    return {
      free_bytes: this.size - this.#allocated,
      allocated_bytes: this.#allocated,
      max_allocated_bytes: this.#max,
    };
  }
}
