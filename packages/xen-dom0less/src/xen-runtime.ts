/**
 * The guest side of the hypervisor: the executor loads this module in the
 * domain's own thread (the same code inline and in a Worker) and calls
 * `createContext(init, env)` to build the {@link DomainContext} the domain's
 * image receives in `start(ctx)`. Nothing here holds another domain's
 * objects: only shared bytes (static shm, event-channel state) cross.
 *
 * @module
 */
import { type Clock, type GuestEnv, InterruptController, MemoryWindow, type TimerHandle } from "@v8r/fvp-core";
import { type DomainContext, type GuestConsole, type ShutdownReason, XenError } from "./domain-context.ts";
import { checkDomainInit, type DomainInit, type PeerEnvelope, type ShutdownEnvelope } from "./_domain-init.ts";
import { ShutdownCode, Word } from "./_evtchn-layout.ts";
import type { GuestEvent, StampedGuestEvent } from "./trace-events.ts";
import { createSendFaults } from "./_send-faults.ts";
import { Vcpu } from "./_vcpu.ts";
import { GUEST_EVTCHN_PPI, GUEST_VPL011_SPI, vgicLines } from "./_vgic.ts";
import { DomainEventChannels, type HandlerRunner, type PortResolver, type StaticPort } from "./event-channel.ts";
import { ChannelState, ChannelTable, wordRemoteDom, wordRemotePort, wordState } from "./_evtchn-table.ts";
import { type EventChannelOps, XenEventChannelOps } from "./evtchn-ops.ts";

const SHUTDOWN_CODES: Readonly<Record<ShutdownReason, number>> = {
  poweroff: ShutdownCode.POWEROFF,
  reboot: ShutdownCode.REBOOT,
  crash: ShutdownCode.CRASH,
};

/**
 * Build a domain's context from the hypervisor's descriptor and the
 * executor's guest environment. Called by the executor, never by guests.
 * @example
 * ```ts
 * // bootXen starts each domain with:
 * platform.startGuest({ name, image, runtime: xenRuntimeUrl(), init, cpus });
 * ```
 */
export function createContext(init: unknown, env: GuestEnv): DomainContext {
  const i = checkDomainInit(init);
  const state = new Int32Array(i.evtchn.state);
  const vgic = InterruptController.fromDescriptor(i.vgic);
  const peers = new Map<number, Int32Array>(i.evtchn.peers.map((p) => [p.domid, new Int32Array(p.state)]));
  peers.set(i.domid, state);
  const vgics = new Map<number, InterruptController>(i.evtchn.peers.map((p) => [p.domid, InterruptController.fromDescriptor(p.vgic)]));
  vgics.set(i.domid, vgic);
  const cpu = env.cpus[0];
  if (cpu === undefined) throw new RangeError(`[xen-dom0less] creating the context of ${i.name}: it has no CPU`);
  /** Raise the event-channel upcall on vCPU 0 of domain `domid`'s vGIC. */
  const wake = (domid: number): void => vgics.get(domid)?.raise(GUEST_EVTCHN_PPI, 0);
  const table = i.evtchn.table !== undefined ? new ChannelTable(i.evtchn.table) : undefined;
  const evtchn = new DomainEventChannels({
    domid: i.domid,
    name: i.name,
    state,
    ports: i.evtchn.ports,
    peers,
    wake,
    clock: env.clock,
    faults: createSendFaults(i.faults, i.domid, i.generation),
    trace: env.trace,
    resolver: table !== undefined ? tableResolver(table, i.domid) : undefined,
  });
  const ops = table !== undefined ? new XenEventChannelOps({ domid: i.domid, name: i.name, table, state, wake: () => wake(i.domid) }) : undefined;
  const vcpu = new Vcpu({ mode: i.mode, state, generation: i.generation, clock: env.clock, cpu, gic: vgic, index: 0, spinUs: i.spinUs ?? 0 });
  const runHandler: HandlerRunner = (handler, port) => vcpu.run(() => handler(port));
  vcpu.start();
  const ctx = buildContext(i, env, vcpu, evtchn, state, ops, vgic);
  env.control.onMessage((raw) => {
    const m = raw as Partial<PeerEnvelope> | null;
    if (m?.xen === "peer" && m.peer !== undefined) {
      // A domain created later: channels made at run time may lead to it.
      peers.set(m.peer.domid, new Int32Array(m.peer.state));
      vgics.set(m.peer.domid, InterruptController.fromDescriptor(m.peer.vgic));
    }
  });
  // The PV control interface: the guest shuts down as the toolstack asked (the vCPU takes the request once unpaused).
  vcpu.onShutdownRequest((reason) => ctx.shutdown(reason));
  vcpu.on(GUEST_EVTCHN_PPI, () => evtchn.deliver(runHandler, vcpu.canRun));
  VCPUS.set(ctx, vcpu);
  return ctx;
}

