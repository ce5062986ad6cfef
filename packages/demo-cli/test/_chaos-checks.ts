/**
 * Test and bench helper: the recovery guarantees of the demo (README,
 * "Guarantees under faults"), checked on one recorded run. Each check
 * returns the violations it found, as sentences naming the sample and the
 * times, so a failing sweep says what broke.
 *
 * - Accounting: every sample Zephyr took ends in exactly one of delivered
 *   (acknowledged by Linux, and Linux did accept it) or dropped with a
 *   reason (never received by Linux); a sample may stay open only when its
 *   Zephyr crashed or restarted, or when the run ended right after it was
 *   taken. Linux's `lost` per boot is its gaps in `seq`, equals the drops
 *   Zephyr reported for that stretch (`lastDr - firstDr`) and the drops
 *   Zephyr made there, and the page and v8r-demo's summary show the JSON's
 *   numbers.
 * - Liveness: a sample taken at `t` arrives by `t + latency`, or, when a
 *   fault struck before it arrived, by the fault's end + 3 s; and whatever
 *   the period, when a fault broke the link, rpmsg-host's link is up again
 *   within 3 s of the fault's end. A destroyed domain stays down, so there
 *   the guarantee is that its peer notices within 3 s: rpmsg-host's link is
 *   down after Linux is destroyed, and rpmsg-remote's page says the host is
 *   not answering (or the link is down) after Zephyr is.
 */
import { LIVENESS } from "v8r-demo/apps/rpmsg-demo/protocol";
import type { RandomPlan, TimedFaultInfo } from "./_fault-plans.ts";
import type { VirtualRunResult } from "./_virtual-system.ts";

/** Samples flow again within this long after a fault ends, ms. */
export const RECOVERY_BOUND_MS = 3000;
/** Normal delivery latency bound without send faults (doorbells may still be late by a ring poll), ms. */
export const NORMAL_LATENCY_MS = 1000;

interface SampleRecord {
  readonly boot: string;
  readonly seq: number;
  readonly takenAt: number;
  readonly fates: { fate: string; at: number; reason?: string }[];
  /** First time a Linux accepted it. */
  acceptedAt?: number;
}

/** What the checks found, and the run's recovery figures. */
export interface ChaosReport {
  /** Violated guarantees, one sentence each. */
  readonly violations: string[];
  /** Largest delay of a sample beyond the later of its take time and the end of the fault before its delivery, ms. */
  readonly worstRecoveryMs: number;
  /** Longest time from the end of a fault that broke the link to rpmsg-host's link being up again, ms (whatever the period: no sample needed). */
  readonly worstRelinkMs: number;
  /** Samples taken, delivered, dropped by Zephyr. */
  readonly taken: number;
  readonly delivered: number;
  readonly dropped: number;
}

const key = (boot: string, seq: number): string => `${boot}/${seq}`;

/** Index the run's sample events by boot and seq. */
function samplesOf(run: VirtualRunResult): Map<string, SampleRecord> {
  const samples = new Map<string, SampleRecord>();
  for (const { t, e } of run.events) {
    if (e.type === "zephyr.sample") {
      const k = key(String(e["boot"]), Number(e["seq"]));
      if (e["fate"] === "taken") samples.set(k, { boot: String(e["boot"]), seq: Number(e["seq"]), takenAt: t, fates: [] });
      else samples.get(k)?.fates.push({ fate: String(e["fate"]), at: t, ...(e["reason"] === undefined ? {} : { reason: String(e["reason"]) }) });
    } else if (e.type === "linux.sample" && ["first", "next", "gap", "restart"].includes(String(e["outcome"]))) {
      const s = samples.get(key(String(e["boot"]), Number(e["seq"])));
      if (s !== undefined && s.acceptedAt === undefined) s.acceptedAt = t;
    }
  }
  return samples;
}

/** When each Zephyr boot ended (crash, restart or destroy of its domain), by boot id. */
function bootEnds(run: VirtualRunResult, samples: Map<string, SampleRecord>): Map<string, number> {
  const firstSeen = new Map<string, number>();
  for (const s of samples.values()) if (!firstSeen.has(s.boot) || (firstSeen.get(s.boot) as number) > s.takenAt) firstSeen.set(s.boot, s.takenAt);
  const ends = run.events.filter(({ e }) => e.type === "xen-fault" && e["domain"] === "zephyr" && ["crash", "restart", "destroy"].includes(String(e["kind"]))).map(({ t }) => t);
  const out = new Map<string, number>();
  for (const [boot, from] of firstSeen) {
    const end = ends.find((t) => t >= from);
    if (end !== undefined) out.set(boot, end);
  }
  return out;
}

/** When Linux was destroyed (it never acknowledges again), or Infinity. */
function linuxGoneAt(run: VirtualRunResult): number {
  return run.events.find(({ e }) => e.type === "xen-fault" && e["kind"] === "destroy" && e["domain"] === "linux")?.t ?? Infinity;
}

