/**
 * `/dev/xen/evtchn`: the Linux user-space interface to Xen event channels,
 * over a domain's static channels. A port bound to an open file is masked
 * when it fires and queued for `read()`; writing its number back unmasks it.
 * Closing the file detaches the handlers but never closes a static port in
 * Xen: events keep collecting as pending and reach the next file that binds it.
 *
 * @module
 */
import type { EventChannels } from "@v8r/xen-dom0less";
import { LinuxError } from "./linux-error.ts";

const E = 0x45; // 'E', the evtchn ioctl type
const ioc = (nr: number, size: number): number => ((size << 16) | (E << 8) | nr) >>> 0;

/** `IOCTL_EVTCHN_UNBIND` (`_IOC(_IOC_NONE, 'E', 3, 4)`): detach a port from this file. */
export const IOCTL_EVTCHN_UNBIND = ioc(3, 4);
/** `IOCTL_EVTCHN_NOTIFY` (`_IOC(_IOC_NONE, 'E', 4, 4)`): send an event on a port bound to this file. */
export const IOCTL_EVTCHN_NOTIFY = ioc(4, 4);
/** `IOCTL_EVTCHN_RESET` (`_IOC(_IOC_NONE, 'E', 5, 0)`): empty the ring and clear an overflow. */
export const IOCTL_EVTCHN_RESET = ioc(5, 0);
/** `IOCTL_EVTCHN_BIND_STATIC` (`_IOC(_IOC_NONE, 'E', 7, 4)`): bind a static (Xen-created) port to this file. */
export const IOCTL_EVTCHN_BIND_STATIC = ioc(7, 4);

/** Ports the ring holds before it overflows (a page of 32-bit port numbers, as in Linux). */
export const EVTCHN_RING_SIZE = 1024;

/** The argument of the port ioctls (`struct ioctl_evtchn_bind`, `struct ioctl_evtchn_notify`, ...). */
export interface EvtchnPortArg {
  /** The local port. */
  readonly port: number;
}

