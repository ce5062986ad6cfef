// What the demo process knows about the running system, for the dashboard,
// the period control and the closing summary: domains from Xen (destroyed
// ones too, with Xen's counts), the link from evidence (domain states, the
// shared memory, the guests' trace events), one timeline of the run, the
// latest sample and the totals from the events rpmsg-remote publishes (typed
// by the app: nothing here reads its files or recomputes its layout).
import { VirtualClock } from "@v8r/fvp-core";
import type { Xen } from "@v8r/xen-dom0less";
import type { HistoryCounters } from "../apps/rpmsg-demo/linux-rpmsg-remote/mod.ts";
import { CTRL_REQUEST, CTRL_RESULT, type CtrlOutcome, type CtrlRequestMessage, DEFAULT_PERIOD_MS, isValidPeriod, PERIOD_RANGE_MS, type StatusSample } from "../apps/rpmsg-demo/protocol/mod.ts";
import type { ConsoleMux } from "./console-mux.ts";
import type { DashboardSnapshot, DomainSnapshot, LinkSnapshot } from "./dashboard/snapshot.ts";
import type { DemoLink } from "./_demo-layout.ts";
import { LinkMonitor } from "./_link-monitor.ts";
import { summaryLines } from "./_run-summary.ts";
import { describeFault, isTimedFault, Timeline } from "./_timeline.ts";
import type { DemoPlatform, DemoTraceEvent } from "./trace-events.ts";

const LOAD_WINDOW_MS = 1000;
/** How long a period change waits for Zephyr's answer: Linux's rpmsg-ctrl timeout (2 s) and some. */
const CTRL_WAIT_MS = 3000;
/** Events after which the views should not wait for their next periodic update. */
const CHANGES: ReadonlySet<string> = new Set(["xen-domain", "xen-booted", "zephyr.link", "linux.link", "xl"]);
const DOWN: LinkSnapshot = { state: "down", txPerSec: 0, rxPerSec: 0, ringUsed: 0, ringSize: 0, retries: 0, reinits: 0, lost: 0 };

/** A period change that did not happen: `code` is the app's (`ETIMEDOUT`, `ENOTCONN`, ...) or `EREFUSED` when Zephyr said no. */
export class PeriodChangeError extends Error {
  /** Machine-readable reason. */
  readonly code: string;
  /** Build an error; `message` says what was being done and what was wrong. */
  constructor(code: string, message: string) {
    super(message);
    this.name = "PeriodChangeError";
    this.code = code;
  }
}

/** What the Linux app last told about the samples it received. */
interface LinuxStatus {
  latest: StatusSample | null;
  counters: HistoryCounters | undefined;
}

interface PendingCtrl {
  readonly domain: string;
  settle(outcome: CtrlOutcome | undefined): void;
}

/** The running demo as seen from the host process. */
export class DemoSession {
  readonly #platform: DemoPlatform;
  readonly #mux: ConsoleMux;
  readonly #htmlDir: string;
  #xen: Xen | undefined;
  #link: DemoLink = { linuxDomain: "linux", shmId: undefined };
  #monitor: LinkMonitor | undefined;
  readonly #early: DemoTraceEvent[] = [];
  /** Injected event-delivery faults by kind (drop, delay, duplicate). */
  readonly #sendFaults = new Map<string, number>();
  readonly #status: LinuxStatus = { latest: null, counters: undefined };
  readonly #pending = new Map<number, PendingCtrl>();
  #nextCtrlId = 1;
  readonly #timeline = new Timeline();
  readonly #changed = new Set<() => void>();

