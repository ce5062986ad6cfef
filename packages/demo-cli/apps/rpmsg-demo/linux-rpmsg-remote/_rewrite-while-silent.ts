/**
 * Internal: while no sample comes, rpmsg-remote writes its status files
 * again every sampling period, so their "last update … ago" and stale mark
 * stay true for readers without JavaScript and for programs reading the
 * JSON. Each write request re-arms it: with samples flowing it never fires.
 */
import type { Clock, TimerHandle } from "@v8r/fvp-core";

/** Asks for a rewrite one period after the latest write request. */
export class RewriteWhileSilent {
  readonly #clock: Clock;
  readonly #periodMs: () => number;
  readonly #rewrite: () => void;
  #timer: TimerHandle | undefined;
  #stopped = false;

  /** `rewrite` is called one `periodMs()` after the latest {@link RewriteWhileSilent.touch} (it usually touches again). */
  constructor(clock: Clock, periodMs: () => number, rewrite: () => void) {
    this.#clock = clock;
    this.#periodMs = periodMs;
    this.#rewrite = rewrite;
  }

  /** A write was requested now. */
  touch(): void {
    if (this.#stopped) return;
    this.#timer?.cancel();
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#rewrite();
    }, this.#periodMs());
  }

  /** No more rewrites. */
  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
