/**
 * The event-channel hypercalls a guest makes besides `EVTCHNOP_send`:
 * `EVTCHNOP_alloc_unbound`, `EVTCHNOP_bind_interdomain`, `EVTCHNOP_close`
 * and `EVTCHNOP_status`, with Xen's semantics (xen/common/event_channel.c)
 * over the hypervisor's channel table. Like every hypercall they run on the
 * calling guest's thread; a guest reaches them as `ctx.evtchnOps`.
 *
 * What Xen does that v8r keeps: ports are allocated lowest first from 1 up
 * to the domain's `max_evtchn_port` (1023 for a dom0less domU); port 0 is
 * reserved; a guest may act only on its own ports (another domain's status
 * or an allocation for another domain is EPERM, as under Xen's default XSM
 * policy for a domU); binding sets the new local port pending, because
 * events sent to the unbound port were lost; closing one end of an
 * interdomain channel leaves the other end unbound (bindable again by the
 * closer) and clears the closed port's pending bit; a send on an unbound
 * port is dropped silently. Static channels are ordinary interdomain
 * channels once bound: a guest may close them.
 *
 * @module
 */
import { XenError } from "./domain-context.ts";
import { clearPort, raisePort } from "./_evtchn-layout.ts";
import { ChannelState, type ChannelTable } from "./_evtchn-table.ts";
import type { StaticPort } from "./event-channel.ts";

/** `DOMID_SELF`: "the calling domain" in a hypercall argument. */
export const DOMID_SELF = 0x7ff0;

/** `EVTCHNSTAT_*`: the status codes of `EVTCHNOP_status`. */
export const EVTCHNSTAT = { closed: 0, unbound: 1, interdomain: 2, pirq: 3, virq: 4, ipi: 5 } as const;

/** What `EVTCHNOP_status` reports about a port (`evtchn_status_t`'s output fields). */
export interface EvtchnStatus {
  /** An {@link EVTCHNSTAT} value. */
  readonly status: number;
  /** The vCPU notified (always 0: v8r domains get events on vCPU 0). */
  readonly vcpu: number;
  /** For `unbound`: the domain that may bind the port. */
  readonly unbound?: { readonly dom: number };
  /** For `interdomain`: the other end. */
  readonly interdomain?: { readonly dom: number; readonly port: number };
}

/** The event-channel hypercalls of one domain; failures throw {@link XenError} with Xen's errno name. */
export interface EventChannelOps {
  /** `EVTCHNOP_alloc_unbound` (dom = DOMID_SELF): a new port that `remoteDom` may bind; ENOSPC when none is free. */
  allocUnbound(remoteDom: number): number;
  /** `EVTCHNOP_bind_interdomain`: a new local port bound to `remoteDom`'s unbound `remotePort`; ESRCH, EINVAL, ENOSPC. */
  bindInterdomain(remoteDom: number, remotePort: number): number;
  /** `EVTCHNOP_close`: free a port (the peer's end becomes unbound); EINVAL for a port that is not in use. */
  close(port: number): void;
  /** `EVTCHNOP_status` of `port` in `dom` (DOMID_SELF or the caller's domid); ESRCH, EPERM, EINVAL. */
  status(dom: number, port: number): EvtchnStatus;
}

/** What {@link XenEventChannelOps} works on. */
export interface EvtchnOpsOptions {
  /** The calling domain. */
  readonly domid: number;
  /** Its name, for messages. */
  readonly name: string;
  /** The hypervisor's channel table. */
  readonly table: ChannelTable;
  /** The calling domain's event-channel state (pending bits). */
  readonly state: Int32Array;
  /** Wake the calling domain's vCPU (an upcall became pending). */
  readonly wake: () => void;
}

/** A domain's {@link EventChannelOps} over the shared channel table. */
export class XenEventChannelOps implements EventChannelOps {
  readonly #o: EvtchnOpsOptions;

  /** Hypercalls of domain `opts.domid`. */
  constructor(opts: EvtchnOpsOptions) {
    this.#o = opts;
  }

  allocUnbound(remoteDom: number): number {
    const remote = this.#self(remoteDom);
    const { table, domid } = this.#o;
    return table.locked(() => {
      const port = table.freePort(domid);
      if (port < 0) throw this.#error("ENOSPC", "EVTCHNOP_alloc_unbound", `all ports up to max_evtchn_port ${table.maxPort(domid)} are in use`);
      table.set(domid, port, ChannelState.UNBOUND, remote, 0);
      return port;
    });
  }

