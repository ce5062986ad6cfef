/**
 * Zephyr's Xen event channel API (`include/zephyr/xen/events.h`) over a
 * domain's static event channels: `notify_evtchn`, `bind_event_channel`,
 * `unbind_event_channel`, `get_missed_events` and masking.
 *
 * Every static port gets a kernel-side dispatcher at boot, so an event
 * that arrives while no application handler is bound is not lost: it is
 * counted as "missed" and `get_missed_events(port)` reports it.
 *
 * @module
 */
import type { EventChannels } from "@v8r/xen-dom0less";
import { Errno } from "./kernel/errno.ts";

/** An event handler as Zephyr declares it: `void cb(void *data)`. */
export type evtchn_cb_t<T = unknown> = (data: T) => void;

interface Binding {
  readonly cb: evtchn_cb_t<never>;
  readonly data: unknown;
}

/** The Xen event API of one domain; obtained from `bootZephyr(ctx).xen`. */
export class XenEvents {
  readonly #evtchn: EventChannels;
  readonly #isr: <T>(fn: () => T) => T;
  readonly #bindings = new Map<number, Binding>();
  readonly #missed = new Map<number, number>();
  readonly #ports: ReadonlySet<number>;

  /** Attach to a domain's event channels; `isr` runs handlers as interrupt work. */
  constructor(evtchn: EventChannels, isr: <T>(fn: () => T) => T = (fn) => fn()) {
    this.#evtchn = evtchn;
    this.#isr = isr;
    this.#ports = new Set(evtchn.ports());
    for (const port of this.#ports) evtchn.bind(port, (p) => this.#dispatch(p));
  }

  /** The static ports of this domain. */
  ports(): readonly number[] {
    return [...this.#ports];
  }

  /** `notify_evtchn`: raise the peer end of `port`. Throws a RangeError for a port this domain does not have. */
  notify_evtchn(port: number): void {
    this.#check("notify_evtchn", port);
    this.#evtchn.send(port);
  }

  /** `bind_event_channel`: run `cb(data)` on each event of `port`; 0, or -EBUSY when a handler is already bound. */
  bind_event_channel<T>(port: number, cb: evtchn_cb_t<T>, data: T): number {
    this.#check("bind_event_channel", port);
    if (typeof cb !== "function") throw new TypeError(`[zephyr-shim] bind_event_channel(${port}): the callback must be a function`);
    if (this.#bindings.has(port)) return -Errno.EBUSY;
    this.#bindings.set(port, { cb: cb as evtchn_cb_t<never>, data });
    return 0;
  }

  /** `unbind_event_channel`: remove the handler; later events count as missed. 0, or -ENOENT when none was bound. */
  unbind_event_channel(port: number): number {
    this.#check("unbind_event_channel", port);
    return this.#bindings.delete(port) ? 0 : -Errno.ENOENT;
  }

  /** `get_missed_events`: events that arrived while no handler was bound, since the last call (the count is reset). */
  get_missed_events(port: number): number {
    this.#check("get_missed_events", port);
    const missed = this.#missed.get(port) ?? 0;
    this.#missed.delete(port);
    return missed;
  }

  /** `mask_event_channel`: events stay pending and are not delivered. */
  mask_event_channel(port: number): void {
    this.#check("mask_event_channel", port);
    this.#evtchn.mask(port);
  }

  /** `unmask_event_channel`: a pending event is delivered now. */
  unmask_event_channel(port: number): void {
    this.#check("unmask_event_channel", port);
    this.#evtchn.unmask(port);
  }

  /** Whether the port's pending bit is set (`evtchn_pending` of shared_info). */
  is_event_pending(port: number): boolean {
    this.#check("is_event_pending", port);
    return this.#evtchn.isPending(port);
  }

  #dispatch(port: number): void {
    const binding = this.#bindings.get(port);
    if (!binding) {
      this.#missed.set(port, (this.#missed.get(port) ?? 0) + 1);
      return;
    }
    this.#isr(() => (binding.cb as evtchn_cb_t<unknown>)(binding.data));
  }

  #check(what: string, port: number): void {
    if (!this.#ports.has(port)) {
      throw new RangeError(`[zephyr-shim] ${what}(${port}): port ${port} is not a static event channel of this domain (ports: ${[...this.#ports].join(", ") || "none"})`);
    }
  }
}
