/**
 * What the live dashboard shows, as sent in each Server-Sent `snapshot`
 * event.
 *
 * @module
 */
import type { StatusSample } from "../../apps/rpmsg-demo/protocol/mod.ts";

/** One domain as the dashboard shows it. */
export interface DomainSnapshot {
  /** Name from the device tree, e.g. `zephyr`. */
  readonly name: string;
  /** Xen domain id. */
  readonly domid: number;
  /** Lifecycle state, e.g. `running`, `paused`, `crashed`, `shutdown`, `destroyed`. */
  readonly state: string;
  /** Number of vCPUs. */
  readonly vcpus: number;
  /** vCPU load over the last period, percent 0..100 (averaged over vCPUs). */
  readonly load: number;
  /** Times Xen started it again (reboot, restart, on_crash=restart, xl create after a destroy). */
  readonly restarts?: number;
  /** Times it crashed (Xen's count). */
  readonly crashes?: number;
  /** Interrupts the domain took since its instance started, per line of its vGIC (31: event-channel upcall, 32: console), summed over vCPUs. */
  readonly interrupts?: readonly { readonly irq: number; readonly source: string; readonly count: number }[];
}

/** The RPMsg link between the guests. */
export interface LinkSnapshot {
  /** `up` (both domains run, the rings are live, Zephyr sent within three periods), `stalled`, `down` or `re-initialising`. */
  readonly state: string;
  /** Why it is not up, e.g. `zephyr destroyed`, `no message from zephyr for 4 s`. */
  readonly reason?: string;
  /** Messages per second Zephyr -> Linux. */
  readonly txPerSec: number;
  /** Messages per second Linux -> Zephyr. */
  readonly rxPerSec: number;
  /** Buffers in use in the vrings. */
  readonly ringUsed: number;
  /** Buffers in the vrings in total. */
  readonly ringSize: number;
  /** Send retries so far. */
  readonly retries: number;
  /** Link re-initialisations so far. */
  readonly reinits: number;
  /** Samples counted as lost so far, when known. */
  readonly lost?: number;
}

/** One reading of the link's message rates (once a second). */
export interface RatePoint {
  /** Platform time, ms. */
  readonly t: number;
  /** Messages per second Zephyr -> Linux. */
  readonly tx: number;
  /** Messages per second Linux -> Zephyr. */
  readonly rx: number;
}

/** One event of the run, for the timeline. */
export interface TimelineEntry {
  /** Platform time, ms. */
  readonly t: number;
  /** What kind of event: `boot`, `domain`, `link`, `retry`, `reinit`, `fault`, `crash`, `restart`, `lost`, `xl`. */
  readonly kind: string;
  /** What happened, in words. */
  readonly text: string;
  /** `info`, `warn` or `error`. */
  readonly level: "info" | "warn" | "error";
  /** How many such events were folded into this one (consecutive, within a second), when more than one. */
  readonly count?: number;
}

/** Everything the dashboard shows at one moment. */
export interface DashboardSnapshot {
  /** When the snapshot was taken: platform time in ms since boot (simulated with --virtual-time). */
  readonly time: number;
  /** Whether `time` is real or simulated; shown as "uptime" or "simulated" (default simulated). */
  readonly clock?: "real" | "virtual";
  /** The domains, in domid order. */
  readonly domains: readonly DomainSnapshot[];
  /** The RPMsg link. */
  readonly link: LinkSnapshot;
  /** The latest status sample Linux received, or null. */
  readonly latestSample: StatusSample | null;
  /** The last lines of each console, by source. */
  readonly consoles: Readonly<Record<string, readonly string[]>>;
  /** Zephyr's current sampling period in ms, when known. */
  readonly periodMs?: number;
  /** The link's message rates, one reading a second over the last minute, oldest first (the server's history: a page opened late still gets the minute). */
  readonly rates?: readonly RatePoint[];
  /** The latest events of the run, oldest first. */
  readonly timeline?: readonly TimelineEntry[];
}
