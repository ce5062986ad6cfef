import { RpmsgError, RpmsgErrorCode } from "./errors.ts";

/** RPMSG_ADDR_ANY: no address / not bound. */
export const RPMSG_ADDR_ANY = 0xffffffff;

/** Options of {@link RpmsgDevice.createEndpoint}. */
export interface EndpointOptions {
  /** Service name (at most 31 UTF-8 bytes); announced when dst is ANY and the link has name service. */
  name: string;
  /** Local address; default: a dynamic one from 1024. */
  src?: number;
  /** Remote address; default ANY (bound by the peer's announcement or first message). */
  dst?: number;
  /**
   * Called for each message. `data` is a view of shared memory, valid only
   * during the call unless {@link RpmsgEndpoint.hold} is called.
   */
  onMessage(data: Uint8Array, src: number): void;
  /** Called when the endpoint gets a destination. */
  onBound?(dst: number): void;
  /** Called when the peer destroys its side (destination back to ANY). */
  onUnbound?(): void;
}

/** Options of a sending call. */
export interface SendOptions {
  /** How long to wait for a free buffer or for binding (default: the device's sendTimeoutMs). */
  timeoutMs?: number;
  /** Destination (default: the endpoint's). */
  dst?: number;
  /** Source address (default: the endpoint's); sending "off channel". */
  src?: number;
}

/** A received buffer kept past its callback; give it back with release(). */
export interface HeldBuffer {
  /** The payload (a view of shared memory). */
  readonly data: Uint8Array;
  /** Return the buffer to the peer. */
  release(): void;
}

/** A transmit buffer lent by {@link RpmsgEndpoint.getTxBuffer}: fill `data`, then send or release. */
export interface TxBuffer {
  /** Payload area in shared memory (its length is the capacity). */
  readonly data: Uint8Array;
  /** Send the first `len` bytes of `data`; returns len. */
  send(len: number, opts?: { dst?: number; src?: number }): number;
  /** Give the buffer back unsent. */
  release(): void;
}

/** @internal What an endpoint needs from its device. */
export interface EndpointCore {
  readonly disposed: boolean;
  readonly defaultTimeoutMs: number;
  /** Take a transmit buffer: its tag (>= 0) or an error code. */
  takeTx(): number;
  /** The payload area of the buffer just taken (a view cached per buffer; its length is the capacity). */
  txView(tag: number): Uint8Array;
  sendTag(tag: number, src: number, dst: number, len: number): number;
  /**
   * trySend()'s path in one call (take a buffer, copy data in, write the header, publish; a buffer not
   * published is given back): the bytes sent, or an error code. When data exceeds the payload size of the
   * buffer taken, the buffer is given back and an RpmsgError RPMSG_ERR_BUFF_SIZE naming both sizes and the
   * endpoint `name` is thrown.
   */
  send(src: number, dst: number, data: Uint8Array, name: string): number;
  releaseTag(tag: number): number;
  hold(): { k: number; data: Uint8Array } | undefined;
  releaseRx(k: number): number;
  waitForWork(deadline: number): Promise<void>;
  now(): number;
  destroyEndpoint(ep: RpmsgEndpoint): void;
  sendCopy(src: number, dst: number, data: Uint8Array): number;
}

/** One RPMsg endpoint of a device. Created by {@link RpmsgDevice.createEndpoint}. */
export class RpmsgEndpoint {
  /** The service name. */
  readonly name: string;
  /** @internal */ handle = 0;
  /** @internal */ readonly opts: EndpointOptions;
  readonly #core: EndpointCore;
  #addr = RPMSG_ADDR_ANY;
  #dest: number;
  #destroyed = false;

  /** @internal */
  constructor(core: EndpointCore, opts: EndpointOptions) {
    this.#core = core;
    this.opts = opts;
    this.name = opts.name;
    this.#dest = opts.dst ?? RPMSG_ADDR_ANY;
  }

  /** Local address (RPMSG_ADDR_ANY until the link is up on a remote). */
  get addr(): number {
    return this.#addr;
  }
  /** Destination address, RPMSG_ADDR_ANY while unbound. */
  get dest(): number {
    return this.#dest;
  }
  /** Whether the endpoint has a destination. */
  get bound(): boolean {
    return this.#dest !== RPMSG_ADDR_ANY && !this.#destroyed;
  }
  /** Whether destroy() was called. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** @internal */
  attached(handle: number, addr: number, dest: number): void {
    this.handle = handle;
    this.#addr = addr;
    this.#dest = dest;
  }
  /** @internal The device was disposed: the endpoint is gone without NS messages. */
  markDisposed(): void {
    this.#destroyed = true;
    this.handle = 0;
  }
  /** @internal */
  destChanged(dest: number): void {
    this.#dest = dest;
    if (dest !== RPMSG_ADDR_ANY) this.opts.onBound?.(dest);
    else this.opts.onUnbound?.();
  }

