/**
 * A small stand-in for the hypervisor in tests: two domains joined by
 * static event channels (2-level semantics: pending, mask, missed events,
 * delivery as a clock task) and one static shared memory region.
 */
import { Cpu, MemoryWindow, VirtualClock } from "@v8r/fvp-core";
import type { DomainContext, EventChannels, EventHandler, GuestEvent, ReservedMemoryNode } from "@v8r/xen-dom0less";
import { XenError } from "@v8r/xen-dom0less";

/** Test hooks of one fake domain besides its DomainContext. */
export interface FakeDomain {
  readonly ctx: DomainContext;
  /** Everything written on the console. */
  output(): string;
  /** Forget the console output so far. */
  clearOutput(): void;
  /** Type text on the console. */
  type(text: string): void;
  /** Events passed to ctx.publish. */
  readonly published: GuestEvent[];
  /** Deliver a control message. */
  control(message: unknown): void;
  /** Shutdown requests. */
  readonly shutdowns: string[];
  /** Counters of event deliveries per port. */
  readonly delivered: Map<number, number>;
}

/** Options of {@link createFakePair}. */
export interface FakePairOptions {
  readonly clock?: VirtualClock;
  readonly shmId?: string;
  readonly shmSize?: number;
  readonly shmAddress?: number;
  /** Static ports joined pairwise (same number on both sides). */
  readonly ports?: readonly number[];
  readonly bootargsA?: string;
  readonly bootargsB?: string;
}

class FakeEvtchn implements EventChannels {
  peer: FakeEvtchn | undefined;
  readonly pending = new Set<number>();
  readonly masked = new Set<number>();
  readonly handlers = new Map<number, EventHandler>();
  readonly #ports: readonly number[];
  readonly #clock: VirtualClock;
  readonly #delivered: Map<number, number>;

  constructor(ports: readonly number[], clock: VirtualClock, delivered: Map<number, number>) {
    this.#ports = ports;
    this.#clock = clock;
    this.#delivered = delivered;
  }
  ports(): readonly number[] {
    return this.#ports;
  }
  send(port: number): void {
    this.#check(port, "send");
    this.peer?.raise(port);
  }
  raise(port: number): void {
    const was = this.pending.has(port);
    this.pending.add(port);
    if (!was) this.#maybeDeliver(port);
  }
  bind(port: number, handler: EventHandler): void {
    this.#check(port, "bind");
    this.handlers.set(port, handler);
    this.#maybeDeliver(port);
  }
  unbind(port: number): void {
    this.#check(port, "unbind");
    this.handlers.delete(port);
  }
  mask(port: number): void {
    this.#check(port, "mask");
    this.masked.add(port);
  }
  unmask(port: number): void {
    this.#check(port, "unmask");
    this.masked.delete(port);
    this.#maybeDeliver(port);
  }
  isPending(port: number): boolean {
    return this.pending.has(port);
  }
  isMasked(port: number): boolean {
    return this.masked.has(port);
  }
  #maybeDeliver(port: number): void {
    if (!this.pending.has(port) || this.masked.has(port) || !this.handlers.has(port)) return;
    this.#clock.setTimeout(() => {
      const h = this.handlers.get(port);
      if (!this.pending.has(port) || this.masked.has(port) || h === undefined) return;
      this.pending.delete(port);
      this.#delivered.set(port, (this.#delivered.get(port) ?? 0) + 1);
      h(port);
    }, 0);
  }
  #check(port: number, op: string): void {
    if (!this.#ports.includes(port)) throw new XenError("EINVAL", `[fake-xen] ${op} on unbound port ${port}`);
  }
}

function fakeDomain(
  domid: number,
  name: string,
  bootargs: string,
  clock: VirtualClock,
  evtchn: FakeEvtchn,
  delivered: Map<number, number>,
  shm: { id: string; node: ReservedMemoryNode; window: MemoryWindow },
): FakeDomain {
  let out = "";
  const inputs = new Set<(d: Uint8Array) => void>();
  const controls = new Set<(m: unknown) => void>();
  const published: FakeDomain["published"] = [];
  const shutdowns: string[] = [];
  const ctx: DomainContext = {
    domid,
    name,
    bootargs,
    console: {
      write(data) {
        out += typeof data === "string" ? data : new TextDecoder().decode(data);
      },
      onInput(listener) {
        inputs.add(listener);
        return () => inputs.delete(listener);
      },
    },
    clock,
    cpus: [new Cpu(domid, clock)],
    memoryKiB: 262144,
    reservedMemory: [shm.node],
    mapSharedMemory(id) {
      if (id !== shm.id) throw new XenError("ENOENT", `[fake-xen] no shared memory "${id}" in ${name}`);
      return shm.window;
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
      controls.add(listener);
      return () => controls.delete(listener);
    },
  };
  return {
    ctx,
    output: () => out,
    clearOutput: () => {
      out = "";
    },
    type(text) {
      const bytes = new TextEncoder().encode(text);
      for (const l of [...inputs]) l(bytes);
    },
    published,
    control(message) {
      for (const l of [...controls]) l(message);
    },
    shutdowns,
    delivered,
  };
}

/** Two domains ("zephyr" domid 1, "linux" domid 2) sharing one region and static ports. */
export function createFakePair(opts: FakePairOptions = {}): { clock: VirtualClock; a: FakeDomain; b: FakeDomain; buffer: SharedArrayBuffer } {
  const clock = opts.clock ?? new VirtualClock();
  const id = opts.shmId ?? "rpmsg-shm";
  const size = opts.shmSize ?? 0x10000;
  const address = opts.shmAddress ?? 0x7a000000;
  const ports = opts.ports ?? [0xa];
  const buffer = new SharedArrayBuffer(size);
  const window = MemoryWindow.fromDescriptor({ kind: "v8r.window", buffer, byteOffset: 0, size, base: address, region: id });
  const node: ReservedMemoryNode = {
    path: `/reserved-memory/xen-shmem@${address.toString(16)}`,
    compatible: "xen,shared-memory-v1",
    address,
    size,
    xenId: id,
    xenOffset: 0,
  };
  const da = new Map<number, number>();
  const db = new Map<number, number>();
  const ea = new FakeEvtchn(ports, clock, da);
  const eb = new FakeEvtchn(ports, clock, db);
  ea.peer = eb;
  eb.peer = ea;
  const shm = { id, node, window };
  return {
    clock,
    buffer,
    a: fakeDomain(1, "zephyr", opts.bootargsA ?? "", clock, ea, da, shm),
    b: fakeDomain(2, "linux", opts.bootargsB ?? "", clock, eb, db, shm),
  };
}
