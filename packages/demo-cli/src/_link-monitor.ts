// The dashboard's view of the RPMsg link, from evidence, the way a debugger
// would read it: the state of both domains (Xen's), the static shared memory
// itself (openamp-wasm's readRingState: DRIVER_OK and whether the ring
// indices move) and the link events the guests publish. A link is "up" only
// when both domains run, the rings are live and messages went from Zephyr to
// Linux within the last three sampling periods. Nothing here talks to a
// guest, and nothing here knows where a vring lies: the layout is openamp-wasm's.
import type { MemoryWindow } from "@v8r/fvp-core";
import { readRingState, type RingState, staticVringsLayout, type StaticVringsLayout } from "@v8r/openamp-wasm";
import { RPMSG_BUFFER_BYTES } from "../apps/rpmsg-demo/protocol/mod.ts";
import { createRateMeter, type RateMeter } from "./dashboard/rate-meter.ts";
import type { LinkSnapshot, RatePoint } from "./dashboard/snapshot.ts";
import type { DemoTraceEvent } from "./trace-events.ts";

/** Periods without a message from Zephyr after which a bound link counts as stalled. */
export const SILENT_PERIODS = 3;
/** Readings kept for the chart: one a second, the last minute. */
export const RATE_HISTORY_POINTS = 60;

/** What the monitor needs to know besides the shared memory. */
export interface LinkEvidence {
  /** The domains' states now, by name (`destroyed` for a destroyed one). */
  domainStates(): ReadonlyMap<string, string>;
  /** The rpmsg-host (Zephyr) and rpmsg-remote (Linux) domains. */
  readonly hostDomain: string | undefined;
  readonly remoteDomain: string;
  /** Zephyr's sampling period now, ms. */
  periodMs(): number;
}

/** Link statistics for the dashboard, from shared memory, domain states and guest events. */
export class LinkMonitor {
  readonly #win: MemoryWindow;
  readonly #layout: StaticVringsLayout;
  readonly #evidence: LinkEvidence;
  readonly #tx: RateMeter = createRateMeter();
  readonly #rx: RateMeter = createRateMeter();
  readonly #rates: RatePoint[] = [];
  #sent = 0;
  #received = 0;
  #last: RingState;
  /** Platform time at which Zephyr's avail index was last seen to move (or of the first reading). */
  #lastTrafficMs: number;
  /** Zephyr's avail index as last looked at, by a reading or a snapshot. */
  #trafficIdx: number;
  #hostState = "down";
  /** The Zephyr instance the link state belongs to (Xen's generation). */
  #hostGeneration = 0;
  #retries = 0;
  #reinits = 0;
  #lost = 0;

  /** Watch the static-vrings link laid out over `win` (the whole region), from `nowMs` on. */
  constructor(win: MemoryWindow, evidence: LinkEvidence, nowMs: number, bufferSize = RPMSG_BUFFER_BYTES) {
    this.#win = win;
    this.#evidence = evidence;
    this.#layout = staticVringsLayout({ shmSize: win.size, bufferSize });
    this.#last = this.#read();
    this.#lastTrafficMs = nowMs;
    this.#trafficIdx = this.#last.toRemote.availIdx;
  }

  /** Take a reading of the ring indices at `nowMs` (about once a second). */
  sample(nowMs: number): void {
    const now = this.#read();
    // 16-bit indices: the difference modulo 2^16 counts across a wrap (and a re-init that restarts them at 0).
    const sent = (now.toRemote.availIdx - this.#last.toRemote.availIdx) & 0xffff;
    this.#sent += sent;
    this.#received += (now.toHost.usedIdx - this.#last.toHost.usedIdx) & 0xffff;
    this.#noteTraffic(now, nowMs);
    this.#last = now;
    this.#tx.record(this.#sent, nowMs);
    this.#rx.record(this.#received, nowMs);
    this.#rates.push({ t: nowMs, tx: round1(this.#tx.perSecond()), rx: round1(this.#rx.perSecond()) });
    if (this.#rates.length > RATE_HISTORY_POINTS) this.#rates.splice(0, this.#rates.length - RATE_HISTORY_POINTS);
  }

  /** Take in a guest event from the trace bus (link state, counters, lost samples). */
  observe(event: DemoTraceEvent): void {
    if (event.type === "zephyr.link") {
      this.#hostState = event.state === "reinit" ? "re-initialising" : event.state;
      this.#retries = event.rt;
      this.#reinits = event.ri;
    } else if (event.type === "linux.sample") {
      this.#lost += event.lost;
    } else if (event.type === "xen-domain" && event.domain === this.#evidence.hostDomain && event.state === "running" && event.generation !== this.#hostGeneration) {
      // a new Zephyr instance starts its link from nothing (an unpaused one keeps it)
      this.#hostGeneration = event.generation;
      this.#hostState = "down";
    }
  }

  /** Messages per second each way, one reading a second, the last minute (oldest first). */
  rates(): readonly RatePoint[] {
    return this.#rates.slice();
  }

  /** The link as the dashboard shows it at `nowMs`. */
  snapshot(nowMs: number): LinkSnapshot {
    const ring = this.#read();
    this.#noteTraffic(ring, nowMs);
    const { state, reason } = this.#verdict(ring, nowMs);
    return {
      state,
      ...(reason === undefined ? {} : { reason }),
      txPerSec: this.#tx.perSecond(),
      rxPerSec: this.#rx.perSecond(),
      ringUsed: ring.toRemote.inFlight,
      ringSize: ring.num,
      retries: this.#retries,
      reinits: this.#reinits,
      lost: this.#lost,
    };
  }

  /** The state and why, from the strongest evidence down. */
  #verdict(ring: RingState, nowMs: number): { state: string; reason?: string } {
    const { hostDomain, remoteDomain } = this.#evidence;
    const states = this.#evidence.domainStates();
    for (const name of [hostDomain, remoteDomain]) {
      if (name === undefined) continue;
      const s = states.get(name) ?? "destroyed";
      if (s === "running") continue;
      return { state: s === "paused" ? "stalled" : "down", reason: `${name} ${s}` };
    }
    if (!ring.driverOk) return { state: "down", reason: "the rings are not initialised (no DRIVER_OK)" };
    if (this.#hostState !== "up") return { state: this.#hostState };
    const silentMs = nowMs - this.#lastTrafficMs;
    const limit = SILENT_PERIODS * this.#evidence.periodMs();
    if (silentMs > limit) return { state: "stalled", reason: `no message from ${hostDomain ?? "the host"} for ${Math.round(silentMs / 1000)} s` };
    return { state: "up" };
  }

  /** Whether Zephyr published a message since the last look (a reading or a snapshot, whichever is more frequent than the period). */
  #noteTraffic(ring: RingState, nowMs: number): void {
    if (ring.toRemote.availIdx === this.#trafficIdx) return;
    this.#trafficIdx = ring.toRemote.availIdx;
    this.#lastTrafficMs = nowMs;
  }

  #read(): RingState {
    return readRingState(this.#layout, this.#win);
  }
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
