/**
 * The 2-level event channels of one domain, as its guest sees them. Pending
 * and mask bits, selector and upcall flag live in shared memory (one buffer
 * per domain); the static channel table is plain immutable data. `send()` is
 * a hypercall: it runs on the caller's thread and writes the peer's bits
 * directly, then raises the event-channel upcall interrupt on the peer's vCPU
 * through the peer's vGIC.
 *
 * @module
 */
import type { Clock, TraceSink } from "@v8r/fvp-core";
import type { XenFaultEvent } from "./trace-events.ts";
import { type EventChannels, type EventHandler, XenError } from "./domain-context.ts";
import {
  clearPort,
  isPortNumber,
  maskPort,
  portMasked,
  portPending,
  raisePort,
  reannounce,
  scanUpcall,
  type ScanHooks,
  unmaskPort,
} from "./_evtchn-layout.ts";
import type { SendFate } from "./fault-kind.ts";
import type { SendFaults } from "./_send-faults.ts";

/** One static channel end of a domain: local port and where it leads. */
export interface StaticPort {
  /** Local port. */
  readonly port: number;
  /** Domain id of the other end. */
  readonly peerDomid: number;
  /** Port of the other end in the peer domain. */
  readonly peerPort: number;
}

/** What {@link DomainEventChannels} is built from. */
export interface DomainEventChannelsOptions {
  /** This domain's id. */
  readonly domid: number;
  /** This domain's name (for messages). */
  readonly name: string;
  /** This domain's shared event-channel state. */
  readonly state: Int32Array;
  /** The static channel table of this domain. */
  readonly ports: readonly StaticPort[];
  /** Shared state of every domain a channel leads to (this one included for loopback channels), by domid. */
  readonly peers: ReadonlyMap<number, Int32Array>;
  /** Raise the event-channel upcall (PPI 31) of domain `domid`'s vCPU on its vGIC: its upcall flag just went from 0 to 1. */
  readonly wake: (domid: number) => void;
  /** Clock for delayed and duplicated sends. */
  readonly clock: Clock;
  /** Send-path fault injection, if any. */
  readonly faults?: SendFaults | undefined;
  /** Where fault events are published. */
  readonly trace?: TraceSink<XenFaultEvent> | undefined;
  /** Where a port leads now, when channels change at run time (the hypervisor's channel table); without it, the static table. */
  readonly resolver?: PortResolver | undefined;
}

/** Looks up a port in the hypervisor's channel table. */
export interface PortResolver {
  /** The other end of `port`; `"unbound"` while nobody is bound to it; undefined when the domain does not have the port. */
  resolve(port: number): StaticPort | "unbound" | undefined;
}

/** Event handlers are run through this (the vCPU's error and CPU-time guard). */
export type HandlerRunner = (handler: EventHandler, port: number) => void;

/**
 * A domain's {@link EventChannels}: the guest-facing API plus
 * {@link DomainEventChannels.deliver}, the upcall handler its vCPU runs.
 *
 * @example
 * ```ts
 * // Normally built by the hypervisor runtime; a guest only sees ctx.evtchn.
 * ctx.evtchn.bind(10, (port) => console.log("event on", port));
 * ctx.evtchn.send(10);
 * ```
 */
export class DomainEventChannels implements EventChannels {
  readonly #o: DomainEventChannelsOptions;
  readonly #table: ReadonlyMap<number, StaticPort>;
  readonly #handlers = new Map<number, EventHandler>();
  #hooks: (ScanHooks & { readonly runner: HandlerRunner }) | undefined;

  /** Attach to a domain's shared state and static table. */
  constructor(opts: DomainEventChannelsOptions) {
    this.#o = opts;
    this.#table = new Map(opts.ports.map((p) => [p.port, p]));
  }

