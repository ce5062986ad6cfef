/**
 * The wait protocol both links use between two Workers, and its spin budget.
 *
 * Control words (Int32Array over a small SharedArrayBuffer): BELL + side is a
 * side's doorbell (kicks add 1), SLEEP + side is set while that side sleeps
 * on its bell (a kick calls Atomics.notify only then), CONSUMED counts the
 * messages the remote took (the pipelined sender's window), CONSUMED_SLEEP is
 * set while the sender sleeps on it, DONE ends a run, READY is set once the
 * remote has opened its endpoints.
 *
 * Waiting: spin on the link (poll) for a budget of iterations calibrated once
 * per link (no clock read per iteration), then ask for kicks again and
 * re-check (idle), then Atomics.wait on the bell.
 */
import type { Link, LinkSide } from "./_link.ts";

/** Indices of the control words. */
export const Ctl = { BELL: 0, SLEEP: 2, CONSUMED: 4, CONSUMED_SLEEP: 5, DONE: 6, READY: 7 } as const;
/** Bytes of the control block. */
export const CTL_BYTES = 32;
/** How long a side spins before it sleeps: long enough for the peer to drain a 64-message window. */
export const SPIN_US = 100;

/** Index of a side in the control words. */
export const sideIndex = (side: LinkSide): number => (side === "host" ? 0 : 1);

/** The kick a side gives its peer: ring the bell, wake it only when it sleeps. */
export function kicker(ctl: Int32Array, side: LinkSide): () => void {
  const peer = 1 - sideIndex(side);
  return () => {
    Atomics.add(ctl, Ctl.BELL + peer, 1);
    if (Atomics.load(ctl, Ctl.SLEEP + peer)) Atomics.notify(ctl, Ctl.BELL + peer);
  };
}

/**
 * Iterations of `probe` that take about `us` microseconds: the best rate of a
 * few short trials (a trial that was descheduled runs slow and is ignored).
 */
export function calibrateSpin(probe: () => unknown, us: number): number {
  let best = 0;
  for (let trial = 0; trial < 5; trial++) {
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) probe();
    const perUs = n / Math.max((performance.now() - t0) * 1000, 1e-3);
    if (perUs > best) best = perUs;
  }
  return Math.max(1, Math.ceil(best * us));
}

/** Waits for and processes work on one side of a link. */
export class Waiter {
  readonly #link: Link;
  readonly #ctl: Int32Array;
  readonly #me: number;
  readonly #spins: number;
  readonly #consumedSpins: number;
  /** Times this side went to sleep (Atomics.wait). */
  sleeps = 0;

  /** spin false: sleep at once (the blocking protocol); true: spin budgets calibrated here, once. */
  constructor(link: Link, ctl: Int32Array, side: LinkSide, spin: boolean) {
    this.#link = link;
    this.#ctl = ctl;
    this.#me = sideIndex(side);
    this.#spins = spin ? calibrateSpin(() => link.poll(), SPIN_US) : 0;
    this.#consumedSpins = spin ? calibrateSpin(() => Atomics.load(ctl, Ctl.CONSUMED), SPIN_US) : 0;
  }

  /** Process what is pending; when nothing is, spin, then sleep until kicked (or the run ends). */
  step(): void {
    const link = this.#link;
    if (link.poll() > 0) return;
    for (let i = 0; i < this.#spins; i++) if (link.poll() > 0) return;
    const ctl = this.#ctl, bell = Ctl.BELL + this.#me;
    const seen = Atomics.load(ctl, bell);
    if (!link.idle()) return; // work arrived while kicks were off
    Atomics.store(ctl, Ctl.SLEEP + this.#me, 1);
    if (Atomics.load(ctl, bell) === seen && !Atomics.load(ctl, Ctl.DONE)) {
      this.sleeps++;
      Atomics.wait(ctl, bell, seen, 100);
    }
    Atomics.store(ctl, Ctl.SLEEP + this.#me, 0);
  }

  /** The pipelined sender's wait for the window to open: spin on CONSUMED, then sleep on it. */
  waitConsumed(seen: number): void {
    const ctl = this.#ctl;
    for (let i = 0; i < this.#consumedSpins; i++) if (Atomics.load(ctl, Ctl.CONSUMED) !== seen) return;
    Atomics.store(ctl, Ctl.CONSUMED_SLEEP, 1);
    if (Atomics.load(ctl, Ctl.CONSUMED) === seen) {
      this.sleeps++;
      Atomics.wait(ctl, Ctl.CONSUMED, seen, 100);
    }
    Atomics.store(ctl, Ctl.CONSUMED_SLEEP, 0);
  }
}

/** The remote's side of the window: count consumed messages once per batch, wake a sleeping sender. */
export function addConsumed(ctl: Int32Array, n: number): void {
  Atomics.add(ctl, Ctl.CONSUMED, n);
  if (Atomics.load(ctl, Ctl.CONSUMED_SLEEP)) Atomics.notify(ctl, Ctl.CONSUMED);
}