  bindInterdomain(remoteDom: number, remotePort: number): number {
    const what = `EVTCHNOP_bind_interdomain(d${remoteDom}, ${remotePort})`;
    const rd = this.#self(remoteDom);
    const { table, domid } = this.#o;
    if (!table.exists(rd)) throw this.#error("ESRCH", what, `domain ${rd} does not exist`);
    const lport = table.locked(() => {
      const port = table.freePort(domid);
      if (port < 0) throw this.#error("ENOSPC", what, `all ports up to max_evtchn_port ${table.maxPort(domid)} are in use`);
      const r = table.valid(rd, remotePort) ? table.get(rd, remotePort) : undefined;
      if (r === undefined || r.state !== ChannelState.UNBOUND || r.remoteDom !== domid) {
        const why = r === undefined ? "is not a valid port" : r.state !== ChannelState.UNBOUND ? "is not unbound" : `is reserved for d${r.remoteDom}`;
        throw this.#error("EINVAL", what, `port ${remotePort} of d${rd} ${why}`);
      }
      table.set(domid, port, ChannelState.INTERDOMAIN, rd, remotePort);
      table.set(rd, remotePort, ChannelState.INTERDOMAIN, domid, port);
      return port;
    });
    // Events sent to the unbound remote port were dropped: Xen conservatively raises the new local port.
    if (raisePort(this.#o.state, lport) === "upcall") this.#o.wake();
    return lport;
  }

  close(port: number): void {
    const what = `EVTCHNOP_close(${String(port)})`;
    const { table, domid } = this.#o;
    table.locked(() => {
      const c = table.valid(domid, port) ? table.get(domid, port) : undefined;
      if (c === undefined || c.state === ChannelState.FREE || c.state === ChannelState.RESERVED) {
        throw this.#error("EINVAL", what, c === undefined ? "not a valid port" : "the port is not in use");
      }
      if (c.state === ChannelState.INTERDOMAIN && !(c.remoteDom === domid && c.remotePort === port)) {
        table.set(c.remoteDom, c.remotePort, ChannelState.UNBOUND, domid, 0);
      }
      table.set(domid, port, ChannelState.FREE, 0, 0);
    });
    clearPort(this.#o.state, port);
  }

  status(dom: number, port: number): EvtchnStatus {
    const what = `EVTCHNOP_status(d${dom}, ${String(port)})`;
    const d = dom === DOMID_SELF ? this.#o.domid : dom;
    const { table } = this.#o;
    if (!table.exists(d)) throw this.#error("ESRCH", what, `domain ${d} does not exist`);
    if (d !== this.#o.domid) throw this.#error("EPERM", what, "a domU may only query its own ports");
    if (!table.valid(d, port)) throw this.#error("EINVAL", what, `not a valid port (0..${table.maxPort(d)})`);
    const c = table.get(d, port);
    if (c.state === ChannelState.UNBOUND) return { status: EVTCHNSTAT.unbound, vcpu: 0, unbound: { dom: c.remoteDom } };
    if (c.state === ChannelState.INTERDOMAIN) return { status: EVTCHNSTAT.interdomain, vcpu: 0, interdomain: { dom: c.remoteDom, port: c.remotePort } };
    return { status: EVTCHNSTAT.closed, vcpu: 0 };
  }

  /** DOMID_SELF as the caller's domid; TypeError for something that is not a domid. */
  #self(dom: number): number {
    if (!Number.isInteger(dom) || dom < 0 || dom > 0xffff) throw new TypeError(`[xen-dom0less] event channel hypercall from ${this.#o.name}: ${String(dom)} is not a domid`);
    return dom === DOMID_SELF ? this.#o.domid : dom;
  }

  #error(code: "EINVAL" | "ESRCH" | "EPERM" | "ENOSPC", what: string, why: string): XenError {
    return new XenError(code, `[xen-dom0less] ${what} from ${this.#o.name}: ${why}`);
  }
}

/** At boot, before any guest runs: make each domain exist with its port limit (`max_evtchn_port`) and bind its static channels. */
export function bindStaticChannels(
  table: ChannelTable,
  domains: readonly { readonly domid: number; readonly maxPort: number; readonly ports: readonly StaticPort[] }[],
): void {
  for (const d of domains) table.addDomain(d.domid, d.maxPort);
  for (const d of domains) for (const p of d.ports) table.set(d.domid, p.port, ChannelState.INTERDOMAIN, p.peerDomid, p.peerPort);
}

/**
 * When a domain starts again: every port it had is closed as Xen closes a
 * destroyed domain's ports (the other ends become unbound), then its static
 * channels are bound again, with the peer ends that are free or unbound.
 */
export function rebindDomainChannels(table: ChannelTable, domid: number, ports: readonly StaticPort[]): void {
  table.locked(() => {
    closeAll(table, domid);
    for (const p of ports) {
      const peer = table.get(p.peerDomid, p.peerPort);
      if (peer.state === ChannelState.INTERDOMAIN && !(peer.remoteDom === domid && peer.remotePort === p.port)) continue;
      table.set(domid, p.port, ChannelState.INTERDOMAIN, p.peerDomid, p.peerPort);
      table.set(p.peerDomid, p.peerPort, ChannelState.INTERDOMAIN, domid, p.port);
    }
  });
}

/** When a domain is destroyed: close every port it has, as Xen does (the other ends become unbound, so sends to it are dropped). */
export function closeDomainChannels(table: ChannelTable, domid: number): void {
  table.locked(() => closeAll(table, domid));
}

function closeAll(table: ChannelTable, domid: number): void {
  for (const port of table.usedPorts(domid)) {
    const c = table.get(domid, port);
    if (c.state === ChannelState.INTERDOMAIN && c.remoteDom !== domid) table.set(c.remoteDom, c.remotePort, ChannelState.UNBOUND, domid, 0);
    table.set(domid, port, ChannelState.FREE, 0, 0);
  }
}
