/**
 * The trace events rpmsg-remote publishes (`ctx.publish`), declared in
 * xen-dom0less's guest event registry so that a listener on the platform
 * trace bus (the demo's dashboard and summary) gets their fields typed.
 *
 * @module
 */
import type {} from "@v8r/xen-dom0less";
import type { SampleRejectCode, StatusSample } from "../protocol/mod.ts";
import type { LinkStateName } from "./rpmsg-demo-service.ts";
import type { HistoryCounters, SampleOutcome } from "./status-history.ts";

/** What `linux.link` trace events carry: the new state and the history's and service's totals. */
export interface LinuxLinkEvent extends HistoryCounters {
  /** The link state now. */
  readonly state: LinkStateName;
  /** Host re-initialisations noticed. */
  readonly peerResets: number;
  /** Times `rpmsg-demo` was bound again after a reset. */
  readonly reattaches: number;
}

/** What `linux.sample` trace events carry, one per valid sample received (accepted, or `stale` / `out-of-order` and set aside). */
export interface LinuxSampleEvent {
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
  /** Why it was rejected. */
  readonly code: SampleRejectCode;
  /** The same, in words. */
  readonly reason: string;
  /** Messages rejected so far by this service. */
  readonly count: number;
  /** The history's totals after it. */
  readonly counters: HistoryCounters;
}

declare module "@v8r/xen-dom0less" {
  interface GuestEventMap {
    /** rpmsg-remote's link changed state. */
    "linux.link": LinuxLinkEvent;
    /** rpmsg-remote accepted a sample. */
    "linux.sample": LinuxSampleEvent;
    /** rpmsg-remote rejected a message on `rpmsg-demo`. */
    "linux.malformed": LinuxMalformedEvent;
  }
}
