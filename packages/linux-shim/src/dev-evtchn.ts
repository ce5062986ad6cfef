/**
 * `/dev/xen/evtchn`: the Linux user-space interface to Xen event channels
 * (drivers/xen/evtchn.c). A port bound to an open file is masked when it
 * fires and queued in the file's ring for `read()`; writing its number back
 * unmasks it. The ring holds one slot per bound port: it starts at 64 ports
 * with the first bind and doubles whenever the file has more ports bound
 * than slots, so it overflows only when a port is written back before it
 * was read. Static ports (IOCTL_EVTCHN_BIND_STATIC) are never closed in Xen
 * by the file: unbinding or closing detaches them and events keep
 * collecting for the next binder. Ports the file made (BIND_INTERDOMAIN,
 * BIND_UNBOUND_PORT) are closed in Xen when unbound, as Linux does.
 *
 * @module
 */
import { type EventChannelOps, type EventChannels, XenError } from "@v8r/xen-dom0less";
import { LinuxError, type LinuxErrnoName } from "./linux-error.ts";

const E = 0x45; // 'E', the evtchn ioctl type
const ioc = (nr: number, size: number): number => ((size << 16) | (E << 8) | nr) >>> 0;

/** `IOCTL_EVTCHN_BIND_INTERDOMAIN` (`_IOC(_IOC_NONE, 'E', 1, 8)`): bind a port another domain left unbound for us; returns the local port. */
export const IOCTL_EVTCHN_BIND_INTERDOMAIN: number = ioc(1, 8);
/** `IOCTL_EVTCHN_BIND_UNBOUND_PORT` (`_IOC(_IOC_NONE, 'E', 2, 4)`): allocate a port another domain may bind; returns it. */
export const IOCTL_EVTCHN_BIND_UNBOUND_PORT: number = ioc(2, 4);
/** `IOCTL_EVTCHN_UNBIND` (`_IOC(_IOC_NONE, 'E', 3, 4)`): detach a port from this file. */
export const IOCTL_EVTCHN_UNBIND: number = ioc(3, 4);
/** `IOCTL_EVTCHN_NOTIFY` (`_IOC(_IOC_NONE, 'E', 4, 4)`): send an event on a port bound to this file. */
export const IOCTL_EVTCHN_NOTIFY: number = ioc(4, 4);
/** `IOCTL_EVTCHN_RESET` (`_IOC(_IOC_NONE, 'E', 5, 0)`): empty the ring and clear an overflow. */
export const IOCTL_EVTCHN_RESET: number = ioc(5, 0);
/** `IOCTL_EVTCHN_BIND_STATIC` (`_IOC(_IOC_NONE, 'E', 7, 4)`): bind a static (Xen-created) port to this file. */
export const IOCTL_EVTCHN_BIND_STATIC: number = ioc(7, 4);

/** Slots of a file's ring after its first bind (Linux's first allocation). */
export const EVTCHN_RING_INITIAL_SIZE = 64;
/** Ports one `read()` returns at most: a page of 32-bit port numbers, as Linux caps a read. */
export const EVTCHN_READ_MAX_PORTS = 1024;

/** The argument of the port ioctls (`struct ioctl_evtchn_bind`, `struct ioctl_evtchn_notify`, `struct ioctl_evtchn_unbind`). */
export interface EvtchnPortArg {
  /** The local port. */
  readonly port: number;
}

/** `struct ioctl_evtchn_bind_interdomain`. */
export interface EvtchnBindInterdomainArg {
  /** The domain whose port to bind. */
  readonly remote_domain: number;
  /** Its unbound port. */
  readonly remote_port: number;
}

/** `struct ioctl_evtchn_bind_unbound_port`. */
export interface EvtchnBindUnboundArg {
  /** The domain allowed to bind the new port. */
  readonly remote_domain: number;
}