/**
 * Called by the executor when the domain's instance stops or crashes: its
 * vCPU gives back its interrupt handlers and vGIC interface, so a restarted
 * instance in the same thread takes them afresh.
 */
export function destroyContext(ctx: unknown): void {
  if (ctx !== null && typeof ctx === "object") VCPUS.get(ctx)?.die();
}

/** The vCPU of each context this module built (for destroyContext). */
const VCPUS = new WeakMap<object, Vcpu>();

function buildContext(
  i: DomainInit,
  env: GuestEnv,
  vcpu: Vcpu,
  evtchn: DomainEventChannels,
  state: Int32Array,
  ops: EventChannelOps | undefined,
  vgic: InterruptController,
): DomainContext {
  const windows = new Map(i.shm.map((s) => [s.id, s.window]));
  const controls = new Set<(m: unknown) => void>();
  env.control.onMessage((raw) => {
    const m = raw as { xen?: unknown; msg?: unknown } | null;
    if (m === null || typeof m !== "object" || m.xen !== "control") return;
    const deliver = (): void => controls.forEach((l) => vcpu.run(() => l(m.msg)));
    if (vcpu.paused) vcpu.hold(deliver);
    else if (vcpu.alive) deliver();
  });
  const ctx: DomainContext = {
    domid: i.domid,
    name: i.name,
    bootargs: i.bootargs,
    ...(i.program !== undefined ? { program: i.program } : {}),
    console: makeConsole(i, env, vcpu, vgic),
    clock: gatedClock(env.clock, vcpu),
    cpus: Object.freeze([...env.cpus]),
    memoryKiB: i.memoryKiB,
    reservedMemory: Object.freeze(i.reservedMemory.map((n) => Object.freeze({ ...n }))),
    mapSharedMemory(id) {
      const d = typeof id === "string" ? windows.get(id) : undefined;
      if (d === undefined) {
        const have = [...windows.keys()].map((k) => JSON.stringify(k)).join(", ") || "none";
        throw new XenError("ENOENT", `[xen-dom0less] mapping static shared memory ${JSON.stringify(id)} in ${i.name}: it is not mapped into this domain (mapped: ${have})`);
      }
      return MemoryWindow.fromDescriptor(d);
    },
    evtchn,
    ...(ops !== undefined ? { evtchnOps: ops } : {}),
    interrupts: () => vgicLines(vgic),
    shutdown(reason, detail) {
      const code = SHUTDOWN_CODES[reason];
      if (code === undefined) throw new TypeError(`[xen-dom0less] shutdown of ${i.name}: reason ${JSON.stringify(reason)} is not poweroff, reboot or crash`);
      if (detail !== undefined && typeof detail !== "string") throw new TypeError(`[xen-dom0less] shutdown of ${i.name}: detail must be a string`);
      if (!vcpu.alive) return;
      Atomics.compareExchange(state, Word.SHUTDOWN, ShutdownCode.NONE, code);
      vcpu.die();
      const note: ShutdownEnvelope = { xen: "shutdown", reason, ...(detail !== undefined ? { detail } : {}) };
      env.control.post(note);
    },
    ...(i.mode === "worker" ? { waitForInterrupt: (timeoutMs: number) => vcpu.waitForInterrupt(timeoutMs) } : {}),
    publish(event) {
      // Event types are a compile-time contract; at run time only the type is checked.
      const e: unknown = event;
      if (e === null || typeof e !== "object" || typeof (e as { readonly type?: unknown }).type !== "string") {
        throw new TypeError(`[xen-dom0less] publishing a trace event from ${i.name}: it needs a string "type"`);
      }
      const stamped: StampedGuestEvent<GuestEvent> = { ...event, domain: i.name, domid: i.domid };
      if (env.trace.active) env.trace.emit(stamped);
    },
    onControl(listener) {
      if (typeof listener !== "function") throw new TypeError(`[xen-dom0less] onControl in ${i.name}: the listener is not a function`);
      controls.add(listener);
      return () => void controls.delete(listener);
    },
  };
  return Object.freeze(ctx);
}

