/**
 * The trace events of xen-dom0less, added to fvp-core's `TraceEventMap`,
 * and the registry of events guests publish (`ctx.publish`): each guest OS
 * or application declares its own in {@link GuestEventMap}; Xen stamps them
 * with the publishing domain, so on the bus every guest event also carries
 * `domain` and `domid`.
 *
 * ```ts
 * declare module "@v8r/xen-dom0less" {
 *   interface GuestEventMap {
 *     "zephyr.link": { readonly state: "up" | "down"; readonly tx: number };
 *   }
 * }
 * ```
 *
 * @module
 */
import type {} from "@v8r/fvp-core";
import type { DomainState } from "./domain.ts";

/** The events guests publish, by `type` (augmented by guest OSes and applications). */
export interface GuestEventMap {}

/** What Xen adds to a guest's event: who published it. */
export interface GuestStamp {
  /** The publishing domain's name. */
  readonly domain: string;
  /** Its domain id. */
  readonly domid: number;
}

/** An event as a guest publishes it: one entry of {@link GuestEventMap}, without the stamp. */
export type GuestEvent<K extends keyof GuestEventMap = keyof GuestEventMap> = K extends keyof GuestEventMap ? { readonly type: K } & GuestEventMap[K] : never;

/** Guest events as they appear on the trace bus: stamped with the publisher. */
export type StampedGuestEvents = { readonly [K in keyof GuestEventMap]: GuestEventMap[K] & GuestStamp };

/**
 * An injected fault (`xen-fault`). Every fault has `kind` and `atMs`; the
 * fields of the kinds v8r has are typed here (send faults: `domid` `domain`
 * `port` `peerDomid` `peerPort` `delayMs?`; `corrupt`: `region` `range?`
 * `offset` `length`; `crash` / `restart` / `unpause`: `domain`; `pause`:
 * `domain` `ms`). A kind added to the
 * fault registry may add fields of its own.
 */
export interface XenFaultEvent {
  /** The fault kind, e.g. `drop`, `delay+duplicate`, `corrupt`, `crash`. */
  readonly kind: string;
  /** Platform time of the fault, ms. */
  readonly atMs: number;
  /** The domain it hit (send faults: the sender). */
  readonly domain?: string;
  /** Send faults: the sender's domain id. */
  readonly domid?: number;
  /** Send faults: the port sent on. */
  readonly port?: number;
  /** Send faults: the receiving domain id. */
  readonly peerDomid?: number;
  /** Send faults: the receiving port. */
  readonly peerPort?: number;
  /** `delay`: how long the notification was held, ms. */
  readonly delayMs?: number;
  /** `corrupt`: the static shm region. */
  readonly region?: string;
  /** `corrupt`: the named part of its layout, when one was given. */
  readonly range?: string;
  /** `corrupt`: first byte written. */
  readonly offset?: number;
  /** `corrupt`: bytes written. */
  readonly length?: number;
  /** `pause`: how long the domain stays paused, ms. */
  readonly ms?: number;
  /** Fields of fault kinds added later. */
  readonly [field: string]: unknown;
}

declare module "@v8r/fvp-core" {
  interface TraceEventMap extends StampedGuestEvents {
    /** Xen booted its domains. */
    "xen-booted": { readonly domains: readonly string[]; readonly atMs: number };
    /** A domain changed state (`destroyed` once it is gone). */
    "xen-domain": {
      readonly domid: number;
      readonly domain: string;
      readonly state: DomainState | "destroyed";
      readonly generation: number;
      readonly atMs: number;
      readonly reason?: string;
    };
    /** Fault injection did something. */
    "xen-fault": XenFaultEvent;
  }
}
