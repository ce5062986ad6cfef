/**
 * Zephyr's Xen event channel API (`include/zephyr/xen/events.h`,
 * `drivers/xen/events.c`) over a domain's event channels.
 *
 * As in Zephyr, every port has a handler: the application's, or an empty
 * one that only records that an event was missed. Binding a port that
 * already has a handler replaces it (with a warning) and returns 0;
 * unbinding puts the empty handler back, forgets the missed flag and
 * returns 0, bound or not; `get_missed_events` returns 1 once after events
 * came with no handler, else 0. Handlers run on the domain's vCPU after the
 * port's pending bit is cleared. The hypercall wrappers return Xen's result
 * as a negative errno (`-EINVAL`, `-ESRCH`, ...), as Zephyr's do.
 *
 * @module
 */
import { type EventChannelOps, type EventChannels, XenError } from "@v8r/xen-dom0less";
import { Errno, type ErrnoName } from "./kernel/errno.ts";

/** An event handler as Zephyr declares it: `void cb(void *data)`. */
export type evtchn_cb_t<T = unknown> = (data: T) => void;

/** `evtchn_status_t`: `dom` and `port` in; `status`, `vcpu` and `u` filled by `evtchn_status`. */
export interface evtchn_status_t {
  /** Domain of the port: `DOMID_SELF` or this domain's id. */
  dom: number;
  /** The port. */
  port: number;
  /** An `EVTCHNSTAT_*` value. */
  status?: number;
  /** The vCPU notified. */
  vcpu?: number;
  /** Per status: `unbound.dom` (who may bind it), `interdomain.dom`/`.port` (the other end). */
  u?: { unbound?: { dom: number }; interdomain?: { dom: number; port: number } };
}

/** `EVTCHN_2L_NR_CHANNELS`: ports of the 2-level ABI. */
export const EVTCHN_2L_NR_CHANNELS = 4096;

interface Binding {
  readonly cb: evtchn_cb_t<never>;
  readonly data: unknown;
}

/** The Xen event API of one domain; obtained from `bootZephyr(ctx).xen`. */
export class XenEvents {
  readonly #evtchn: EventChannels;
  readonly #ops: EventChannelOps | undefined;
  readonly #isr: <T>(fn: () => T) => T;
  readonly #warn: (message: string) => void;
  readonly #bindings = new Map<number, Binding>();
  readonly #missed = new Set<number>();
  /** Ports whose events this API receives (the static ones and those it made). */
  readonly #attached = new Set<number>();
  readonly #static: readonly number[];
  readonly #dispatch = (port: number): void => this.#event(port);