  /** The static local ports of this domain, ascending. */
  ports(): readonly number[] {
    return [...this.#table.keys()].sort((a, b) => a - b);
  }

  /** `EVTCHNOP_send`: set the peer's pending bit and wake its vCPU when that raises an upcall. */
  send(port: number): void {
    const entry = this.#entry("send", port);
    if (entry === "unbound") return; // Xen drops a send on an unbound port
    const peer = this.#o.peers.get(entry.peerDomid);
    if (peer === undefined) {
      throw new XenError("ESRCH", `[xen-dom0less] EVTCHNOP_send on port ${port} of ${this.#o.name}: peer domain d${entry.peerDomid} does not exist`);
    }
    const fate = this.#o.faults?.decide(port);
    if (fate === undefined) return this.#raise(entry, peer);
    this.#traceFault(port, entry, fate);
    if (fate.drop) return;
    const raise = (): void => this.#raise(entry, peer);
    const delayMs = fate.delayMs;
    if (delayMs > 0) this.#o.clock.setTimeout(raise, delayMs);
    else raise();
    for (let k = 0; k < fate.copies; k++) this.#o.clock.setTimeout(raise, delayMs);
  }

  /** Attach `handler`; an event already pending is delivered right after (missed events). XenError EBUSY when the port has a handler. */
  bind(port: number, handler: EventHandler): void {
    this.#entry("bind", port);
    if (typeof handler !== "function") throw new TypeError(`[xen-dom0less] binding port ${port} of ${this.#o.name}: the handler is not a function`);
    if (this.#handlers.has(port)) {
      throw new XenError("EBUSY", `[xen-dom0less] binding port ${port} of ${this.#o.name}: it already has a handler (unbind it first)`);
    }
    this.#handlers.set(port, handler);
    if (reannounce(this.#o.state, port)) this.#o.wake(this.#o.domid);
  }

  /** Detach the handler; the port stays bound in Xen and keeps collecting events. */
  unbind(port: number): void {
    this.#entry("unbind", port);
    this.#handlers.delete(port);
  }

  /** Set the mask bit: events stay pending. */
  mask(port: number): void {
    this.#entry("mask", port);
    maskPort(this.#o.state, port);
  }

  /** Clear the mask bit; a pending event is delivered right after. */
  unmask(port: number): void {
    this.#entry("unmask", port);
    if (unmaskPort(this.#o.state, port)) this.#o.wake(this.#o.domid);
  }

  /** Whether the port's pending bit is set. */
  isPending(port: number): boolean {
    this.#entry("isPending", port);
    return portPending(this.#o.state, port);
  }

  /** Whether the port's mask bit is set. */
  isMasked(port: number): boolean {
    this.#entry("isMasked", port);
    return portMasked(this.#o.state, port);
  }

  /** Clear the port's pending bit. */
  clear(port: number): void {
    this.#entry("clear", port);
    clearPort(this.#o.state, port);
  }

  /**
   * The upcall handler: run the handler of every pending, unmasked port that
   * has one, ascending, through `run`; stop early when `alive()` turns false.
   * Returns how many handlers ran.
   */
  deliver(run: HandlerRunner, alive: () => boolean): number {
    // one hooks object per (run, alive) pair: a vCPU passes the same two on every round
    let hooks = this.#hooks;
    if (hooks === undefined || hooks.runner !== run || hooks.alive !== alive) {
      const handlers = this.#handlers;
      hooks = {
        runner: run,
        alive,
        accepts: (port) => handlers.has(port),
        // scanUpcall calls accepts(port) right before run(port), with no guest code between
        run: (port) => {
          const handler = handlers.get(port);
          if (handler !== undefined) run(handler, port);
        },
      };
      this.#hooks = hooks;
    }
    return scanUpcall(this.#o.state, hooks);
  }

  #raise(entry: StaticPort, peer: Int32Array): void {
    if (raisePort(peer, entry.peerPort) === "upcall") this.#o.wake(entry.peerDomid);
  }

  #entry(op: string, port: number): StaticPort | "unbound" {
    const resolver = this.#o.resolver;
    const entry = !isPortNumber(port) ? undefined : resolver !== undefined ? resolver.resolve(port) : this.#table.get(port);
    if (entry === undefined) {
      const have = this.ports();
      const list = have.length === 0 ? "it has no static channels" : `its static ports are ${have.join(", ")}`;
      throw new XenError("EINVAL", `[xen-dom0less] ${op}(${String(port)}) in ${this.#o.name}: the port is not bound in this domain (${list})`);
    }
    return entry;
  }

  #traceFault(port: number, entry: StaticPort, fate: SendFate): void {
    const trace = this.#o.trace;
    if (!trace?.active) return;
    trace.emit({
      type: "xen-fault",
      kind: fate.drop ? "drop" : fate.kinds.join("+"),
      domid: this.#o.domid,
      domain: this.#o.name,
      port,
      peerDomid: entry.peerDomid,
      peerPort: entry.peerPort,
      ...(fate.delayMs > 0 ? { delayMs: fate.delayMs } : {}),
      atMs: this.#o.clock.now(),
    });
  }
}
