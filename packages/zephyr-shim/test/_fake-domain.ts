/**
 * Test helper: two fake domains joined by static event channels and one
 * static shared memory region, on a caller-supplied clock. Just enough of
 * the hypervisor for the shim's tests (the real one lives in xen-dom0less).
 * Event delivery is queued through the clock (setTimeout 0) and follows the
 * 2-level rules roughly: pending bit, mask bit, delivery on bind/unmask.
 */
import { Cpu, MemoryWindow, type Clock } from "@v8r/fvp-core";
import type { DomainContext, EventChannels, EventHandler, GuestEvent, ReservedMemoryNode } from "@v8r/xen-dom0less";
import { XenError } from "@v8r/xen-dom0less";

interface PortState {
  pending: boolean;
  masked: boolean;
  handler: EventHandler | undefined;
  peer: { domain: FakeEvtchn; port: number } | undefined;
}

/** Fake 2-level event channels of one domain. */
export class FakeEvtchn implements EventChannels {
  readonly #clock: Clock;
  readonly #ports = new Map<number, PortState>();
  /** Number of sends made by this domain. */
  sends = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  addPort(port: number): PortState {
    const state: PortState = { pending: false, masked: false, handler: undefined, peer: undefined };
    this.#ports.set(port, state);
    return state;
  }

  ports(): readonly number[] {
    return [...this.#ports.keys()];
  }

  send(port: number): void {
    const state = this.#get(port);
    this.sends++;
    if (state.peer) state.peer.domain.raise(state.peer.port);
  }

  raise(port: number): void {
    const state = this.#get(port);
    if (state.pending) return;
    state.pending = true;
    this.#schedule(port);
  }

  bind(port: number, handler: EventHandler): void {
    this.#get(port).handler = handler;
    this.#schedule(port);
  }

  unbind(port: number): void {
    this.#get(port).handler = undefined;
  }

  mask(port: number): void {
    this.#get(port).masked = true;
  }

  unmask(port: number): void {
    this.#get(port).masked = false;
    this.#schedule(port);
  }

  isPending(port: number): boolean {
    return this.#get(port).pending;
  }

  isMasked(port: number): boolean {
    return this.#get(port).masked;
  }

  clear(port: number): void {
    this.#get(port).pending = false;
  }

  #schedule(port: number): void {
    this.#clock.setTimeout(() => {
      const state = this.#get(port);
      if (!state.pending || state.masked || !state.handler) return;
      state.pending = false;
      state.handler(port);
    }, 0);
  }

  #get(port: number): PortState {
    const state = this.#ports.get(port);
    if (!state) throw new XenError("EINVAL", `[fake-domain] port ${port} is not bound here`);
    return state;
  }
}

/** Connect `a:portA` with `b:portB`. */
export function connect(a: FakeEvtchn, portA: number, b: FakeEvtchn, portB: number): void {
  a.addPort(portA).peer = { domain: b, port: portB };
  b.addPort(portB).peer = { domain: a, port: portA };
}

/** A fake domain plus what tests inspect. */
export interface FakeDomain {
  readonly ctx: DomainContext;
  readonly evtchn: FakeEvtchn;
  readonly cpu: Cpu;
  /** Console output so far. */
  output(): string;
  /** Console lines so far. */
  lines(): string[];
  /** Simulate a control message sent to the domain. */
  control(message: unknown): void;
  /** Events published with ctx.publish. */
  readonly published: GuestEvent[];
  readonly shutdowns: string[];
}

/** Options of {@link createFakeDomain}. */
export interface FakeDomainOptions {
  readonly clock: Clock;
  readonly domid: number;
  readonly name: string;
  readonly bootargs?: string;
  readonly shm?: { readonly id: string; readonly buffer: SharedArrayBuffer; readonly address: number };
  readonly evtchn?: FakeEvtchn;
}

/** One fake domain. */
export function createFakeDomain(opts: FakeDomainOptions): FakeDomain {
  let out = "";
  const controlListeners = new Set<(m: unknown) => void>();
  const published: GuestEvent[] = [];
  const shutdowns: string[] = [];
  const evtchn = opts.evtchn ?? new FakeEvtchn(opts.clock);
  const cpu = new Cpu(opts.domid, opts.clock);
  const shm = opts.shm;
  const reservedMemory: ReservedMemoryNode[] = shm
    ? [{ path: `/reserved-memory/xen-shmem@${shm.address.toString(16)}`, compatible: "xen,shared-memory-v1", address: shm.address, size: shm.buffer.byteLength, xenId: shm.id, xenOffset: 0 }]
    : [];
  const ctx: DomainContext = {
    domid: opts.domid,
    name: opts.name,
    bootargs: opts.bootargs ?? "",
    console: {
      write(data) {
        out += typeof data === "string" ? data : new TextDecoder().decode(data);
      },
      onInput: () => () => {},
    },
    clock: opts.clock,
    cpus: [cpu],
    memoryKiB: 65536,
    reservedMemory,
    mapSharedMemory(id) {
      if (!shm || id !== shm.id) throw new XenError("ENOENT", `[fake-domain] no shared memory ${id} in ${opts.name}`);
      return MemoryWindow.fromDescriptor({ kind: "v8r.window", buffer: shm.buffer, byteOffset: 0, size: shm.buffer.byteLength, base: shm.address, region: shm.id });
    },
    evtchn,
    interrupts: () => [],
    shutdown(reason) {
      shutdowns.push(reason);
    },
    publish(event) {
      published.push(event);
    },
    onControl(listener) {
      controlListeners.add(listener);
      return () => controlListeners.delete(listener);
    },
  };
  return {
    ctx,
    evtchn,
    cpu,
    output: () => out,
    lines: () => out.split("\n").filter((l) => l.length > 0),
    control: (m) => {
      for (const l of controlListeners) l(m);
    },
    published,
    shutdowns,
  };
}

/** Two domains (Zephyr = domid 1, Linux = domid 2) joined by port `port` on both sides and sharing `rpmsg-shm`. */
export function createFakeDomainPair(opts: { clock: Clock; port?: number; shmSize?: number; bootargs?: string; address?: number }) {
  const port = opts.port ?? 0xa;
  const a = new FakeEvtchn(opts.clock);
  const b = new FakeEvtchn(opts.clock);
  connect(a, port, b, port);
  const buffer = new SharedArrayBuffer(opts.shmSize ?? 1 << 20);
  const shm = { id: "rpmsg-shm", buffer, address: opts.address ?? 0x7a000000 };
  const zephyr = createFakeDomain({ clock: opts.clock, domid: 1, name: "zephyr", bootargs: opts.bootargs ?? "", shm, evtchn: a });
  const linux = createFakeDomain({ clock: opts.clock, domid: 2, name: "linux", shm, evtchn: b });
  return { zephyr, linux, shm: buffer, port };
}
