// What the demo process knows about the running system, for the dashboard
// and the period control: domains from Xen, the link from the shared memory
// and the guests' trace events, the latest sample from the file Linux wrote.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Platform, type TraceEvent, VirtualClock } from "@v8r/fvp-core";
import type { Xen } from "@v8r/xen-dom0less";
import type { ConsoleMux } from "./console-mux.ts";
import type { DashboardSnapshot, DomainSnapshot, LinkSnapshot } from "./dashboard/snapshot.ts";
import { formatDuration } from "./duration.ts";
import { LinkMonitor } from "./_link-monitor.ts";
import { PERIOD_RANGE_MS } from "./options.ts";

/** The parts of `zephyr-status.json` the demo reads. */
interface StatusFile {
  readonly latest?: unknown;
  readonly counters?: { readonly received?: number; readonly lost?: number; readonly restarts?: number; readonly malformed?: number };
}

/** The static shm id the demo's RPMsg link lives in. */
export const RPMSG_SHM_ID = "rpmsg-shm";

const LOAD_WINDOW_MS = 1000;
const DOWN: LinkSnapshot = { state: "down", txPerSec: 0, rxPerSec: 0, ringUsed: 0, ringSize: 0, retries: 0, reinits: 0, lost: 0 };

/** The running demo as seen from the host process. */
export class DemoSession {
  readonly #platform: Platform;
  readonly #mux: ConsoleMux;
  readonly #htmlDir: string;
  #xen: Xen | undefined;
  #linuxDomain = "linux";
  #monitor: LinkMonitor | undefined;
  readonly #early: TraceEvent[] = [];
  /** Injected event-delivery faults by kind (drop, delay, duplicate). */
  readonly #sendFaults = new Map<string, number>();

