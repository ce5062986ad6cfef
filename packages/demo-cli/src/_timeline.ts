// One timeline of the run for the dashboard, from the typed trace bus: boot,
// domain lifecycle (Xen's), link up/down and re-inits (rpmsg-host's),
// retries and lost samples (from the samples and their fates), faults
// injected and xl commands. Repeats within a second fold into one entry.
import type { TraceEventOf } from "@v8r/fvp-core";
import { faultKind } from "@v8r/xen-dom0less";
import type { TimelineEntry } from "./dashboard/snapshot.ts";
import { formatDuration } from "./duration.ts";
import type { DemoTraceEvent } from "./trace-events.ts";

/** Entries kept. */
export const TIMELINE_CAPACITY = 200;
/** Repeats of one event closer than this fold into one entry, ms. */
const FOLD_MS = 1000;
/** Delivery faults (one per notification hit) fold over a longer stretch, so they do not push everything else out. */
const SEND_FAULT_FOLD_MS = 10_000;

/**
 * Whether an injected fault of `kind` happens once at a time of the plan
 * (shown as it happens), per xen-dom0less's fault registry; the others hit
 * event delivery (counted). An end event such as "unpause" counts as timed.
 */
export function isTimedFault(kind: string): boolean {
  return faultKind(kind)?.when !== "send";
}

type Draft = Omit<TimelineEntry, "t" | "count"> & { readonly foldMs?: number };

/** Builds the timeline from trace events. */
export class Timeline {
  readonly #entries: (TimelineEntry & { key: string })[] = [];
  readonly #domainStates = new Map<string, string>();
  #lastRetries: number | undefined;
  #changes = 0;

  /** Entries so far, oldest first. */
  entries(): readonly TimelineEntry[] {
    return this.#entries.map(({ key: _key, ...e }) => e);
  }

  /** Increases with every new or folded entry. */
  get changes(): number {
    return this.#changes;
  }

  /** Take in one trace event at platform time `nowMs`; returns whether the timeline changed. */
  observe(e: DemoTraceEvent, nowMs: number): boolean {
    const draft = this.#describe(e);
    if (draft === undefined) return false;
    this.#add(draft, nowMs);
    return true;
  }

  #add({ foldMs = FOLD_MS, ...d }: Draft, t: number): void {
    this.#changes++;
    const key = `${d.kind}:${d.text}`;
    const last = this.#entries.findLast((x) => x.key === key);
    if (last !== undefined && t - last.t < foldMs && (foldMs > FOLD_MS || last === this.#entries.at(-1))) {
      this.#entries[this.#entries.lastIndexOf(last)] = { ...last, count: (last.count ?? 1) + 1 };
      return;
    }
    this.#entries.push({ t, ...d, key });
    if (this.#entries.length > TIMELINE_CAPACITY) this.#entries.splice(0, this.#entries.length - TIMELINE_CAPACITY);
  }

  #describe(e: DemoTraceEvent): Draft | undefined {
    switch (e.type) {
      case "xen-booted":
        return { kind: "boot", level: "info", text: `Xen booted ${e.domains.join(", ")}` };
      case "xen-domain":
        return this.#domain(e);
      case "zephyr.link":
        if (e.state === "up") return { kind: "link", level: "info", text: "link up: rpmsg-demo bound" };
        if (e.state === "down") return { kind: "link", level: "warn", text: "link down: rpmsg-demo unbound" };
        return { kind: "reinit", level: "warn", text: `link re-init #${e.ri}` };
      case "linux.link":
        return { kind: "link", level: e.state === "bound" ? "info" : "warn", text: `Linux: link ${e.state}` };
      case "linux.sample":
        return this.#sample(e);
      case "zephyr.sample":
        return e.fate === "dropped" ? { kind: "lost", level: "warn", text: `Zephyr dropped a sample (${e.reason ?? "no reason given"})` } : undefined;
      case "xen-fault":
        return {
          kind: "fault",
          level: "error",
          text: describeFault(e).replace(/^\[v8r-demo\] fault at [^:]+: /, "fault: "),
          ...(isTimedFault(e.kind) ? {} : { foldMs: SEND_FAULT_FOLD_MS }),
        };
      case "xl":
        return { kind: "xl", level: "info", text: `xl ${e.action} ${e.domain}` };
      case "guest-stop-timeout":
        return { kind: "domain", level: "error", text: `${e.guest} did not stop within ${e.ms} ms` };
      default:
        return undefined;
    }
  }

