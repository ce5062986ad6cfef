// What rpmsg-remote does with each message on `rpmsg-demo`: parse and
// validate it as a status sample, keep it in the history (or count it as
// malformed), say what it meant on the console (a gap, a Zephyr restart, the
// first sample) and publish it on the trace bus.
import { parseStatusSample } from "../protocol/mod.ts";
import type { LinuxMalformedEvent, LinuxSampleEvent } from "./events.ts";
import type { StatusHistory } from "./status-history.ts";

/** Malformed messages logged one by one; after that, every hundredth. */
const MAX_LOGGED_MALFORMED = 5;

/** Where a sample's outcome goes. */
export interface SampleSink {
  /** The history that keeps the samples. */
  readonly history: StatusHistory;
  /** The service's counters this updates. */
  readonly counters: { samples: number; malformed: number; oversize: number };
  /** A console line. */
  log(line: string): void;
  /** A trace event. */
  trace(event: LinuxSampleEvent | LinuxMalformedEvent): void;
  /** A valid sample came (every one is acknowledged, a stale or set-aside one too). */
  acknowledge(): void;
}

/** Take one message received on `rpmsg-demo` at Linux time `now`. */
export function takeSample(data: Uint8Array, now: number, to: SampleSink): void {
  const { history, counters } = to;
  const r = parseStatusSample(data);
  if (!r.ok) {
    counters.malformed++;
    if (r.code === "too-long") counters.oversize++;
    history.recordMalformed(r.reason, now);
    const n = counters.malformed;
    if (n <= MAX_LOGGED_MALFORMED || n % 100 === 0) to.log(`dropped a malformed sample (#${n}): ${r.reason}`);
    to.trace({ type: "linux.malformed", code: r.code, reason: r.reason, count: n, counters: history.counters });
    return;
  }
  const outcome = history.add(r.sample, now);
  to.acknowledge(); // the ack tells the host where this side stands
  if (outcome.kind !== "stale" && outcome.kind !== "out-of-order") counters.samples++;
  if (outcome.kind === "gap") to.log(`lost ${outcome.lost} sample(s) before seq ${r.sample.seq}`);
  else if (outcome.kind === "restart") to.log(`Zephyr restarted (boot ${outcome.previousBoot} -> ${r.sample.boot})`);
  else if (outcome.kind === "first") to.log(`first sample from Zephyr boot ${r.sample.boot}`);
  to.trace({
    type: "linux.sample",
    seq: r.sample.seq,
    boot: r.sample.boot,
    outcome: outcome.kind,
    lost: outcome.kind === "gap" ? outcome.lost : 0,
    sample: r.sample,
    counters: history.counters,
  });
}
