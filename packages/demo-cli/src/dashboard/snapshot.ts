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
  /** Lifecycle state, e.g. `running`, `blocked`, `crashed`, `shutdown`. */
  readonly state: string;
  /** Number of vCPUs. */
  readonly vcpus: number;
  /** vCPU load over the last period, percent 0..100 (averaged over vCPUs). */
  readonly load: number;
  /** Interrupts the domain took since its instance started, per line of its vGIC (31: event-channel upcall, 32: console), summed over vCPUs. */
  readonly interrupts?: readonly { readonly irq: number; readonly source: string; readonly count: number }[];
}

/** The RPMsg link between the guests. */
export interface LinkSnapshot {
  /** e.g. `down`, `binding`, `up`. */
  readonly state: string;
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
}