function checkFates(samples: Map<string, SampleRecord>, ends: Map<string, number>, runEnd: number, gone: number, faults: readonly TimedFaultInfo[], out: string[]): void {
  for (const s of samples.values()) {
    const name = `sample ${s.seq} of boot ${s.boot} (taken at ${s.takenAt} ms)`;
    const terminal = s.fates.filter((f) => f.fate === "delivered" || f.fate === "dropped");
    if (terminal.length > 1) out.push(`${name} ended ${terminal.length} times: ${terminal.map((f) => `${f.fate}@${f.at}`).join(", ")}`);
    const only = terminal[0];
    if (only?.fate === "dropped" && (only.reason === undefined || !["overflow", "nomem"].includes(only.reason))) out.push(`${name} dropped without a known reason (${String(only.reason)})`);
    if (only?.fate === "dropped" && s.acceptedAt !== undefined) out.push(`${name} was counted dropped by Zephyr but Linux accepted it at ${s.acceptedAt} ms`);
    if (only?.fate === "delivered" && (s.acceptedAt === undefined || s.acceptedAt > only.at)) out.push(`${name} was acknowledged at ${only.at} ms but Linux had not accepted it`);
    const end = ends.get(s.boot);
    // open at the end: its Zephyr died first, the run ended right after it was taken, or Linux was destroyed before it was due
    const excused = (end !== undefined && (only === undefined || only.at > end)) || s.takenAt > runEnd - RECOVERY_BOUND_MS || deadline(s, gone, faults, RECOVERY_BOUND_MS) > gone;
    if (only === undefined && !excused) out.push(`${name} was neither delivered nor dropped by the end of the run`);
  }
}

/** Linux's counted losses against Zephyr's drops, and the page against the JSON. */
function checkLinuxAccounting(run: VirtualRunResult, samples: Map<string, SampleRecord>, out: string[]): void {
  const { json, html } = run;
  let gaps = 0;
  for (const b of json.boots) {
    const lost = b.lastSeq - b.firstSeq + 1 - b.samples;
    gaps += lost;
    const reported = b.lastDr - b.firstDr;
    let dropped = 0;
    for (const s of samples.values()) if (s.boot === b.boot && s.seq > b.firstSeq && s.seq < b.lastSeq && s.fates.some((f) => f.fate === "dropped")) dropped++;
    if (lost !== reported || lost !== dropped) out.push(`boot ${b.boot}: Linux lost ${lost} of seq ${b.firstSeq}..${b.lastSeq}, Zephyr's dr says ${reported}, Zephyr dropped ${dropped}`);
  }
  if (json.boots.length < 16 && json.counters.lost !== gaps) out.push(`Linux's lost ${json.counters.lost} is not the sum of its gaps ${gaps}`);
  const page = (label: string): number | undefined => {
    const m = new RegExp(`<dt>${label}</dt><dd>([\\d\\u202f]+)</dd>`).exec(html);
    return m ? Number((m[1] as string).replace(/\u202f/g, "")) : undefined;
  };
  const c = json.counters;
  // the summary's Zephyr restarts are Xen's count, not what Linux saw: the rest must match
  const said = `Linux received ${c.received} samples, lost ${c.lost}, rejected ${c.malformed} malformed;`;
  const none = c.received + c.malformed === 0 && run.summary[0]?.startsWith("Linux received no sample;") === true;
  if (!run.summary[0]?.startsWith(said) && !none) out.push(`the summary says "${String(run.summary[0])}", the JSON "${said}"`);
  for (const [label, value] of [["Samples received", c.received], ["Lost samples", c.lost], ["Zephyr restarts seen", c.restarts], ["Malformed messages", c.malformed]] as const) {
    if (page(label) !== value) out.push(`the page shows ${label} ${String(page(label))}, the JSON ${value}`);
  }
}

/** The time by which sample `s`, delivered at `at`, had to arrive. */
function deadline(s: SampleRecord, at: number, faults: readonly TimedFaultInfo[], latency: number): number {
  let d = s.takenAt + latency;
  for (const f of faults) if (f.atMs <= at) d = Math.max(d, f.endMs + RECOVERY_BOUND_MS);
  return d;
}

/**
 * For each fault that broke the link (Zephyr's link went down or was
 * re-initialised after it, or Zephyr itself crashed or restarted), how long
 * after the fault's end (or, for a latent effect, after the break could
 * first be noticed) Zephyr's link was up again; Infinity when it never was
 * before the next fault or the run's end.
 */