  /** Watch `platform`'s trace bus from now on (before Xen boots, so no event is missed). */
  constructor(platform: DemoPlatform, mux: ConsoleMux, htmlDir: string) {
    this.#platform = platform;
    this.#mux = mux;
    this.#htmlDir = htmlDir;
    platform.trace.on((e) => {
      this.#timeline.observe(e, platform.clock.now());
      this.#observe(e);
      if (CHANGES.has(e.type)) for (const listener of this.#changed) listener();
    });
  }

  /** Call `listener` after a change the views should show at once (a domain's state, the link, an xl command); returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#changed.add(listener);
    return () => void this.#changed.delete(listener);
  }

  /** Start reading the link once Xen has booted and mapped the region the demo's apps use. */
  attach(xen: Xen, link: DemoLink): void {
    this.#xen = xen;
    this.#link = link;
    if (link.shmId === undefined || !xen.config.sharedMemory.some((r) => r.id === link.shmId)) {
      this.#early.length = 0;
      return;
    }
    const evidence = {
      domainStates: () => new Map(xen.records().map((d) => [d.name, d.state])),
      hostDomain: link.hostDomain,
      remoteDomain: link.linuxDomain,
      periodMs: () => this.#status.latest?.per ?? DEFAULT_PERIOD_MS,
    };
    const monitor = new LinkMonitor(xen.sharedMemory(link.shmId), evidence, this.#platform.clock.now());
    this.#monitor = monitor;
    for (const e of this.#early.splice(0)) monitor.observe(e);
    this.#platform.clock.setInterval(() => monitor.sample(this.#platform.clock.now()), 1000);
  }

  /** The latest status sample Linux received, or `null`. */
  latestSample(): StatusSample | null {
    return this.#status.latest;
  }

  /** A closing summary of a run: Linux's totals and Xen's counts of each domain's crashes and restarts. */
  summary(): { samples: number; lines: string[] } {
    return summaryLines({
      counters: this.#status.counters,
      latest: this.#status.latest,
      domains: this.#xen?.records() ?? [],
      hostDomain: this.#link.hostDomain,
      sendFaults: this.#sendFaults,
      page: `${this.#htmlDir}/zephyr-status.html`,
    });
  }

  /** Everything the dashboard shows, now. */
  snapshot(): DashboardSnapshot {
    const sample = this.#status.latest;
    const now = this.#platform.clock.now();
    return {
      time: now,
      clock: this.#platform.clock instanceof VirtualClock ? "virtual" : "real",
      domains: this.#domains(),
      link: this.#monitor?.snapshot(now) ?? DOWN,
      latestSample: sample,
      consoles: this.#mux.tails(),
      ...(sample?.per === undefined ? {} : { periodMs: sample.per }),
      rates: this.#monitor?.rates() ?? [],
      timeline: this.#timeline.entries(),
    };
  }

  /**
   * Change Zephyr's sampling period the way the Linux console's
   * `rpmsg-ctrl period MS` does, through the typed control path: the Linux
   * app sends the command to Zephyr over `rpmsg-ctrl`. Resolves once Zephyr
   * has set it; rejects with a {@link PeriodChangeError} otherwise.
   */
  async setPeriod(ms: number): Promise<void> {
    const { min, max } = PERIOD_RANGE_MS;
    if (!isValidPeriod(ms)) throw new RangeError(`[v8r-demo] the period must be an integer from ${min} to ${max} ms, got ${ms}`);
    const xen = this.#xen;
    const domain = this.#link.linuxDomain;
    if (xen === undefined || !xen.list().some((d) => d.name === domain && d.state === "running")) {
      throw new PeriodChangeError("ESRCH", `[v8r-demo] setting the period: the Linux domain (${domain}) is not running`);
    }
    const id = this.#nextCtrlId++;
    const outcome = await new Promise<CtrlOutcome | undefined>((resolve) => {
      const timer = this.#platform.clock.setTimeout(() => settle(undefined), CTRL_WAIT_MS);
      const settle = (o: CtrlOutcome | undefined): void => {
        this.#pending.delete(id);
        timer.cancel();
        resolve(o);
      };
      this.#pending.set(id, { domain, settle });
      const request: CtrlRequestMessage = { type: CTRL_REQUEST, id, command: { cmd: "period", ms } };
      xen.post(domain, request);
    });
    if (outcome === undefined) throw new PeriodChangeError("ETIMEDOUT", `[v8r-demo] setting the period: ${domain} did not answer within ${CTRL_WAIT_MS} ms`);
    if ("error" in outcome) throw new PeriodChangeError(outcome.error.code, outcome.error.message);
    if (!outcome.reply.ok) throw new PeriodChangeError("EREFUSED", `[v8r-demo] setting the period: Zephyr refused it: ${outcome.reply.err}`);
  }

  #domains(): DomainSnapshot[] {
    const xen = this.#xen;
    if (xen === undefined) return [];
    return xen.records().map((d) => {
      const alive = d.state !== "destroyed";
      return {
        name: d.name,
        domid: d.domid,
        state: d.state,
        vcpus: d.vcpus,
        load: alive ? Math.round(this.#load(d.pcpus) * 1000) / 10 : 0,
        restarts: d.restarts,
        crashes: d.crashes,
        interrupts: alive ? xen.interrupts(d.domid).map((l) => ({ irq: l.irq, source: l.source, count: l.perCpu.reduce((a, b) => a + b, 0) })) : [],
      };
    });
  }

  #load(pcpus: readonly number[]): number {
    if (pcpus.length === 0) return 0;
    let sum = 0;
    for (const i of pcpus) sum += this.#platform.cpus[i]?.load(LOAD_WINDOW_MS) ?? 0;
    return sum / pcpus.length;
  }

  #observe(e: DemoTraceEvent): void {
    switch (e.type) {
      case "xen-fault":
        if (isTimedFault(e.kind)) this.#mux.line("v8r", describeFault(e), "error");
        else this.#sendFaults.set(e.kind, (this.#sendFaults.get(e.kind) ?? 0) + 1);
        return;
      case "guest-stop-timeout":
        this.#mux.line("v8r", `[v8r-demo] ${e.guest} did not stop within ${e.ms} ms; its Worker was terminated`, "error");
        return;
      case "linux.sample":
        if (e.domain === this.#link.linuxDomain) {
          // a stale sample (sent again after a re-init) or one set aside is not the latest
          if (e.outcome !== "stale" && e.outcome !== "out-of-order") this.#status.latest = e.sample;
          this.#status.counters = e.counters;
        }
        break;
      case "linux.malformed":
        if (e.domain === this.#link.linuxDomain) this.#status.counters = e.counters;
        return;
      case CTRL_RESULT: {
        const pending = this.#pending.get(e.id);
        if (pending?.domain === e.domain) pending.settle(e);
        return;
      }
      case "zephyr.link":
      case "xen-domain":
        break;
      default:
        return;
    }
    if (this.#monitor !== undefined) this.#monitor.observe(e);
    else if (this.#xen === undefined) this.#early.push(e); // before Xen booted
  }
}