  #check(doing: string): void {
    if (this.#core.disposed) throw new RpmsgError(RpmsgErrorCode.RPMSG_ERR_DEV_STATE, `${doing} on a disposed device`);
    if (this.#destroyed) throw new RpmsgError(RpmsgErrorCode.RPMSG_ERR_PARAM, `${doing} on destroyed endpoint "${this.name}"`);
  }

  /**
   * Send now or throw: RPMSG_ERR_NO_BUFF when no buffer is free, BUFF_SIZE when
   * data exceeds the payload size, PARAM when unbound. Returns the bytes sent.
   */
  trySend(data: Uint8Array, opts?: SendOptions): number {
    this.#check("trySend()");
    const src = opts?.src ?? this.#addr, dst = opts?.dst ?? this.#dest;
    if (dst === RPMSG_ADDR_ANY || this.handle === 0) {
      throw new RpmsgError(RpmsgErrorCode.RPMSG_ERR_PARAM, `trySend() on "${this.name}", which is not bound`);
    }
    const sent = this.#core.send(src, dst, data, this.name);
    if (sent < 0) throw new RpmsgError(sent, `trySend() on "${this.name}"`);
    return sent;
  }

  /**
   * Upstream-compatible copying send (rpmsg_trysend_offchannel): data longer than
   * the payload size is truncated; returns the bytes sent or throws.
   */
  trySendTruncating(data: Uint8Array, opts?: SendOptions): number {
    this.#check("trySendTruncating()");
    const src = opts?.src ?? this.#addr, dst = opts?.dst ?? this.#dest;
    const ret = this.#core.sendCopy(src, dst, data);
    if (ret < 0) throw new RpmsgError(ret, `trySendTruncating() on "${this.name}"`);
    return ret;
  }

  /**
   * Send, waiting (without blocking the thread) for binding and for a free
   * buffer up to `timeoutMs`; rejects with an RpmsgError carrying the code.
   */
  async send(data: Uint8Array, opts?: SendOptions): Promise<number> {
    const timeout = opts?.timeoutMs ?? this.#core.defaultTimeoutMs;
    if (typeof timeout !== "number" || Number.isNaN(timeout) || timeout < 0 || timeout === -Infinity) {
      throw new TypeError(`[openamp-wasm] send() timeoutMs must be a finite number >= 0 or Infinity, got ${String(timeout)}`);
    }
    const deadline = this.#core.now() + timeout;
    for (;;) {
      try {
        return this.trySend(data, opts);
      } catch (err) {
        const code = err instanceof RpmsgError ? err.errno : 0;
        const live = !this.#destroyed && !this.#core.disposed;
        const retry = live && (code === RpmsgErrorCode.RPMSG_ERR_NO_BUFF || code === RpmsgErrorCode.RPMSG_ERR_DEV_STATE ||
          code === RpmsgErrorCode.RPMSG_ERR_PARAM);
        if (!retry || this.#core.now() >= deadline) throw err;
      }
      await this.#core.waitForWork(deadline);
    }
  }

  /** send() to an explicit destination. */
  sendTo(dst: number, data: Uint8Array, opts?: Omit<SendOptions, "dst">): Promise<number> {
    return this.send(data, { ...opts, dst });
  }

  /** Borrow a transmit buffer to fill in place (zero copy); throws RPMSG_ERR_NO_BUFF when none is free. */
  getTxBuffer(): TxBuffer {
    this.#check("getTxBuffer()");
    const tag = this.#core.takeTx();
    if (tag < 0) throw new RpmsgError(tag, `getTxBuffer() on "${this.name}"`);
    return new LentTxBuffer(this.#core, this, this.#core.txView(tag), tag);
  }

  /** @internal Send a lent buffer (called by TxBuffer.send). */
  sendLent(tag: number, cap: number, len: number, opts: { dst?: number; src?: number } | undefined): number {
    if (!Number.isInteger(len) || len < 0 || len > cap) throw new RangeError(`[openamp-wasm] sendNoCopy() length ${len} is outside 0..${cap}`);
    const src = opts?.src ?? this.#addr, dst = opts?.dst ?? this.#dest;
    if (dst === RPMSG_ADDR_ANY) throw new RpmsgError(RpmsgErrorCode.RPMSG_ERR_PARAM, `sendNoCopy() on "${this.name}", which is not bound`);
    const ret = this.#core.sendTag(tag, src, dst, len);
    if (ret < 0) throw new RpmsgError(ret, `sendNoCopy() on "${this.name}"`);
    return ret;
  }

  /** Send a buffer from getTxBuffer() (same as `buf.send(len)`). */
  sendNoCopy(buf: TxBuffer, len: number, opts?: { dst?: number; src?: number }): number {
    return buf.send(len, opts);
  }

  /** Inside onMessage: keep the current buffer after the callback returns. */
  hold(): HeldBuffer {
    const held = this.#core.hold();
    if (!held) throw new RpmsgError(RpmsgErrorCode.RPMSG_ERR_PARAM, `hold() on "${this.name}" outside onMessage`);
    let released = false;
    return {
      data: held.data,
      release: () => {
        if (released) return;
        released = true;
        const ret = this.#core.releaseRx(held.k);
        if (ret < 0) throw new RpmsgError(ret, `release() of a held buffer on "${this.name}"`);
      },
    };
  }

  /** Destroy the endpoint (announces NS destroy when it was announced). */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    if (!this.#core.disposed) this.#core.destroyEndpoint(this);
  }
}

/** A lent transmit buffer (a class, so that lending allocates no closures). */
class LentTxBuffer implements TxBuffer {
  readonly data: Uint8Array;
  readonly #core: EndpointCore;
  readonly #ep: RpmsgEndpoint;
  readonly #tag: number;
  #done = false;

  constructor(core: EndpointCore, ep: RpmsgEndpoint, data: Uint8Array, tag: number) {
    this.#core = core;
    this.#ep = ep;
    this.data = data;
    this.#tag = tag;
  }

  #finish(doing: string): void {
    if (this.#done) throw new RpmsgError(RpmsgErrorCode.RPMSG_ERR_PARAM, `${doing}: the buffer was already sent or released`);
  }

  send(len: number, opts?: { dst?: number; src?: number }): number {
    this.#finish("sendNoCopy()");
    const ret = this.#ep.sendLent(this.#tag, this.data.length, len, opts);
    this.#done = true;
    return ret;
  }

  release(): void {
    this.#finish("release()");
    this.#done = true;
    const ret = this.#core.releaseTag(this.#tag);
    if (ret < 0) throw new RpmsgError(ret, "release() of a lent transmit buffer");
  }
}
