import { Waiters } from "./_device-timer.ts";
import { type CurrentRx, makeCore } from "./_endpoint-core.ts";
import { buildImports } from "./_imports.ts";
import { type FaultCounter, guardAccessor } from "./_safe-accessor.ts";
import { setupLayout } from "./_setup-layout.ts";
import type { OpenAmpExports } from "./_wasm-api.ts";
import { checkCode, RpmsgError, RpmsgErrorCode } from "./errors.ts";
import { type EndpointCore, type EndpointOptions, RPMSG_ADDR_ANY, RpmsgEndpoint } from "./rpmsg-endpoint.ts";
import { type Clock, realClock, type RpmsgDeviceOptions, type RpmsgStats, type TimerHandle } from "./device-options.ts";
import { createShmAccessor, type ShmAccessor } from "./shm.ts";
import { memoryText } from "./_memory-text.ts";

export { type Clock, realClock, type RpmsgDeviceOptions, type RpmsgStats, type TimerHandle } from "./device-options.ts";

const encoder = new TextEncoder();

/** One RPMsg device (one wasm instance with private memory). */
export class RpmsgDevice {
  /** Resolves when the link is up (remote: DRIVER_OK seen); rejects with RPMSG_ERR_DEV_STATE on dispose() before that. */
  readonly ready: Promise<void>;
  /** The role. */
  readonly role: "host" | "remote";
  readonly #x: OpenAmpExports;
  readonly #shm: ShmAccessor;
  readonly #faults: FaultCounter;
  readonly #opts: RpmsgDeviceOptions;
  readonly #clock: Clock;
  readonly #epts = new Map<number, RpmsgEndpoint>();
  readonly #waiting: RpmsgEndpoint[] = [];
  readonly #waiters: Waiters;
  readonly #rxIds: number[];
  #settleReady: (err?: Error) => void = () => {};
  #up = false;
  #disposed = false;
  #depth = 0;
  #deinitPending = false;
  #poll: TimerHandle | undefined;
  readonly #current: CurrentRx = { active: false, k: -1, data: new Uint8Array(0), held: false };
  /** One view per receive buffer (by index), re-made only when the message length or place changes. */
  readonly #rxViews: Uint8Array[] = [];
  readonly #rxOffs: number[] = [];
  #out: Uint32Array = new Uint32Array(0); // any buffer: a memory's may be a SharedArrayBuffer
  readonly #core: EndpointCore;

  #outView(): Uint32Array {
    if (!this.#out.byteLength) this.#out = new Uint32Array(this.#x.memory.buffer, this.#x.v8r_out_ptr(), 16);
    return this.#out;
  }

