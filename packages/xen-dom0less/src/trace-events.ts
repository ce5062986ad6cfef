/**
 * The trace events of xen-dom0less ({@link XenTraceEvent}) and how guest
 * events reach the platform trace bus: a guest OS or application publishes
 * its own events with `ctx.publish` and exports their union; Xen stamps each
 * with the publishing domain ({@link GuestStamp}), and the layer that
 * creates the platform names the bus's events with {@link XenBusEvent}:
 *
 * ```ts
 * type LinkEvent = { readonly type: "zephyr.link"; readonly state: "up" | "down"; readonly tx: number };
 * const platform = createPlatform<XenBusEvent<LinkEvent>>(FVP_BaseR_AEMv8R);
 * platform.trace.on((e) => { if (e.type === "zephyr.link") console.log(e.domain, e.tx); });
 * ```
 *
 * @module
 */
import type { AnyTraceEvent } from "@v8r/fvp-core";
import type { DomainState } from "./domain.ts";

/** An event as a guest publishes it (`ctx.publish`): a string `type` and the publisher's own fields. */
export type GuestEvent = AnyTraceEvent;

/** What Xen adds to a guest's event: who published it. */
export interface GuestStamp {
  /** The publishing domain's name. */
  readonly domain: string;
  /** Its domain id. */
  readonly domid: number;
}

/** Guest events of union `G` as they appear on the trace bus: each stamped with its publisher. */
export type StampedGuestEvent<G extends GuestEvent> = G extends GuestEvent ? G & GuestStamp : never;

/**
 * An injected fault (`xen-fault`). Every fault has `kind` and `atMs`; the
 * fields of the kinds v8r has are typed here (send faults: `domid` `domain`
 * `port` `peerDomid` `peerPort` `delayMs?`; `corrupt`: `region` `range?`
 * `offset` `length`; `crash` / `restart` / `unpause`: `domain`; `pause`:
 * `domain` `ms`). A kind added to the
 * fault registry may add fields of its own.
 */
export interface XenFaultEvent {
  /** Always `xen-fault`. */
  readonly type: "xen-fault";
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

/** Xen booted its domains. */
export interface XenBootedEvent {
  /** Always `xen-booted`. */
  readonly type: "xen-booted";
  /** The domains it started, by name. */
  readonly domains: readonly string[];
  /** Platform time, ms. */
  readonly atMs: number;
}

/** A domain changed state (`destroyed` once it is gone). */
export interface XenDomainEvent {
  /** Always `xen-domain`. */
  readonly type: "xen-domain";
  /** The domain id. */
  readonly domid: number;
  /** The domain's name. */
  readonly domain: string;
  /** Its new state. */
  readonly state: DomainState | "destroyed";
  /** Its start count: 0 for the first start, one more at each restart. */
  readonly generation: number;
  /** Platform time, ms. */
  readonly atMs: number;
  /** Why, when known (e.g. `on_crash=restart`). */
  readonly reason?: string;
}

/** The events Xen itself publishes on the platform trace bus. */
export type XenTraceEvent = XenBootedEvent | XenDomainEvent | XenFaultEvent;

/**
 * The events a platform running Xen carries besides fvp-core's own: Xen's
 * and those its guests publish (union `G`), stamped with the publisher. Use
 * it as the event parameter of `createPlatform` / `Platform`.
 */
export type XenBusEvent<G extends GuestEvent = never> = XenTraceEvent | StampedGuestEvent<G>;