function relinkTimes(run: VirtualRunResult, faults: readonly TimedFaultInfo[]): { fault: TimedFaultInfo; ms: number }[] {
  const links = run.events.filter(({ e }) => e.type === "zephyr.link").map(({ t, e }) => ({ t, state: (e as { state?: unknown }).state }));
  const out: { fault: TimedFaultInfo; ms: number }[] = [];
  faults.forEach((f, i) => {
    if (f.item.startsWith("destroy:")) return; // nothing comes back: see checkNoticed
    const until = faults[i + 1]?.atMs ?? Infinity;
    // a fault struck again before this one could be recovered from: the later one is measured
    if (until < Math.max(...faults.slice(0, i + 1).map((g) => g.endMs)) + RECOVERY_BOUND_MS) return;
    const window = links.filter(({ t }) => t >= f.atMs && t < until);
    const zephyrDied = /^(crash|restart):zephyr@/.test(f.item);
    const broke = window.find(({ state }) => state === "down" || state === "reinit");
    if (!zephyrDied && broke === undefined) return;
    const from = broke?.t ?? f.atMs;
    const up = window.find(({ t, state }) => t >= from && state === "up");
    // Counted from the fault's end, or, for a fault whose effect shows only later (a corrupted ring
    // entry used once the ring wraps to it), from the latest time the host could have noticed the break.
    // (and not before an earlier fault still in force, e.g. a pause, has ended)
    const ended = Math.max(...faults.slice(0, i + 1).map((g) => g.endMs));
    const since = Math.max(ended, from - LIVENESS.deadAfterMs);
    out.push({ fault: f, ms: up === undefined ? Infinity : Math.max(0, up.t - since) });
  });
  return out;
}

/** The state a `zephyr.link` or `linux.link` event stream was in at `t` (the last one published by then). */
function stateAt(run: VirtualRunResult, type: "zephyr.link" | "linux.link", t: number): string | undefined {
  let state: string | undefined;
  for (const { t: at, e } of run.events) {
    if (at > t) break;
    if (e.type === type) state = String(e["state"]);
  }
  return state;
}

/** A destroyed domain's peer notices within the bound (of the destroy, or of the end of an earlier fault still in force). */
function checkNoticed(run: VirtualRunResult, faults: readonly TimedFaultInfo[], runEnd: number, out: string[]): void {
  faults.forEach((f, i) => {
    const m = /^destroy:(zephyr|linux)@/.exec(f.item);
    if (m === null) return;
    const by = Math.max(...faults.slice(0, i + 1).map((g) => g.endMs)) + RECOVERY_BOUND_MS;
    if (by > runEnd) return;
    if (m[1] === "linux" && stateAt(run, "zephyr.link", by) === "up") out.push(`after ${f.item} rpmsg-host's link was still up at ${by} ms`);
    const linux = stateAt(run, "linux.link", by);
    if (m[1] === "zephyr" && (linux === "bound" || linux === "announced")) out.push(`after ${f.item} rpmsg-remote still showed the link ${linux} at ${by} ms`);
  });
}

/** Check one run of `plan` against the guarantees. */
export function checkRun(run: VirtualRunResult, plan: Pick<RandomPlan, "timed" | "sendFaults">, runEndMs: number): ChaosReport {
  const violations: string[] = [];
  const samples = samplesOf(run);
  checkFates(samples, bootEnds(run, samples), runEndMs, linuxGoneAt(run), plan.timed, violations);
  checkLinuxAccounting(run, samples, violations);
  const latency = plan.sendFaults ? RECOVERY_BOUND_MS : NORMAL_LATENCY_MS;
  let worst = 0;
  let delivered = 0;
  let dropped = 0;
  for (const s of samples.values()) {
    if (s.fates.some((f) => f.fate === "dropped")) dropped++;
    if (s.acceptedAt === undefined) continue;
    delivered++;
    const at = s.acceptedAt;
    const due = deadline(s, at, plan.timed, latency);
    if (at > due) violations.push(`sample ${s.seq} of boot ${s.boot}, taken at ${s.takenAt} ms, arrived at ${at} ms, after ${due} ms`);
    const lastEnd = Math.max(s.takenAt, ...plan.timed.filter((f) => f.atMs <= at).map((f) => f.endMs));
    worst = Math.max(worst, at - lastEnd);
  }
  let worstRelink = 0;
  const timed = [...plan.timed].sort((a, b) => a.atMs - b.atMs);
  checkNoticed(run, timed, runEndMs, violations);
  for (const { fault, ms } of relinkTimes(run, timed)) {
    const last = fault === timed.at(-1);
    // the link must be up again within the bound (the last fault: unless the run ended first)
    if (ms > RECOVERY_BOUND_MS && !(last && ms === Infinity && runEndMs - fault.endMs <= RECOVERY_BOUND_MS)) {
      violations.push(`after ${fault.item} the link was ${ms === Infinity ? "never" : `only ${ms} ms later`} up again`);
    }
    if (Number.isFinite(ms)) worstRelink = Math.max(worstRelink, ms);
  }
  return { violations, worstRecoveryMs: worst, worstRelinkMs: worstRelink, taken: samples.size, delivered, dropped };
}