  /** Watch `platform`'s trace bus from now on (before Xen boots, so no event is missed). */
  constructor(platform: Platform, mux: ConsoleMux, htmlDir: string) {
    this.#platform = platform;
    this.#mux = mux;
    this.#htmlDir = htmlDir;
    platform.trace.on((e) => this.#observe(e));
  }

  /** Start reading the link once Xen has booted and mapped the region. */
  attach(xen: Xen, linuxDomain: string): void {
    this.#xen = xen;
    this.#linuxDomain = linuxDomain;
    const hasLink = xen.config.sharedMemory.some((r) => r.id === RPMSG_SHM_ID);
    if (!hasLink) {
      this.#early.length = 0;
      return;
    }
    const monitor = new LinkMonitor(xen.sharedMemory(RPMSG_SHM_ID));
    this.#monitor = monitor;
    for (const e of this.#early.splice(0)) monitor.observe(e);
    this.#platform.clock.setInterval(() => monitor.sample(this.#platform.clock.now()), 1000);
  }

  /** The latest status sample Linux published, or `null`. */
  latestSample(): Record<string, unknown> | null {
    const latest = this.#statusJson()?.latest;
    return latest !== null && typeof latest === "object" ? (latest as Record<string, unknown>) : null;
  }

  /** A closing summary of a run, from the status file Linux left. */
  summary(): { samples: number; lines: string[] } {
    const json = this.#statusJson();
    const page = join(this.#htmlDir, "zephyr-status.html");
    if (json === undefined) return { samples: 0, lines: [`Linux wrote no status file (${page} is missing)`] };
    const c = json.counters ?? {};
    const latest = json.latest !== null && typeof json.latest === "object" ? (json.latest as Record<string, unknown>) : null;
    const lines = [
      `Linux received ${c.received ?? 0} samples, lost ${c.lost ?? 0}, rejected ${c.malformed ?? 0} malformed; Zephyr restarted ${c.restarts ?? 0} time(s)`,
      ...(latest === null ? [] : [`latest sample: seq ${String(latest["seq"])} of boot ${String(latest["boot"])} at Zephyr uptime ${String(latest["t"])} ms`]),
      ...(this.#sendFaults.size === 0 ? [] : [`injected delivery faults: ${[...this.#sendFaults].map(([k, n]) => `${n} ${k}`).join(", ")}`]),
      `final status page: ${page}`,
    ];
    return { samples: c.received ?? 0, lines };
  }

  #statusJson(): StatusFile | undefined {
    try {
      return JSON.parse(readFileSync(join(this.#htmlDir, "zephyr-status.json"), "utf8")) as StatusFile;
    } catch {
      return undefined; // not written yet
    }
  }

  /** Everything the dashboard shows, now. */
  snapshot(): DashboardSnapshot {
    const sample = this.latestSample();
    const per = sample?.["per"];
    return {
      time: this.#platform.clock.now(),
      clock: this.#platform.clock instanceof VirtualClock ? "virtual" : "real",
      domains: this.#domains(),
      link: this.#monitor?.snapshot() ?? DOWN,
      latestSample: sample,
      consoles: this.#mux.tails(),
      ...(typeof per === "number" ? { periodMs: per } : {}),
    };
  }

  /**
   * Change Zephyr's sampling period the way a user would: type
   * `rpmsg-ctrl period MS` on the Linux console, which sends the command to
   * Zephyr over the `rpmsg-ctrl` endpoint.
   */
  async setPeriod(ms: number): Promise<void> {
    const { min, max } = PERIOD_RANGE_MS;
    if (!Number.isInteger(ms) || ms < min || ms > max) throw new RangeError(`[v8r-demo] the period must be an integer from ${min} to ${max} ms, got ${ms}`);
    const xen = this.#xen;
    const linux = xen?.list().find((d) => d.name === this.#linuxDomain && d.state === "running");
    if (xen === undefined || linux === undefined) throw new Error(`[v8r-demo] the Linux domain (${this.#linuxDomain}) is not running`);
    xen.console(linux.name).input(`rpmsg-ctrl period ${ms}\n`);
  }

  #domains(): DomainSnapshot[] {
    const xen = this.#xen;
    if (xen === undefined) return [];
    return xen.list().map((d) => ({
      name: d.name,
      domid: d.domid,
      state: d.state,
      vcpus: d.vcpus,
      load: Math.round(this.#load(d.pcpus) * 1000) / 10,
      interrupts: xen.interrupts(d.domid).map((l) => ({ irq: l.irq, source: l.source, count: l.perCpu.reduce((a, b) => a + b, 0) })),
    }));
  }

  #load(pcpus: readonly number[]): number {
    if (pcpus.length === 0) return 0;
    let sum = 0;
    for (const i of pcpus) sum += this.#platform.cpus[i]?.load(LOAD_WINDOW_MS) ?? 0;
    return sum / pcpus.length;
  }

  #fault(e: TraceEvent): void {
    const kind = String((e as { kind?: unknown }).kind);
    if (kind === "corrupt" || kind === "crash" || kind === "restart" || kind === "pause" || kind === "unpause") this.#mux.line("v8r", describeFault(e), "error");
    else this.#sendFaults.set(kind, (this.#sendFaults.get(kind) ?? 0) + 1);
  }

  #observe(e: TraceEvent): void {
    if (e.type === "xen-fault") this.#fault(e);
    if (e.type === "guest-stop-timeout") this.#mux.line("v8r", `[v8r-demo] ${String(e["guest"])} did not stop within ${String(e["ms"])} ms; its Worker was terminated`, "error");
    if (e.type !== "zephyr.link" && e.type !== "linux.sample") return;
    if (this.#monitor !== undefined) this.#monitor.observe(e);
    else if (this.#xen === undefined) this.#early.push(e); // before Xen booted
  }
}

/** A console line for an injected fault (`xen-fault` trace event), so a chaos run shows what happened when. */
function describeFault(e: TraceEvent): string {
  const f = e as { kind?: unknown; region?: unknown; offset?: unknown; length?: unknown; domain?: unknown; atMs?: unknown };
  const at = typeof f.atMs === "number" ? formatDuration(Math.max(0, Math.round(f.atMs))) : "?";
  switch (f.kind) {
    case "corrupt":
      return `[v8r-demo] fault at ${at}: corrupting ${String(f.length)} bytes of shm "${String(f.region)}" at offset 0x${Number(f.offset).toString(16)}`;
    case "crash":
      return `[v8r-demo] fault at ${at}: crashing ${String(f.domain)}`;
    case "pause":
      return `[v8r-demo] fault at ${at}: pausing ${String(f.domain)} for ${formatDuration(Number((e as { ms?: unknown }).ms))}`;
    case "unpause":
      return `[v8r-demo] fault at ${at}: unpausing ${String(f.domain)}`;
    default:
      return `[v8r-demo] fault at ${at}: restarting ${String(f.domain)}`;
  }
}