/** The evtchn ioctl request numbers. */
export type EvtchnIoctl =
  | typeof IOCTL_EVTCHN_BIND_INTERDOMAIN
  | typeof IOCTL_EVTCHN_BIND_UNBOUND_PORT
  | typeof IOCTL_EVTCHN_UNBIND
  | typeof IOCTL_EVTCHN_NOTIFY
  | typeof IOCTL_EVTCHN_RESET
  | typeof IOCTL_EVTCHN_BIND_STATIC;

type Waiter = { readonly max: number; resolve(ports: Uint32Array): void; reject(err: unknown): void };

/**
 * The `/dev/xen/evtchn` character device of one domain. Each `open()` gives
 * an independent file; a port can be bound to one open file at a time.
 *
 * @example
 * ```ts
 * const dev = new EvtchnDevice(ctx.evtchn, ctx.evtchnOps);
 * const f = dev.open();
 * f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
 * const fired = await f.read(); // Uint32Array [10]
 * f.write(fired); // unmask
 * f.ioctl(IOCTL_EVTCHN_NOTIFY, { port: 10 });
 * ```
 */
export class EvtchnDevice {
  readonly #evtchn: EventChannels;
  readonly #ops: EventChannelOps | undefined;
  readonly #owners = new Map<number, EvtchnFile>();

  /** A device over the domain's event channels and, for the BIND_INTERDOMAIN/BIND_UNBOUND_PORT ioctls, its event-channel hypercalls. */
  constructor(evtchn: EventChannels, ops?: EventChannelOps) {
    if (evtchn === null || typeof evtchn !== "object" || typeof evtchn.bind !== "function") {
      throw new TypeError("[linux-shim] EvtchnDevice needs the domain's EventChannels (ctx.evtchn)");
    }
    this.#evtchn = evtchn;
    this.#ops = ops;
  }

  /** `open("/dev/xen/evtchn", O_RDWR)`. */
  open(): EvtchnFile {
    return new EvtchnFile(this.#evtchn, this.#ops, this.#owners);
  }
}

/** An open `/dev/xen/evtchn` file. */
export class EvtchnFile {
  readonly #evtchn: EventChannels;
  readonly #ops: EventChannelOps | undefined;
  readonly #owners: Map<number, EvtchnFile>;
  /** Bound ports: whether each is enabled (not fired since written back) and whether it is static. */
  readonly #ports = new Map<number, { enabled: boolean; readonly isStatic: boolean }>();
  readonly #ring: number[] = [];
  #ringSize = 0;
  readonly #waiters: Waiter[] = [];
  #overflow = false;
  #closed = false;

  /** Use {@link EvtchnDevice.open}. */
  constructor(evtchn: EventChannels, ops: EventChannelOps | undefined, owners: Map<number, EvtchnFile>) {
    this.#evtchn = evtchn;
    this.#ops = ops;
    this.#owners = owners;
  }

  /** Whether the file was closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Slots of the ring now (0 before the first bind; it grows, never shrinks). */
  get ringSize(): number {
    return this.#ringSize;
  }