  /**
   * Attach to a domain's event channels (and, when the host offers them, its
   * event-channel hypercalls); `isr` runs handlers as interrupt work, `warn`
   * logs a re-bind.
   */
  constructor(evtchn: EventChannels, options: { ops?: EventChannelOps; isr?: <T>(fn: () => T) => T; warn?: (message: string) => void } = {}) {
    this.#evtchn = evtchn;
    this.#ops = options.ops;
    this.#isr = options.isr ?? ((fn) => fn());
    this.#warn = options.warn ?? (() => {});
    this.#static = [...evtchn.ports()];
    for (const port of this.#static) this.#attach(port);
  }

  /** The static ports of this domain. */
  ports(): readonly number[] {
    return this.#static;
  }

  /** `notify_evtchn`: `EVTCHNOP_send` on `port`; 0, or -EINVAL when the domain has no such port. */
  notify_evtchn(port: number): number {
    this.#check("notify_evtchn", port);
    return hypercall(() => this.#evtchn.send(port));
  }

  /** `bind_event_channel`: run `cb(data)` on each event of `port`; replaces a handler already bound (with a warning). Always 0. */
  bind_event_channel<T>(port: number, cb: evtchn_cb_t<T>, data: T): number {
    this.#check("bind_event_channel", port);
    if (typeof cb !== "function") throw new TypeError(`[zephyr-shim] bind_event_channel(${port}): the callback must be a function`);
    if (this.#bindings.has(port)) this.#warn(`bind_event_channel: re-bind callback for evtchn #${port}`);
    this.#bindings.set(port, { cb: cb as evtchn_cb_t<never>, data });
    return 0;
  }

  /** `unbind_event_channel`: back to the empty handler (later events are missed); forgets the missed flag. Always 0. */
  unbind_event_channel(port: number): number {
    this.#check("unbind_event_channel", port);
    this.#bindings.delete(port);
    this.#missed.delete(port);
    return 0;
  }

  /** `get_missed_events`: 1 when events came with no handler bound since the last call (the flag is reset), else 0. */
  get_missed_events(port: number): number {
    this.#check("get_missed_events", port);
    return this.#missed.delete(port) ? 1 : 0;
  }

  /** `mask_event_channel`: events stay pending and are not delivered; 0, or -EINVAL for a port the domain does not have. */
  mask_event_channel(port: number): number {
    this.#check("mask_event_channel", port);
    return hypercall(() => this.#evtchn.mask(port));
  }

  /** `unmask_event_channel`: a pending event is delivered now; 0, or -EINVAL for a port the domain does not have. */
  unmask_event_channel(port: number): number {
    this.#check("unmask_event_channel", port);
    return hypercall(() => this.#evtchn.unmask(port));
  }

  /** `clear_event_channel`: forget a pending event of `port`. */
  clear_event_channel(port: number): void {
    this.#check("clear_event_channel", port);
    hypercall(() => this.#evtchn.clear?.(port));
  }

  /** Whether the port's pending bit is set (`evtchn_pending` of shared_info). */
  is_event_pending(port: number): boolean {
    this.#check("is_event_pending", port);
    return this.#evtchn.isPending(port);
  }

  /** `evtchn_status`: fill `status` for `status.dom`/`status.port`; 0, or -ESRCH, -EPERM, -EINVAL (-ENOSYS without the hypercalls). */
  evtchn_status(status: evtchn_status_t): number {
    return this.#op((ops) => {
      const s = ops.status(status.dom, status.port);
      status.status = s.status;
      status.vcpu = s.vcpu;
      status.u = { ...(s.unbound ? { unbound: { ...s.unbound } } : {}), ...(s.interdomain ? { interdomain: { ...s.interdomain } } : {}) };
      return 0;
    });
  }

  /** `evtchn_close`: `EVTCHNOP_close`; 0, or -EINVAL for a port that is not in use. The port's handler stays bound, as in Zephyr. */
  evtchn_close(port: number): number {
    this.#check("evtchn_close", port);
    return this.#op((ops) => {
      const attached = this.#attached.has(port);
      if (attached) this.#detach(port);
      try {
        ops.close(port);
      } catch (e) {
        if (attached) this.#attach(port);
        throw e;
      }
      return 0;
    });
  }

  /** `alloc_unbound_event_channel`: a new port that `remote_dom` may bind; the port, or -ENOSPC (-ENOSYS without the hypercalls). */
  alloc_unbound_event_channel(remote_dom: number): number {
    return this.#op((ops) => {
      const port = ops.allocUnbound(remote_dom);
      this.#attach(port);
      return port;
    });
  }

  /** `bind_interdomain_event_channel`: bind `remote_dom`'s unbound `remote_port` and run `cb(data)` on its events; the local port, or -ESRCH, -EINVAL, -ENOSPC. */
  bind_interdomain_event_channel<T>(remote_dom: number, remote_port: number, cb: evtchn_cb_t<T>, data: T): number {
    if (typeof cb !== "function") throw new TypeError("[zephyr-shim] bind_interdomain_event_channel: the callback must be a function");
    return this.#op((ops) => {
      const port = ops.bindInterdomain(remote_dom, remote_port);
      this.bind_event_channel(port, cb, data);
      this.#attach(port);
      return port;
    });
  }

  #event(port: number): void {
    const binding = this.#bindings.get(port);
    if (!binding) {
      this.#missed.add(port);
      return;
    }
    this.#isr(() => (binding.cb as evtchn_cb_t<unknown>)(binding.data));
  }

  #attach(port: number): void {
    if (this.#attached.has(port)) return;
    this.#evtchn.bind(port, this.#dispatch);
    this.#attached.add(port);
  }

  #detach(port: number): void {
    this.#evtchn.unbind(port);
    this.#attached.delete(port);
  }

  #op(fn: (ops: EventChannelOps) => number): number {
    if (this.#ops === undefined) return -Errno.ENOSYS;
    return hypercall(() => fn(this.#ops as EventChannelOps));
  }

  #check(what: string, port: number): void {
    if (!Number.isInteger(port) || port < 0 || port >= EVTCHN_2L_NR_CHANNELS) {
      throw new RangeError(`[zephyr-shim] ${what}(${String(port)}): not a port of the 2-level ABI (0..${EVTCHN_2L_NR_CHANNELS - 1})`);
    }
  }
}

/** Run a hypercall: its result (0 for none), or Xen's error as a negative errno. */
function hypercall(fn: () => number | void): number {
  try {
    return fn() ?? 0;
  } catch (e) {
    if (e instanceof XenError) return -Errno[e.code as ErrnoName];
    throw e;
  }
}
