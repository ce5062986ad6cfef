/**
 * Test helper: an in-JS RPMsg link with the semantics the IPC backend
 * relies on (name service, bounded buffers per direction, doorbells,
 * host re-init noticed by the remote), for testing the IPC service
 * without the wasm device. Both ends find each other
 * through the shared memory buffer they are given.
 */
import { LinkError, RPMSG_ADDR_ANY, type LinkEndpoint, type LinkEndpointOptions, type LinkFactory, type LinkOptions, type LinkTxBuffer, type RpmsgLink } from "../src/ipc/rpmsg-link.ts";

type Msg = { kind: "data"; src: number; dst: number; data: Uint8Array } | { kind: "ns"; name: string; addr: number; destroy: boolean };

interface Wire {
  generation: number;
  h2r: Msg[];
  r2h: Msg[];
  hostUp: Array<() => void>;
}

const wires = new WeakMap<SharedArrayBuffer, Wire>();

function wireOf(buffer: SharedArrayBuffer): Wire {
  let wire = wires.get(buffer);
  if (!wire) {
    wire = { generation: 0, h2r: [], r2h: [], hostUp: [] };
    wires.set(buffer, wire);
  }
  return wire;
}

/** Options of the fake link: `num` buffers per direction (default 8). */
export function fakeLinkFactory(opts: { num?: number } = {}): LinkFactory & { devices: FakeLink[] } {
  const devices: FakeLink[] = [];
  const factory = async (o: LinkOptions) => {
    const link = new FakeLink(o, opts.num ?? 8);
    devices.push(link);
    return link;
  };
  return Object.assign(factory, { devices });
}

interface Ept {
  addr: number;
  dst: number;
  opts: LinkEndpointOptions;
  alive: boolean;
}

/** One end of the fake link. */
export class FakeLink implements RpmsgLink {
  readonly maxPayload: number;
  readonly ready: Promise<void>;
  readonly #o: LinkOptions;
  readonly #wire: Wire;
  readonly #num: number;
  readonly #eps = new Map<number, Ept>();
  #nextAddr = 1024;
  #generation: number;
  #disposed = false;
  sent = 0;
  received = 0;

  constructor(o: LinkOptions, num: number) {
    this.#o = o;
    this.#num = num;
    this.maxPayload = o.bufferSize - 16;
    this.#wire = wireOf(o.shm.buffer);
    if (o.role === "host") {
      this.#wire.generation++;
      this.#wire.h2r = [];
      this.#wire.r2h = [];
      this.#generation = this.#wire.generation;
      for (const up of this.#wire.hostUp.splice(0)) up();
      this.ready = Promise.resolve();
    } else {
      this.#generation = this.#wire.generation;
      this.ready = this.#generation > 0 ? Promise.resolve() : new Promise((r) => this.#wire.hostUp.push(r));
    }
  }

  get #out(): Msg[] {
    return this.#o.role === "host" ? this.#wire.h2r : this.#wire.r2h;
  }