  /** The ports bound to this file, ascending. */
  boundPorts(): number[] {
    return [...this.#ports.keys()].sort((a, b) => a - b);
  }

  /** Run an evtchn ioctl: the port for the bind ioctls, else 0. Unknown requests fail with ENOTTY. */
  ioctl(request: EvtchnIoctl, arg?: EvtchnPortArg | EvtchnBindInterdomainArg | EvtchnBindUnboundArg): number {
    this.#checkOpen("ioctl");
    switch (request) {
      case IOCTL_EVTCHN_BIND_STATIC:
        return this.#bindStatic(portOf(arg, "IOCTL_EVTCHN_BIND_STATIC"));
      case IOCTL_EVTCHN_BIND_INTERDOMAIN: {
        const a = arg as Partial<EvtchnBindInterdomainArg> | undefined;
        const what = "IOCTL_EVTCHN_BIND_INTERDOMAIN";
        const dom = intArg(a?.remote_domain, "arg.remote_domain", what, 0, 0xffff);
        const port = intArg(a?.remote_port, "arg.remote_port", what, 0, 0xffffffff);
        return this.#bindNew(what, (ops) => ops.bindInterdomain(dom, port));
      }
      case IOCTL_EVTCHN_BIND_UNBOUND_PORT: {
        const what = "IOCTL_EVTCHN_BIND_UNBOUND_PORT";
        const dom = intArg((arg as Partial<EvtchnBindUnboundArg> | undefined)?.remote_domain, "arg.remote_domain", what, 0, 0xffff);
        return this.#bindNew(what, (ops) => ops.allocUnbound(dom));
      }
      case IOCTL_EVTCHN_NOTIFY:
        this.#notify(portOf(arg, "IOCTL_EVTCHN_NOTIFY"));
        return 0;
      case IOCTL_EVTCHN_UNBIND:
        this.#unbind(portOf(arg, "IOCTL_EVTCHN_UNBIND"), "IOCTL_EVTCHN_UNBIND");
        return 0;
      case IOCTL_EVTCHN_RESET:
        this.#ring.length = 0;
        this.#overflow = false;
        return 0;
      default:
        throw new LinuxError("ENOTTY", `[linux-shim] /dev/xen/evtchn: unknown ioctl request 0x${Number(request).toString(16)}`);
    }
  }

  /**
   * Wait until at least one bound port fired, then resolve with the ports
   * (at most `maxPorts`, and at most a page of them, oldest first). They stay
   * masked until written back. Rejects with EFBIG after a ring overflow
   * (until IOCTL_EVTCHN_RESET) and with EBADF when the file is closed while waiting.
   */
  read(maxPorts = EVTCHN_READ_MAX_PORTS): Promise<Uint32Array> {
    if (!Number.isInteger(maxPorts) || maxPorts < 1) {
      return Promise.reject(new RangeError(`[linux-shim] /dev/xen/evtchn read: maxPorts must be a positive integer, got ${maxPorts}`));
    }
    try {
      this.#checkOpen("read");
      this.#checkOverflow();
    } catch (err) {
      return Promise.reject(err);
    }
    const max = Math.min(maxPorts, EVTCHN_READ_MAX_PORTS);
    if (this.#ring.length > 0 && this.#waiters.length === 0) return Promise.resolve(this.#take(max));
    return new Promise((resolve, reject) => this.#waiters.push({ max, resolve, reject }));
  }

  /** Unmask the given ports (those bound to this file that fired); returns how many numbers were written. */
  write(ports: ArrayLike<number>): number {
    this.#checkOpen("write");
    for (let i = 0; i < ports.length; i++) {
      const port = ports[i] ?? 0;
      const state = this.#ports.get(port);
      if (state === undefined || state.enabled) continue;
      state.enabled = true;
      this.#evtchn.unmask(port);
    }
    return ports.length;
  }

  /** Close the file: detach and mask its ports (static ones stay bound in Xen, the others are closed), reject waiting reads with EBADF. */
  close(): void {
    if (this.#closed) return;
    for (const port of [...this.#ports.keys()]) this.#unbind(port, "close");
    this.#closed = true;
    const err = new LinuxError("EBADF", "[linux-shim] /dev/xen/evtchn read: the file was closed while waiting");
    for (const w of this.#waiters.splice(0)) w.reject(err);
  }

  #bindStatic(port: number): number {
    const what = "IOCTL_EVTCHN_BIND_STATIC";
    if (this.#ports.has(port)) throw new LinuxError("EISCONN", `[linux-shim] ${what}: port ${port} is already bound to this file`);
    if (this.#owners.has(port)) throw new LinuxError("EBUSY", `[linux-shim] ${what}: port ${port} is already bound to another open file`);
    if (!this.#evtchn.ports().includes(port)) {
      throw new LinuxError("EINVAL", `[linux-shim] ${what}: port ${port} is not a static event channel of this domain`);
    }
    this.#attach(port, true);
    return 0;
  }

  /** A bind ioctl that makes a port in Xen first: the new port, bound to this file. */
  #bindNew(what: string, hypercall: (ops: EventChannelOps) => number): number {
    const ops = this.#ops;
    if (ops === undefined) throw new LinuxError("ENOSYS", `[linux-shim] ${what}: this host has no event-channel hypercalls`);
    let port: number;
    try {
      port = hypercall(ops);
    } catch (e) {
      throw fromXen(what, e);
    }
    this.#attach(port, false);
    return port;
  }

  #attach(port: number, isStatic: boolean): void {
    this.#owners.set(port, this);
    this.#ports.set(port, { enabled: true, isStatic });
    if (this.#ports.size > this.#ringSize) this.#ringSize = this.#ringSize === 0 ? EVTCHN_RING_INITIAL_SIZE : 2 * this.#ringSize;
    this.#evtchn.bind(port, (p) => this.#fired(p));
    this.#evtchn.unmask(port);
  }

  #unbind(port: number, what: string): void {
    const state = this.#ports.get(port);
    if (state === undefined) throw new LinuxError("ENOTCONN", `[linux-shim] ${what}: port ${port} is not bound to this file`);
    this.#evtchn.mask(port);
    this.#evtchn.unbind(port);
    this.#ports.delete(port);
    this.#owners.delete(port);
    if (state.isStatic) return;
    try {
      this.#ops?.close(port);
    } catch {
      // the peer may have closed it already; Linux ignores the result too
    }
  }

  #notify(port: number): void {
    if (!this.#ports.has(port)) {
      throw new LinuxError("ENOTCONN", `[linux-shim] IOCTL_EVTCHN_NOTIFY: port ${port} is not bound to this file`);
    }
    this.#evtchn.send(port);
  }

  #fired(port: number): void {
    const state = this.#ports.get(port);
    if (state === undefined || this.#closed) return;
    this.#evtchn.mask(port);
    state.enabled = false;
    if (this.#ring.length >= this.#ringSize) this.#overflow = true;
    else this.#ring.push(port);
    this.#wake();
  }

  #wake(): void {
    while (this.#waiters.length > 0) {
      const w = this.#waiters[0];
      if (w === undefined) return;
      if (this.#overflow) {
        this.#waiters.shift();
        w.reject(this.#overflowError());
        continue;
      }
      if (this.#ring.length === 0) return;
      this.#waiters.shift();
      w.resolve(this.#take(w.max));
    }
  }

  #take(max: number): Uint32Array {
    return Uint32Array.from(this.#ring.splice(0, Math.min(max, this.#ring.length)));
  }

  #checkOverflow(): void {
    if (this.#overflow) throw this.#overflowError();
  }

  #overflowError(): LinuxError {
    return new LinuxError("EFBIG", `[linux-shim] /dev/xen/evtchn read: the event ring overflowed (${this.#ringSize} ports); reset it with IOCTL_EVTCHN_RESET`);
  }

  #checkOpen(op: string): void {
    if (this.#closed) throw new LinuxError("EBADF", `[linux-shim] /dev/xen/evtchn ${op}: the file is closed`);
  }
}

function fromXen(what: string, e: unknown): unknown {
  if (!(e instanceof XenError)) return e;
  return new LinuxError(e.code as LinuxErrnoName, `[linux-shim] ${what}: ${e.message}`, { cause: e });
}

function portOf(arg: unknown, what: string): number {
  return intArg((arg as Partial<EvtchnPortArg> | undefined)?.port, "arg.port", what, 1, 0xffffffff);
}

/** An integer argument field in `min..max`; TypeError naming it otherwise. */
function intArg(value: unknown, name: string, what: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`[linux-shim] ${what}: ${name} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
  return value;
}
