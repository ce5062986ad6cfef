/**
 * The Linux side's memory of Zephyr's status: the last samples, lost
 * samples (gaps in `seq`), restarts (new `boot`), malformed input and the
 * link state, as shown on the status page.
 *
 * @module
 */
import type { IpcCounters, StatusSample } from "../protocol/mod.ts";

/** One sample kept in the history, with what was learnt when it arrived. */
export interface HistoryEntry {
  /** The validated sample. */
  readonly sample: StatusSample;
  /** Linux time (ms) when it was received. */
  readonly receivedMs: number;
  /** Samples of the same boot lost just before this one (gap in `seq`). */
  readonly lostBefore: number;
  /** True for the first sample of a boot that followed another boot (a Zephyr restart). */
  readonly restart: boolean;
}

/** What {@link StatusHistory.add} made of a sample. */
export type SampleOutcome =
  | { readonly kind: "first" }
  | { readonly kind: "next" }
  | { readonly kind: "gap"; readonly lost: number }
  | { readonly kind: "restart"; readonly previousBoot: string }
  | { readonly kind: "stale"; readonly lastSeq: number }
  | { readonly kind: "out-of-order"; readonly missing: number };

/** A Zephyr boot seen by this history. */
export interface BootRecord {
  /** The boot id. */
  readonly boot: string;
  /** Linux time (ms) of its first sample. */
  readonly firstSeenMs: number;
  /** `seq` of its first sample. */
  readonly firstSeq: number;
  /** `seq` of its latest sample. */
  readonly lastSeq: number;
  /** Samples accepted from it. */
  readonly samples: number;
  /** Zephyr's drop count (`ipc.dr`) in its first accepted sample. */
  readonly firstDr: number;
  /** Zephyr's drop count in its latest accepted sample: `lastDr - firstDr` samples of this stretch were dropped by Zephyr. */
  readonly lastDr: number;
}

type MutableBoot = { -readonly [K in keyof BootRecord]: BootRecord[K] };

/** Totals kept by a {@link StatusHistory}. */
export interface HistoryCounters {
  /** Samples accepted. */
  readonly received: number;
  /** Samples missing from gaps in `seq` within a boot. */
  readonly lost: number;
  /** Boot changes after the first boot (Zephyr restarts). */
  readonly restarts: number;
  /** Messages rejected as malformed. */
  readonly malformed: number;
  /** Samples ignored because their `seq` was not after the latest one of their boot. */
  readonly stale: number;
  /**
   * Samples set aside because one before them was lost on the way (a gap
   * in `seq` that Zephyr's `dr` does not explain): the host sends them again
   * after it re-initialises the link.
   */
  readonly outOfOrder: number;
}

/**
 * What a {@link StatusHistory} keeps across a Linux restart (its counters,
 * the boots seen and when the last sample came), as rpmsg-remote saves it in
 * the root filesystem. The samples themselves are not kept.
 */
export interface HistoryState {
  /** Format version, 1. */
  readonly v: 1;
  /** The totals. */
  readonly counters: HistoryCounters;
  /** The boots seen, oldest first. */
  readonly boots: readonly BootRecord[];
  /** Platform time (ms) of the newest sample, or null. */
  readonly lastUpdateMs: number | null;
}

/** Options of {@link StatusHistory}. */
export interface StatusHistoryOptions {
  /** Samples kept; default 300. */
  readonly capacity?: number;
  /** Boots remembered; default 16. */
  readonly bootCapacity?: number;
}

const ZERO_IPC: IpcCounters = { tx: 0, rt: 0, ri: 0, dr: 0, q: 0 };

/**
 * The status history. Pure bookkeeping: callers pass the receive time, so
 * it runs the same on a virtual clock.
 *
 * @example
 * ```ts
 * const h = new StatusHistory();
 * h.setLinkState("bound");
 * h.add({ v: 1, seq: 0, boot: "1a2b3c4d", t: 1000, cpu: 4.2 }, 1000);
 * h.add({ v: 1, seq: 3, boot: "1a2b3c4d", t: 4000, cpu: 5.0 }, 4000); // { kind: "gap", lost: 2 }
 * console.log(h.counters.lost); // 2
 * ```
 */
export class StatusHistory {
  /** Samples kept. */
  readonly capacity: number;
  readonly #bootCapacity: number;
  #entries: HistoryEntry[] = [];
  #boots: MutableBoot[] = [];
  #counters = { received: 0, lost: 0, restarts: 0, malformed: 0, stale: 0, outOfOrder: 0 };
  #linkState = "down";
  #lastUpdateMs: number | undefined;
  #lastMalformed: { readonly reason: string; readonly atMs: number } | undefined;
  #revision = 0;
  readonly #listeners = new Set<() => void>();