  get #in(): Msg[] {
    return this.#o.role === "host" ? this.#wire.r2h : this.#wire.h2r;
  }

  notified(): void {
    if (this.#disposed) return;
    if (this.#o.role === "remote" && this.#wire.generation !== this.#generation) this.#reset();
    const incoming = this.#in.splice(0);
    for (const msg of incoming) this.#dispatch(msg);
  }

  createEndpoint(opts: LinkEndpointOptions): LinkEndpoint {
    const ept: Ept = { addr: this.#nextAddr++, dst: opts.dst ?? RPMSG_ADDR_ANY, opts, alive: true };
    this.#eps.set(ept.addr, ept);
    if (ept.dst === RPMSG_ADDR_ANY && this.#o.role === "remote") this.#push({ kind: "ns", name: opts.name, addr: ept.addr, destroy: false });
    return this.#endpoint(ept);
  }

  txBuffers() {
    return { free: this.#num - this.#out.length, total: this.#num };
  }

  stats() {
    return { sent: this.sent, received: this.received, queuedOut: this.#out.length };
  }

  dispose(): void {
    this.#disposed = true;
  }

  #endpoint(ept: Ept): LinkEndpoint {
    const trySend = (data: Uint8Array): number => {
      if (!ept.alive || this.#disposed) throw new LinkError("ENOTCONN", "fake: endpoint destroyed");
      if (ept.dst === RPMSG_ADDR_ANY) throw new LinkError("ENOTCONN", "fake: no destination");
      if (data.length > this.maxPayload) throw new LinkError("EMSGSIZE", "fake: too big");
      if (this.#o.role === "host" && this.#wire.generation !== this.#generation) throw new LinkError("EIO", "fake: stale device");
      if (this.#out.length >= this.#num) throw new LinkError("ENOMEM", "fake: no free TX buffer");
      this.#push({ kind: "data", src: ept.addr, dst: ept.dst, data: data.slice() });
      this.sent++;
      return data.length;
    };
    const waitForBuffer = async <T>(attempt: () => T, timeoutMs: number): Promise<T> => {
      for (let waited = 0; ; waited++) {
        try {
          return attempt();
        } catch (e) {
          if (!(e instanceof LinkError) || e.code !== "ENOMEM" || waited >= timeoutMs) throw e;
          await new Promise<void>((resolve) => this.#o.clock.setTimeout(resolve, 1));
        }
      }
    };
    const lend = (): LinkTxBuffer => {
      if (this.#out.length >= this.#num) throw new LinkError("ENOMEM", "fake: no free TX buffer");
      return { data: new Uint8Array(this.maxPayload), size: this.maxPayload };
    };
    return {
      addr: ept.addr,
      trySend,
      send: (data, timeoutMs) => {
        if (ept.dst === RPMSG_ADDR_ANY) return Promise.reject(new LinkError("ENOTCONN", "fake: no destination"));
        return waitForBuffer(() => trySend(data), timeoutMs);
      },
      getTxBuffer: (timeoutMs) => waitForBuffer(lend, timeoutMs),
      sendNoCopy: (buffer, len) => trySend(buffer.data.subarray(0, len)),
      hold: () => ({ release: () => {} }),
      destroy: () => {
        if (!ept.alive) return;
        ept.alive = false;
        this.#eps.delete(ept.addr);
        if (this.#out.length < this.#num) this.#push({ kind: "ns", name: ept.opts.name, addr: ept.addr, destroy: true });
      },
    };
  }

  #push(msg: Msg): void {
    this.#out.push(msg);
    this.#o.notify();
  }

  #dispatch(msg: Msg): void {
    if (msg.kind === "ns") {
      if (msg.destroy) {
        for (const ept of this.#eps.values()) {
          if (ept.dst === msg.addr) {
            ept.dst = RPMSG_ADDR_ANY;
            ept.opts.onUnbound?.();
          }
        }
        return;
      }
      const local = [...this.#eps.values()].find((e) => e.opts.name === msg.name);
      if (local) {
        local.dst = msg.addr;
        local.opts.onBound?.(msg.addr);
      }
      else this.#o.onNameService(msg.name, msg.addr);
      return;
    }
    const ept = this.#eps.get(msg.dst);
    if (!ept) return;
    if (ept.dst === RPMSG_ADDR_ANY) ept.dst = msg.src;
    this.received++;
    ept.opts.onMessage(msg.data, msg.src);
  }

  /** The host re-initialised: forget bindings, re-announce. */
  #reset(): void {
    this.#generation = this.#wire.generation;
    for (const ept of this.#eps.values()) {
      const wasBound = ept.dst !== RPMSG_ADDR_ANY;
      ept.dst = RPMSG_ADDR_ANY;
      if (wasBound) ept.opts.onUnbound?.();
      this.#push({ kind: "ns", name: ept.opts.name, addr: ept.addr, destroy: false });
    }
  }
}