/** The evtchn ioctl request numbers. */
export type EvtchnIoctl =
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
 * const dev = new EvtchnDevice(ctx.evtchn);
 * const f = dev.open();
 * f.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
 * const fired = await f.read(); // Uint32Array [10]
 * f.write(fired); // unmask
 * f.ioctl(IOCTL_EVTCHN_NOTIFY, { port: 10 });
 * ```
 */
export class EvtchnDevice {
  readonly #evtchn: EventChannels;
  readonly #owners = new Map<number, EvtchnFile>();

  /** A device over the domain's event channels. */
  constructor(evtchn: EventChannels) {
    if (evtchn === null || typeof evtchn !== "object" || typeof evtchn.bind !== "function") {
      throw new TypeError("[linux-shim] EvtchnDevice needs the domain's EventChannels (ctx.evtchn)");
    }
    this.#evtchn = evtchn;
  }

  /** `open("/dev/xen/evtchn", O_RDWR)`. */
  open(): EvtchnFile {
    return new EvtchnFile(this.#evtchn, this.#owners);
  }
}

/** An open `/dev/xen/evtchn` file. */
export class EvtchnFile {
  readonly #evtchn: EventChannels;
  readonly #owners: Map<number, EvtchnFile>;
  readonly #ports = new Map<number, { enabled: boolean }>();
  readonly #ring: number[] = [];
  readonly #waiters: Waiter[] = [];
  #overflow = false;
  #closed = false;

  /** Use {@link EvtchnDevice.open}. */
  constructor(evtchn: EventChannels, owners: Map<number, EvtchnFile>) {
    this.#evtchn = evtchn;
    this.#owners = owners;
  }

  /** Whether the file was closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The ports bound to this file, ascending. */
  boundPorts(): number[] {
    return [...this.#ports.keys()].sort((a, b) => a - b);
  }

  /** Run an evtchn ioctl; returns 0. Unknown requests fail with ENOTTY. */
  ioctl(request: EvtchnIoctl, arg?: EvtchnPortArg): number {
    this.#checkOpen("ioctl");
    switch (request) {
      case IOCTL_EVTCHN_BIND_STATIC:
        this.#bindStatic(portOf(arg, "IOCTL_EVTCHN_BIND_STATIC"));
        return 0;
      case IOCTL_EVTCHN_NOTIFY:
        this.#notify(portOf(arg, "IOCTL_EVTCHN_NOTIFY"));
        return 0;
      case IOCTL_EVTCHN_UNBIND:
        this.#unbind(portOf(arg, "IOCTL_EVTCHN_UNBIND"));
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
   * (at most `maxPorts`, oldest first). They stay masked until written back.
   * Rejects with EFBIG after a ring overflow (until IOCTL_EVTCHN_RESET) and
   * with EBADF when the file is closed while waiting.
   */
  read(maxPorts = EVTCHN_RING_SIZE): Promise<Uint32Array> {
    if (!Number.isInteger(maxPorts) || maxPorts < 1) {
      return Promise.reject(new RangeError(`[linux-shim] /dev/xen/evtchn read: maxPorts must be a positive integer, got ${maxPorts}`));
    }
    try {
      this.#checkOpen("read");
      this.#checkOverflow();
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#ring.length > 0 && this.#waiters.length === 0) return Promise.resolve(this.#take(maxPorts));
    return new Promise((resolve, reject) => this.#waiters.push({ max: maxPorts, resolve, reject }));
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

  /** Close the file: detach and mask its ports (they stay bound in Xen), reject waiting reads with EBADF. */
  close(): void {
    if (this.#closed) return;
    for (const port of [...this.#ports.keys()]) this.#unbind(port);
    this.#closed = true;
    const err = new LinuxError("EBADF", "[linux-shim] /dev/xen/evtchn read: the file was closed while waiting");
    for (const w of this.#waiters.splice(0)) w.reject(err);
  }

  #bindStatic(port: number): void {
    const owner = this.#owners.get(port);
    if (owner === this) return;
    if (owner !== undefined) {
      throw new LinuxError("EBUSY", `[linux-shim] IOCTL_EVTCHN_BIND_STATIC: port ${port} is already bound to another open file`);
    }
    if (!this.#evtchn.ports().includes(port)) {
      throw new LinuxError("EINVAL", `[linux-shim] IOCTL_EVTCHN_BIND_STATIC: port ${port} is not a static event channel of this domain`);
    }
    this.#owners.set(port, this);
    this.#ports.set(port, { enabled: true });
    this.#evtchn.bind(port, (p) => this.#fired(p));
    this.#evtchn.unmask(port);
  }

  #unbind(port: number): void {
    if (!this.#ports.has(port)) {
      throw new LinuxError("ENOTCONN", `[linux-shim] IOCTL_EVTCHN_UNBIND: port ${port} is not bound to this file`);
    }
    this.#evtchn.mask(port);
    this.#evtchn.unbind(port);
    this.#ports.delete(port);
    this.#owners.delete(port);
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
    if (this.#ring.length >= EVTCHN_RING_SIZE) this.#overflow = true;
    else this.#ring.push(port);
    this.#wake();
  }

  #wake(): void {
    while (this.#waiters.length > 0) {
      const w = this.#waiters[0];
      if (w === undefined) return;
      if (this.#overflow) {
        this.#waiters.shift();
        w.reject(overflowError());
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
    if (this.#overflow) throw overflowError();
  }

  #checkOpen(op: string): void {
    if (this.#closed) throw new LinuxError("EBADF", `[linux-shim] /dev/xen/evtchn ${op}: the file is closed`);
  }
}

function overflowError(): LinuxError {
  return new LinuxError("EFBIG", `[linux-shim] /dev/xen/evtchn read: the event ring overflowed (${EVTCHN_RING_SIZE} ports); reset it with IOCTL_EVTCHN_RESET`);
}

function portOf(arg: EvtchnPortArg | undefined, what: string): number {
  const port = arg?.port;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 0xffffffff) {
    throw new TypeError(`[linux-shim] ${what}: arg.port must be a positive integer port number, got ${String(port)}`);
  }
  return port;
}
