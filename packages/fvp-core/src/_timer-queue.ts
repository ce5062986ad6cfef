/** Internal: a binary min-heap of timers ordered by (time, sequence number). */

/** One entry of the queue. */
export interface QueuedTimer {
  at: number;
  seq: number;
  period: number;
  cb: () => void;
  active: boolean;
}

/** Min-heap keyed by `at`, ties broken by insertion order (`seq`). */
export class TimerQueue {
  readonly #heap: QueuedTimer[] = [];
  #seq = 0;

  /** Queue a timer at absolute time `at`. */
  push(at: number, period: number, cb: () => void): QueuedTimer {
    const t: QueuedTimer = { at, seq: this.#seq++, period, cb, active: true };
    this.reinsert(t, at);
    return t;
  }

  /** Put an existing (periodic) entry back at time `at` with a fresh sequence number. */
  reinsert(t: QueuedTimer, at: number): void {
    t.at = at;
    t.seq = this.#seq++;
    const h = this.#heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p] as QueuedTimer;
      if (!less(t, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = t;
  }

  /** The earliest active entry, dropping cancelled ones. */
  peek(): QueuedTimer | undefined {
    for (;;) {
      const top = this.#heap[0];
      if (!top || top.active) return top;
      this.pop();
    }
  }

  /** Remove and return the earliest entry (active or not). */
  pop(): QueuedTimer | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (!top || !last || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const lc = h[l] as QueuedTimer;
      const rc = h[r];
      const c = rc && less(rc, lc) ? r : l;
      const child = h[c] as QueuedTimer;
      if (!less(child, last)) break;
      h[i] = child;
      i = c;
    }
    h[i] = last;
    return top;
  }

  /** Number of active entries. */
  activeCount(): number {
    let n = 0;
    for (const t of this.#heap) if (t.active) n++;
    return n;
  }
}

function less(a: QueuedTimer, b: QueuedTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