/** Ports as the channel table says they are now: interdomain ends lead to their peer, unbound ones nowhere, free ones do not exist. */
function tableResolver(table: ChannelTable, domid: number): PortResolver {
  const ends = new Map<number, StaticPort>(); // one object per port while its peer stays the same: send() allocates nothing
  return {
    resolve(port) {
      const w = table.word(domid, port);
      const state = wordState(w);
      if (state === ChannelState.UNBOUND) return "unbound";
      if (state !== ChannelState.INTERDOMAIN) return undefined;
      const peerDomid = wordRemoteDom(w);
      const peerPort = wordRemotePort(w);
      let end = ends.get(port);
      if (end === undefined || end.peerDomid !== peerDomid || end.peerPort !== peerPort) {
        end = { port, peerDomid, peerPort };
        ends.set(port, end);
      }
      return end;
    },
  };
}

/** The platform clock as the domain sees it: callbacks due while it is paused run when it is unpaused. */
function gatedClock(base: Clock, vcpu: Vcpu): Clock {
  const gate = (cb: () => void) => (): void => {
    if (!vcpu.alive) return;
    if (vcpu.paused) vcpu.hold(cb);
    else cb();
  };
  return {
    kind: base.kind,
    now: () => base.now(),
    hold: (work) => base.hold(work),
    background: (work) => base.background(work),
    setTimeout: (cb, ms): TimerHandle => base.setTimeout(gate(cb), ms),
    setInterval: (cb, ms): TimerHandle => {
      let held = false;
      const once = (): void => {
        held = false;
        cb();
      };
      return base.setInterval(() => {
        if (!vcpu.alive) return;
        if (!vcpu.paused) return cb();
        if (held) return;
        held = true;
        vcpu.hold(once);
      }, ms);
    },
  };
}

/**
 * The domain's vpl011 console; without a vpl011 its lines go to Xen's
 * console as `(dN) text`. Received bytes wait in the vpl011's receive queue
 * and reach the listeners from its interrupt (SPI 32) on the vCPU.
 */
function makeConsole(i: DomainInit, env: GuestEnv, vcpu: Vcpu, vgic: InterruptController): GuestConsole {
  const listeners = new Set<(data: Uint8Array) => void>();
  let rx: Uint8Array[] = [];
  env.onInput((bytes) => {
    rx.push(bytes);
    vgic.raise(GUEST_VPL011_SPI);
  });
  vcpu.on(GUEST_VPL011_SPI, () => {
    const chunks = rx;
    rx = [];
    for (const c of chunks) for (const l of [...listeners]) vcpu.run(() => l(c));
  });
  let write: (data: string | Uint8Array) => void = (data) => env.console(data);
  if (!i.vpl011) {
    const decoder = new TextDecoder();
    let partial = "";
    write = (data) => {
      partial += typeof data === "string" ? data : decoder.decode(data, { stream: true });
      const lines = partial.split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) env.console(`(d${i.domid}) ${line}\n`);
    };
  }
  return {
    write,
    onInput(listener) {
      if (typeof listener !== "function") throw new TypeError(`[xen-dom0less] console.onInput in ${i.name}: the listener is not a function`);
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
