/**
 * The trace events rpmsg-remote publishes (`ctx.publish`), as one union
 * ({@link RpmsgRemoteEvent}) that the demo names in its platform's event
 * type, so that a listener on the trace bus (the dashboard and summary) gets
 * their fields typed.
 *
 * @module
 */
import type { CtrlResultEvent, SampleRejectCode, StatusSample } from "../protocol/mod.ts";
import type { LinkStateName } from "./_link-state.ts";
import type { HistoryCounters, SampleOutcome } from "./status-history.ts";

/** What `linux.link` trace events carry: the new state and the history's and service's totals. */
export interface LinuxLinkEvent extends HistoryCounters {
  /** Always `linux.link`. */
  readonly type: "linux.link";
  /** The link state now. */
  readonly state: LinkStateName;
  /** Host re-initialisations noticed. */
  readonly peerResets: number;
  /** Times `rpmsg-demo` was bound again after a reset. */
  readonly reattaches: number;
}

/** What `linux.sample` trace events carry, one per valid sample received (accepted, or `stale` / `out-of-order` and set aside). */
export interface LinuxSampleEvent {
  /** Always `linux.sample`. */
  readonly type: "linux.sample";
  /** The sample's seq. */
  readonly seq: number;
  /** Its boot id. */
  readonly boot: string;
  /** What the history made of it. */
  readonly outcome: SampleOutcome["kind"];
  /** Samples lost just before it (a gap in seq), else 0. */
  readonly lost: number;
  /** The sample itself. */
  readonly sample: StatusSample;
  /** The history's totals after it. */
  readonly counters: HistoryCounters;
}

/** What `linux.malformed` trace events carry, one per rejected message. */
export interface LinuxMalformedEvent {
  /** Always `linux.malformed`. */
  readonly type: "linux.malformed";
  /** Why it was rejected. */
  readonly code: SampleRejectCode;
  /** The same, in words. */
  readonly reason: string;
  /** Messages rejected so far by this service. */
  readonly count: number;
  /** The history's totals after it. */
  readonly counters: HistoryCounters;
}

/** Every event rpmsg-remote publishes: its link changed state, it took a sample, it rejected a message on `rpmsg-demo`, or it answered a control request. */
export type RpmsgRemoteEvent = LinuxLinkEvent | LinuxSampleEvent | LinuxMalformedEvent | CtrlResultEvent;