  #domain(e: TraceEventOf<DemoTraceEvent, "xen-domain">): Draft | undefined {
    const before = this.#domainStates.get(e.domain);
    this.#domainStates.set(e.domain, e.state);
    const why = e.reason === undefined ? "" : ` (${e.reason})`;
    switch (e.state) {
      case "running":
        if (before === "paused") return { kind: "domain", level: "info", text: `${e.domain} unpaused` };
        return e.generation === 0
          ? { kind: "boot", level: "info", text: `${e.domain} (d${e.domid}) started` }
          : { kind: "restart", level: "warn", text: `${e.domain} (d${e.domid}) started again (instance ${e.generation + 1})` };
      case "crashed":
        return { kind: "crash", level: "error", text: `${e.domain} crashed${why}` };
      case "destroyed":
        return { kind: "domain", level: "error", text: `${e.domain} destroyed${why}` };
      case "shutdown":
        return { kind: "domain", level: "warn", text: `${e.domain} shut down${why}` };
      case "paused":
        return { kind: "domain", level: "warn", text: `${e.domain} paused` };
      default:
        return undefined; // dying: the next state says how it ended
    }
  }

  #sample(e: TraceEventOf<DemoTraceEvent, "linux.sample">): Draft | undefined {
    const rt = e.sample.ipc?.rt;
    const retried = rt !== undefined && this.#lastRetries !== undefined && e.outcome !== "restart" && e.outcome !== "first" && rt > this.#lastRetries ? rt - this.#lastRetries : 0;
    if (rt !== undefined) this.#lastRetries = rt;
    if (e.outcome === "gap") return { kind: "lost", level: "warn", text: `lost ${e.lost} sample(s) before seq ${e.seq}` };
    if (e.outcome === "restart") return { kind: "boot", level: "warn", text: `Linux sees a new Zephyr boot ${e.boot}` };
    if (e.outcome === "first") return { kind: "boot", level: "info", text: `first sample from Zephyr boot ${e.boot}` };
    if (retried > 0) return { kind: "retry", level: "warn", text: `${retried} send retr${retried === 1 ? "y" : "ies"} before seq ${e.seq}` };
    return undefined;
  }
}

/** A console line for an injected fault, so a chaos run shows what happened when. */
export function describeFault(e: TraceEventOf<DemoTraceEvent, "xen-fault">): string {
  const at = formatDuration(Math.max(0, Math.round(e.atMs)));
  switch (e.kind) {
    case "corrupt":
      return `[v8r-demo] fault at ${at}: corrupting ${e.length ?? "?"} bytes of shm "${e.region ?? "?"}" at offset 0x${(e.offset ?? 0).toString(16)}`;
    case "crash":
      return `[v8r-demo] fault at ${at}: crashing ${e.domain ?? "?"}`;
    case "destroy":
      return `[v8r-demo] fault at ${at}: destroying ${e.domain ?? "?"}`;
    case "pause":
      return `[v8r-demo] fault at ${at}: pausing ${e.domain ?? "?"} for ${formatDuration(e.ms ?? 0)}`;
    case "unpause":
      return `[v8r-demo] fault at ${at}: unpausing ${e.domain ?? "?"}`;
    case "restart":
      return `[v8r-demo] fault at ${at}: restarting ${e.domain ?? "?"}`;
    default:
      return `[v8r-demo] fault at ${at}: ${e.kind}${e.domain === undefined ? "" : ` from ${e.domain}`}${e.port === undefined ? "" : ` on port ${e.port}`}`;
  }
}