  /** @internal Use {@link OpenAmp.createRpmsgDevice}. */
  constructor(x: OpenAmpExports, shm: ShmAccessor, opts: RpmsgDeviceOptions, rxIds: number[], faults: FaultCounter) {
    this.#x = x;
    this.#shm = shm;
    this.#faults = faults;
    this.#opts = opts;
    this.role = opts.role;
    this.#clock = opts.clock ?? realClock;
    this.#rxIds = rxIds;
    this.#waiters = new Waiters(this.#clock, opts.pollIntervalMs ?? 1, () => this.#guard(() => this.#tryStart()));
    this.#core = makeCore(x, {
      disposed: () => this.#disposed,
      defaultTimeoutMs: this.#opts.sendTimeoutMs ?? 15000,
      enter: () => void this.#depth++,
      leave: () => this.#leave(),
      out: () => this.#outView(),
      view: (off, len) => this.#shm.view(off, len),
      region: shm.bytes,
      current: this.#current,
      wait: (deadline) => this.#waiters.wait(deadline),
      now: () => this.#clock.now(),
      forget: (h) => this.#epts.delete(h),
      wake: () => this.#wake(),
    });
    this.ready = new Promise((resolve, reject) => (this.#settleReady = (err) => (err ? reject(err) : resolve())));
    this.ready.catch(() => {}); // a caller that never awaits ready must not see an unhandled rejection
  }

  /** @internal Instantiate the module for a device and set it up (`instrument` may wrap the imports: tests and the bench count them). */
  static async create(module: WebAssembly.Module, opts: RpmsgDeviceOptions, instrument?: (imports: WebAssembly.Imports) => void): Promise<RpmsgDevice> {
    if (opts.role !== "host" && opts.role !== "remote") throw new TypeError(`[openamp-wasm] role must be "host" or "remote", got ${String(opts.role)}`);
    if (typeof opts.notify !== "function") throw new TypeError("[openamp-wasm] notify must be a function");
    const given = createShmAccessor(opts.shm);
    const faults: FaultCounter = { n: 0 };
    const shm = given === opts.shm ? guardAccessor(given, faults) : given;
    let device: RpmsgDevice | undefined;
    let x: OpenAmpExports | undefined;
    const imports = buildImports(shm, {
      notify: (id) => {
        try {
          opts.notify(id);
        } catch (err) {
          reportError(opts, err);
        }
      },
      onMessage: (ept, src, off, len, k) => { if (device) device.#onMessage(ept, src, off, len, k); },
      onNsBind: (ptr, len, addr) => { if (device) device.#onNsBind(ptr, len, addr); },
      onBind: (ept, dest) => { if (device) device.#onBind(ept, dest); },
      log: (level, ptr, len) => { if (device) device.#onLog(level, ptr, len); },
    }, () => (x as OpenAmpExports).memory, faults);
    instrument?.(imports);
    const instance = await WebAssembly.instantiate(module, imports);
    x = instance.exports as unknown as OpenAmpExports;
    x._initialize?.();
    const rxIds = setupLayout(x, shm, opts);
    device = new RpmsgDevice(x, shm, opts, rxIds, faults);
    device.#tryStart();
    if (!device.#up) device.#pollReady(device.#opts.pollIntervalMs ?? 1);
    return device;
  }

  #guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      reportError(this.#opts, err);
    }
  }

  /** Run a C entry point that may call back into JS; a dispose() from a callback takes effect on the way out. */
  #call<T>(fn: () => T): T {
    this.#depth++;
    try {
      return fn();
    } finally {
      this.#leave();
    }
  }

  /** The way out of a C call (see #call; the hot paths do #depth++ and this themselves, without a closure). */
  #leave(): void {
    if (--this.#depth === 0 && this.#deinitPending) {
      this.#deinitPending = false;
      this.#x.v8r_deinit();
    }
  }

  #tryStart(): void {
    if (this.#disposed || this.#call(() => this.#x.v8r_start()) !== 0) return;
    if (!this.#up) {
      this.#up = true;
      for (const ep of this.#waiting.splice(0)) {
        if (!ep.destroyed && !this.#disposed) this.#guard(() => this.#attach(ep));
      }
      this.#settleReady();
    }
    this.#wake();
  }

  #pollReady(ms: number): void {
    this.#poll = this.#clock.setTimeout(() => {
      this.#poll = undefined;
      this.#guard(() => this.#tryStart());
      if (!this.#up && !this.#disposed) this.#pollReady(Math.min(ms * 2, 50));
    }, ms);
  }

  #wake(): void {
    this.#waiters.wake();
  }

  /** Process incoming work after the peer kicked `id` (default: every receive id). */
  notified(id?: number): void {
    if (this.#disposed) return;
    const n = id === undefined ? this.#rxIds.length : 1;
    for (let i = 0; i < n; i++) {
      this.#depth++;
      try {
        this.#x.v8r_notified((id ?? (this.#rxIds[i] as number)) >>> 0);
      } finally {
        this.#leave();
      }
      if (this.#disposed) return;
    }
    if (!this.#up) this.#tryStart();
    this.#wake();
  }

  /**
   * Process every pending message, asking the peer not to kick meanwhile (the
   * virtio ring flag of our receive ring stays set until {@link idle} or
   * {@link notified}): for a receiver that polls, such as a Worker spinning
   * before it sleeps. Returns the messages processed; with none pending it
   * costs one read of the peer's ring index.
   */
  poll(): number {
    if (this.#disposed) return 0;
    let n: number;
    this.#depth++;
    try {
      n = this.#x.v8r_poll();
    } finally {
      this.#leave();
    }
    if (!this.#up && !this.#disposed) this.#tryStart();
    this.#wake();
    return n;
  }

  /**
   * Ask the peer to kick again, then re-check (in one sequentially consistent
   * step, so no message slips in between): true when nothing is pending, and
   * the next message will kick; false when messages arrived ({@link poll} them).
   * Call it before sleeping after {@link poll}.
   */
  idle(): boolean {
    if (this.#disposed) return true;
    this.#depth++;
    try {
      return this.#x.v8r_idle() !== 0;
    } finally {
      this.#leave();
    }
  }

  /** Create an endpoint; on a remote whose link is not up yet it is attached when the link comes up. */
  createEndpoint(opts: EndpointOptions): RpmsgEndpoint {
    if (this.#disposed) throw new RpmsgError(RpmsgErrorCode.RPMSG_ERR_DEV_STATE, "createEndpoint() on a disposed device");
    if (typeof opts.name !== "string" || encoder.encode(opts.name).length > 31) throw new TypeError(`[openamp-wasm] endpoint name must be a string of at most 31 UTF-8 bytes`);
    if (typeof opts.onMessage !== "function") throw new TypeError("[openamp-wasm] onMessage must be a function");
    const ep = new RpmsgEndpoint(this.#core, opts);
    if (this.#up) this.#attach(ep);
    else this.#waiting.push(ep);
    return ep;
  }

  #attach(ep: RpmsgEndpoint): void {
    const x = this.#x;
    const name = encoder.encode(ep.opts.name);
    const ptr = x.v8r_alloc(name.length + 1);
    if (!ptr) throw new RpmsgError(RpmsgErrorCode.RPMSG_ERR_NO_MEM, `createEndpoint("${ep.opts.name}"): out of wasm memory`);
    new Uint8Array(x.memory.buffer, ptr, name.length + 1).set([...name, 0]);
    const ret = this.#call(() => x.v8r_ept_create(ptr, (ep.opts.src ?? RPMSG_ADDR_ANY) >>> 0, (ep.opts.dst ?? RPMSG_ADDR_ANY) >>> 0));
    x.v8r_free(ptr);
    checkCode(ret, `createEndpoint("${ep.opts.name}")`);
    const h = ret >>> 0;
    ep.attached(h, x.v8r_ept_addr(h) >>> 0, x.v8r_ept_dest(h) >>> 0);
    this.#epts.set(h, ep);
  }

  #onMessage(ept: number, src: number, off: number, len: number, k: number): void {
    const ep = this.#epts.get(ept);
    if (!ep || this.#disposed) return;
    let data = this.#rxViews[k];
    if (data === undefined || this.#rxOffs[k] !== off || data.length !== len) {
      this.#rxViews[k] = data = this.#shm.view(off, len);
      this.#rxOffs[k] = off;
    }
    // a callback may run notified() and so nest: save the record's fields in locals, not in a new object
    const cur = this.#current;
    const { active, k: savedK, data: savedData, held } = cur;
    cur.active = true;
    cur.k = k;
    cur.data = data;
    cur.held = false;
    try {
      ep.opts.onMessage(data, src);
    } catch (err) {
      reportError(this.#opts, err);
    }
    cur.active = active;
    cur.k = savedK;
    cur.data = savedData;
    cur.held = held;
  }

  #onNsBind(ptr: number, len: number, addr: number): void {
    const name = memoryText(this.#x.memory, ptr, len);
    const hook = this.#opts.onNameService;
    if (hook && !this.#disposed) this.#guard(() => hook(name, addr));
  }

  #onBind(ept: number, dest: number): void {
    const ep = this.#epts.get(ept);
    if (ep && !this.#disposed) this.#guard(() => ep.destChanged(dest));
    this.#wake();
  }

  #onLog(level: number, ptr: number, len: number): void {
    const hook = this.#opts.onLog;
    if (hook) this.#guard(() => hook(level, memoryText(this.#x.memory, ptr, len)));
  }

  /** Payload size of the next transmit buffer, or null when none is available. */
  txBufferSize(): number | null {
    if (this.#disposed) return null;
    const r = this.#x.v8r_tx_size();
    return r < 0 ? null : r;
  }

  /** Payload size of receive buffers (remote: of the next pending message), or null. */
  rxBufferSize(): number | null {
    if (this.#disposed) return null;
    const r = this.#x.v8r_rx_size();
    return r < 0 ? null : r;
  }

  /** Counters: messages and bytes each way, notifications, dropped entries, free buffers. */
  stats(): RpmsgStats {
    const x = this.#x;
    x.v8r_stats();
    const s = this.#outView();
    const at = (i: number): number => s[i] ?? 0;
    return {
      txMessages: at(0), txBytes: at(1), rxMessages: at(2), rxBytes: at(3), kicks: at(4), notifications: at(5),
      droppedMalformed: at(6), droppedNoEndpoint: at(7), freeTxBuffers: at(8), peerResets: at(9),
      ioFaults: this.#shm.faults + this.#faults.n, linkUp: at(10) !== 0,
    };
  }

  /**
   * Release the device: endpoints are dropped without NS messages and marked
   * destroyed, waiting sends reject, a pending `ready` rejects (RPMSG_ERR_DEV_STATE).
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#poll?.cancel();
    this.#poll = undefined;
    if (this.#depth > 0) this.#deinitPending = true;
    else this.#x.v8r_deinit();
    for (const ep of [...this.#epts.values(), ...this.#waiting.splice(0)]) ep.markDisposed();
    this.#epts.clear();
    if (!this.#up) this.#settleReady(new RpmsgError(RpmsgErrorCode.RPMSG_ERR_DEV_STATE, "device disposed before the link came up"));
    this.#wake();
  }
}

/** Exceptions from user callbacks never unwind through wasm: they go to onError or are rethrown later. */
function reportError(opts: RpmsgDeviceOptions, err: unknown): void {
  const onError = opts.onError;
  if (onError) onError(err);
  else queueMicrotask(() => { throw err; });
}