  /** Start empty, link `"down"`. */
  constructor(options: StatusHistoryOptions = {}) {
    const capacity = options.capacity ?? 300;
    const bootCapacity = options.bootCapacity ?? 16;
    for (const [name, v] of [["capacity", capacity], ["bootCapacity", bootCapacity]] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(`[rpmsg-demo] StatusHistory ${name} must be a positive integer, got ${v}`);
      }
    }
    this.capacity = capacity;
    this.#bootCapacity = bootCapacity;
  }

  /**
   * Record a validated sample received at `receivedMs` (Linux time). A gap
   * in `seq` counts as lost only as far as Zephyr's `ipc.dr` says it
   * dropped those samples; a sample after a gap it does not explain is set
   * aside (`out-of-order`, not recorded): an earlier one is still on its way
   * and comes again.
   */
  add(sample: StatusSample, receivedMs: number): SampleOutcome {
    const current = this.#boots[this.#boots.length - 1];
    const dr = sample.ipc?.dr;
    let outcome: SampleOutcome;
    let lostBefore = 0;
    let restart = false;
    if (current && current.boot === sample.boot) {
      if (sample.seq <= current.lastSeq) {
        this.#counters.stale++;
        this.#changed();
        return { kind: "stale", lastSeq: current.lastSeq };
      }
      lostBefore = sample.seq - current.lastSeq - 1;
      const explained = dr === undefined ? lostBefore : dr - current.lastDr;
      if (lostBefore > explained) {
        this.#counters.outOfOrder++;
        this.#changed();
        return { kind: "out-of-order", missing: lostBefore - Math.max(0, explained) };
      }
      outcome = lostBefore > 0 ? { kind: "gap", lost: lostBefore } : { kind: "next" };
      current.lastSeq = sample.seq;
      current.samples++;
      current.lastDr = dr ?? current.lastDr + lostBefore;
    } else {
      restart = current !== undefined;
      outcome = current ? { kind: "restart", previousBoot: current.boot } : { kind: "first" };
      if (restart) this.#counters.restarts++;
      this.#boots.push({ boot: sample.boot, firstSeenMs: receivedMs, firstSeq: sample.seq, lastSeq: sample.seq, samples: 1, firstDr: dr ?? 0, lastDr: dr ?? 0 });
      if (this.#boots.length > this.#bootCapacity) this.#boots.shift();
    }
    this.#counters.received++;
    this.#counters.lost += lostBefore;
    this.#entries.push({ sample, receivedMs, lostBefore, restart });
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
    this.#lastUpdateMs = receivedMs;
    this.#changed();
    return outcome;
  }

  /** Count a rejected message and remember why. */
  recordMalformed(reason: string, atMs: number): void {
    this.#counters.malformed++;
    this.#lastMalformed = { reason: String(reason), atMs };
    this.#changed();
  }

  /** Set the link state shown on the page (e.g. `"bound"`, `"down"`, `"re-initialising"`). */
  setLinkState(state: string): void {
    if (state === this.#linkState) return;
    this.#linkState = String(state);
    this.#changed();
  }

  /** The link state last set by the caller. */
  get linkState(): string {
    return this.#linkState;
  }

  /** The kept samples, oldest first. */
  entries(): readonly HistoryEntry[] {
    return this.#entries.slice();
  }

  /** The newest sample, if any. */
  latest(): HistoryEntry | undefined {
    return this.#entries[this.#entries.length - 1];
  }

  /** Linux time (ms) of the newest sample, if any. */
  get lastUpdateMs(): number | undefined {
    return this.#lastUpdateMs;
  }

  /** Totals: received, lost, restarts, malformed, stale, out of order. */
  get counters(): HistoryCounters {
    return { ...this.#counters };
  }

  /** IPC counters of the newest sample (zeros before the first one). */
  get ipc(): IpcCounters {
    return this.latest()?.sample.ipc ?? ZERO_IPC;
  }

  /** The boots seen, oldest first (the current one last). */
  get boots(): readonly BootRecord[] {
    return this.#boots.map((b) => ({ ...b }));
  }

  /** The reason and time of the latest malformed message. */
  get lastMalformed(): { readonly reason: string; readonly atMs: number } | undefined {
    return this.#lastMalformed;
  }

  /** Increases on every change; lets writers skip unchanged states. */
  get revision(): number {
    return this.#revision;
  }

  /** What to keep across a restart of the Linux that holds this history. */
  snapshot(): HistoryState {
    return { v: 1, counters: this.counters, boots: this.boots, lastUpdateMs: this.#lastUpdateMs ?? null };
  }

  /**
   * Take up the counters and boots a previous instance saved (a restarted
   * Linux goes on counting where it stopped: a sample of the same Zephyr
   * boot continues its `seq`). Only on an empty history; a state that is not
   * one is refused with a TypeError.
   */
  restore(state: HistoryState): void {
    if (this.#entries.length > 0 || this.#boots.length > 0) throw new RangeError("[rpmsg-demo] StatusHistory.restore: the history is not empty");
    if (!isHistoryState(state)) throw new TypeError("[rpmsg-demo] StatusHistory.restore: not a saved history state (version 1)");
    this.#counters = { ...this.#counters, ...state.counters };
    this.#boots = state.boots.slice(-this.#bootCapacity).map((b) => ({ ...b }));
    this.#lastUpdateMs = state.lastUpdateMs ?? undefined;
    this.#changed();
  }

  /** Call `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    this.#revision++;
    for (const listener of this.#listeners) listener();
  }
}

const COUNTER_KEYS = ["received", "lost", "restarts", "malformed", "stale", "outOfOrder"] as const;
const BOOT_NUMBERS = ["firstSeenMs", "firstSeq", "lastSeq", "samples", "firstDr", "lastDr"] as const;

/** Whether `value` has the shape of a {@link HistoryState} (read from a file). */
export function isHistoryState(value: unknown): value is HistoryState {
  const v = value as Partial<HistoryState> | null;
  if (v === null || typeof v !== "object" || v.v !== 1 || typeof v.counters !== "object" || v.counters === null || !Array.isArray(v.boots)) return false;
  const counters = v.counters as unknown as Record<string, unknown>;
  if (!COUNTER_KEYS.every((k) => Number.isSafeInteger(counters[k]) && (counters[k] as number) >= 0)) return false;
  if (!(v.lastUpdateMs === null || Number.isFinite(v.lastUpdateMs))) return false;
  return v.boots.every((b: unknown) => {
    const r = b as Record<string, unknown> | null;
    return r !== null && typeof r === "object" && typeof r["boot"] === "string" && BOOT_NUMBERS.every((k) => Number.isFinite(r[k]));
  });
}
