/**
 * Internal: giving memory back once a burst of load is over, the way a
 * browser collects garbage in its idle time (opt-in: `idleRelease`).
 *
 * A thousand clients at once make V8 grow its young generation (up to
 * 32 MiB by default) and leave the old generation full of garbage; an idle
 * process allocates too little to make V8 collect, so both stay resident
 * for as long as the server stays quiet. Here the server counts requests
 * and new connections (one increment each, nothing more on the request
 * path); a timer, armed only while there is something to watch and never
 * keeping the process alive, checks every `quietMs`: an interval with at
 * least `minRequests` of them is a burst, and the first interval after a
 * burst with none at all runs `release` (at most once every
 * `minIntervalMs`; a release that has to wait for that runs as soon as it
 * may, provided the server is still quiet).
 *
 * The default `release` asks V8 through `node:inspector`
 * (`HeapProfiler.collectGarbage`, a documented protocol command) for the
 * collection V8 runs on a low-memory notification: every generation,
 * compacted, the young generation shrunk back to its initial size. That
 * needs no command-line flag and changes no V8 setting.
 */
import type { IdleReleaseOptions } from "./web-server-options.ts";

/** {@link IdleReleaseOptions} with every value set. */
export type ResolvedIdleRelease = Required<IdleReleaseOptions>;

/** The defaults of {@link IdleReleaseOptions} (`release` aside). */
export const IDLE_RELEASE_DEFAULTS = { minRequests: 200, quietMs: 1_000, minIntervalMs: 30_000 } as const;

/** A full garbage collection that also shrinks V8's heap, asked through an in-process inspector session. */
export async function collectThroughInspector(): Promise<void> {
  const { Session } = await import("node:inspector");
  const session = new Session();
  session.connect();
  try {
    await new Promise<void>((resolve, reject) => session.post("HeapProfiler.collectGarbage", (err) => (err ? reject(err) : resolve())));
  } finally {
    session.disconnect();
  }
}

/** `idleRelease` as given (true, false, options) with defaults filled in; undefined when off. A bad value is a RangeError. */
export function resolveIdleRelease(given: boolean | IdleReleaseOptions | undefined): ResolvedIdleRelease | undefined {
  if (given === undefined || given === false) return undefined;
  const resolved = { ...IDLE_RELEASE_DEFAULTS, release: collectThroughInspector, ...(given === true ? {} : given) };
  for (const name of ["minRequests", "quietMs", "minIntervalMs"] as const) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`[linux-shim] idleRelease.${name} must be a whole number >= 1, got ${String(value)}`);
    }
  }
  if (typeof resolved.release !== "function") throw new TypeError("[linux-shim] idleRelease.release must be a function");
  return resolved;
}

const MiB = 1 << 20;

/** Watches a server's load and releases memory when a burst is over. */
export class IdleRelease {
  readonly #options: ResolvedIdleRelease;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  /** Requests and new connections since the last check. */
  #count = 0;
  /** Requests and new connections since the last release, while a burst is pending. */
  #burst = 0;
  #pending = false;
  #lastRelease = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running = false;
  #stopped = false;

  /** Watch with `options`; `log` hears about each release (and a failed one). */
  constructor(options: ResolvedIdleRelease, log: (line: string) => void, now: () => number = performance.now.bind(performance)) {
    this.#options = options;
    this.#log = log;
    this.#now = now;
  }

  /** A request or a new connection: counted, and the check armed if it was not. */
  activity(): void {
    this.#count++;
    if (this.#timer === undefined && !this.#stopped) {
      this.#timer = setInterval(() => this.#check(), this.#options.quietMs);
      this.#timer.unref();
    }
  }

  /** Stop watching (the server closes). */
  stop(): void {
    this.#stopped = true;
    this.#disarm();
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    const count = this.#count;
    this.#count = 0;
    if (count > 0) {
      this.#burst += count;
      if (count >= this.#options.minRequests) this.#pending = true;
      return;
    }
    if (!this.#pending) {
      // Quiet, and no burst to clean up after: nothing to watch until the next request.
      this.#burst = 0;
      this.#disarm();
      return;
    }
    if (this.#running || this.#now() - this.#lastRelease < this.#options.minIntervalMs) return; // still quiet next time: then
    this.#disarm();
    void this.#release();
  }

  async #release(): Promise<void> {
    const requests = this.#burst;
    this.#pending = false;
    this.#burst = 0;
    this.#running = true;
    const before = process.memoryUsage.rss();
    const started = this.#now();
    try {
      await this.#options.release();
      const after = process.memoryUsage.rss();
      const took = this.#now() - started;
      this.#log(`[linux-shim] web: idle after ${requests} requests and connections: memory released, RSS ${(before / MiB).toFixed(0)} -> ${(after / MiB).toFixed(0)} MiB in ${took.toFixed(0)} ms`);
    } catch (err) {
      this.#log(`[linux-shim] web: idle after a burst: releasing memory failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.#lastRelease = this.#now();
      this.#running = false;
    }
  }
}
