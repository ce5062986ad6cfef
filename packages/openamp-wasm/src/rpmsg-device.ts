import { buildImports } from "./_imports.ts";
import type { OpenAmpExports } from "./_wasm-api.ts";
import { checkCode, RpmsgError, RpmsgErrorCode } from "./errors.ts";
import type { ResourceTableLayout } from "./resource-table.ts";
import { type EndpointCore, type EndpointOptions, RPMSG_ADDR_ANY, RpmsgEndpoint } from "./rpmsg-endpoint.ts";
import { createShmAccessor, type ShmAccessor, type ShmInput, shmPhysBase } from "./shm.ts";
import type { StaticVringsLayout } from "./static-vrings-layout.ts";

/** Time source and timer; inject a virtual clock in tests. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolve after about ms milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** A clock with a setTimeout instead of sleep (the shape of fvp-core's Clock). */
export interface TimerClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Run cb once after ms milliseconds. */
  setTimeout(cb: () => void, ms: number): unknown;
}

function toClock(c: Clock | TimerClock | undefined): Clock {
  if (!c) return realClock;
  if ("sleep" in c && typeof c.sleep === "function") return c;
  const t = c as TimerClock;
  return { now: () => t.now(), sleep: (ms) => new Promise((resolve) => void t.setTimeout(resolve, ms)) };
}

/** The default clock: performance.now() and setTimeout. */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Options of {@link OpenAmp.createRpmsgDevice}. */
export interface RpmsgDeviceOptions {
  /** "host" = virtio driver (owns the buffers), "remote" = virtio device. */
  role: "host" | "remote";
  /** Where the link lives in shared memory. */
  layout: StaticVringsLayout | ResourceTableLayout;
  /** The shared memory. */
  shm: ShmInput;
  /** Kick the peer: vring index (static vrings) or notify id (resource table). */
  notify(id: number): void;
  /** Physical address of shared-memory offset 0, as descriptors carry it (default: `shm.base`, else 0). */
  physBase?: number;
  /** Buffer sizes per direction, header included (default: the layout's, 512). */
  bufferSizes?: { hostToRemote?: number; remoteToHost?: number };
  /** Called for a name announced by the peer that no local endpoint has. */
  onNameService?(name: string, addr: number): void;
  /** Receives exceptions thrown by callbacks (default: rethrown asynchronously). */
  onError?(err: unknown): void;
  /** Clock used for timeouts and polling (default: real time). */
  clock?: Clock | TimerClock;
  /** Poll interval while waiting for buffers or the link, in ms (default 1). */
  pollIntervalMs?: number;
  /** Default send() timeout in ms (default 15000, upstream's value). */
  sendTimeoutMs?: number;
}

/** Counters of a device. */
export interface RpmsgStats {
  /** Messages sent. */
  txMessages: number;
  /** Payload bytes sent. */
  txBytes: number;
  /** Messages received (name-service messages included). */
  rxMessages: number;
  /** Payload bytes received. */
  rxBytes: number;
  /** Notifications sent to the peer. */
  kicks: number;
  /** notified() calls. */
  notifications: number;
  /** Malformed entries (rings, headers, NS messages) dropped. */
  droppedMalformed: number;
  /** Messages for addresses with no endpoint. */
  droppedNoEndpoint: number;
  /** Transmit buffers available right now. */
  freeTxBuffers: number;
  /** Times the remote saw the host re-initialise. */
  peerResets: number;
  /** Shared-memory accesses refused by the accessor (should stay 0). */
  ioFaults: number;
  /** Whether the link is up. */
  linkUp: boolean;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** One RPMsg device (one wasm instance with private memory). */
export class RpmsgDevice {
  /** Resolves when the link is up (remote: DRIVER_OK seen). */
  readonly ready: Promise<void>;
  /** The role. */
  readonly role: "host" | "remote";
  readonly #x: OpenAmpExports;
  readonly #shm: ShmAccessor;
  readonly #opts: RpmsgDeviceOptions;
  readonly #clock: Clock;
  readonly #epts = new Map<number, RpmsgEndpoint>();
  readonly #waiting: RpmsgEndpoint[] = [];
  readonly #wakers = new Set<() => void>();
  readonly #rxIds: number[];
  #resolveReady: () => void = () => {};
  #up = false;
  #disposed = false;
  #current: { k: number; off: number; len: number; held: boolean } | undefined;
  #out = new Uint32Array(0);
  #coreCache: EndpointCore | undefined;

  #outView(): Uint32Array {
    if (!this.#out.byteLength) this.#out = new Uint32Array(this.#x.memory.buffer, this.#x.v8r_out_ptr(), 16);
    return this.#out;
  }

  /** @internal Use {@link OpenAmp.createRpmsgDevice}. */
  constructor(x: OpenAmpExports, shm: ShmAccessor, opts: RpmsgDeviceOptions, rxIds: number[]) {
    this.#x = x;
    this.#shm = shm;
    this.#opts = opts;
    this.role = opts.role;
    this.#clock = toClock(opts.clock);
    this.#rxIds = rxIds;
    this.ready = new Promise((resolve) => (this.#resolveReady = resolve));
  }

  /** @internal Instantiate the module for a device and set it up. */
  static async create(module: WebAssembly.Module, opts: RpmsgDeviceOptions): Promise<RpmsgDevice> {
    if (opts.role !== "host" && opts.role !== "remote") throw new TypeError(`[openamp-wasm] role must be "host" or "remote", got ${String(opts.role)}`);
    if (typeof opts.notify !== "function") throw new TypeError("[openamp-wasm] notify must be a function");
    const shm = createShmAccessor(opts.shm);
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
      onMessage: (ept, src, off, len) => { if (device) device.#onMessage(ept, src, off, len); },
      onNsBind: (ptr, len, addr) => { if (device) device.#onNsBind(ptr, len, addr); },
      onBind: (ept, dest) => { if (device) device.#onBind(ept, dest); },
      log: () => {},
    }, () => (x as OpenAmpExports).memory);
    const instance = await WebAssembly.instantiate(module, imports);
    x = instance.exports as unknown as OpenAmpExports;
    x._initialize?.();
    const rxIds = setupLayout(x, shm, opts);
    device = new RpmsgDevice(x, shm, opts, rxIds);
    device.#tryStart();
    if (!device.#up) void device.#pollReady();
    return device;
  }

  #guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      reportError(this.#opts, err);
    }
  }

  #tryStart(): void {
    if (this.#disposed || this.#x.v8r_start() !== 0) return;
    if (!this.#up) {
      this.#up = true;
      for (const ep of this.#waiting.splice(0)) if (!ep.destroyed) this.#attach(ep);
      this.#resolveReady();
    }
    this.#wake();
  }

  async #pollReady(): Promise<void> {
    let ms = this.#opts.pollIntervalMs ?? 1;
    while (!this.#up && !this.#disposed) {
      await this.#clock.sleep(ms);
      this.#tryStart();
      ms = Math.min(ms * 2, 50);
    }
  }

  #wake(): void {
    const wakers = [...this.#wakers];
    this.#wakers.clear();
    for (const w of wakers) w();
  }

  /** Process incoming work after the peer kicked `id` (default: every receive id). */
  notified(id?: number): void {
    if (this.#disposed) return;
    const ids = id === undefined ? this.#rxIds : [id];
    for (const i of ids) this.#x.v8r_notified(i >>> 0);
    if (!this.#up) this.#tryStart();
    this.#wake();
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
    new Uint8Array(x.memory.buffer, ptr, name.length + 1).set([...name, 0]);
    const ret = x.v8r_ept_create(ptr, (ep.opts.src ?? RPMSG_ADDR_ANY) >>> 0, (ep.opts.dst ?? RPMSG_ADDR_ANY) >>> 0);
    x.v8r_free(ptr);
    checkCode(ret, `createEndpoint("${ep.opts.name}")`);
    const h = ret >>> 0;
    ep.attached(h, x.v8r_ept_addr(h) >>> 0, x.v8r_ept_dest(h) >>> 0);
    this.#epts.set(h, ep);
  }

  #onMessage(ept: number, src: number, off: number, len: number): void {
    const ep = this.#epts.get(ept);
    if (!ep) return;
    const saved = this.#current;
    this.#current = { k: -1, off, len, held: false };
    try {
      ep.opts.onMessage(this.#shm.view(off, len), src);
    } catch (err) {
      reportError(this.#opts, err);
    }
    this.#current = saved;
  }

  #onNsBind(ptr: number, len: number, addr: number): void {
    const name = decoder.decode(new Uint8Array(this.#x.memory.buffer, ptr, len));
    const hook = this.#opts.onNameService;
    if (hook) this.#guard(() => hook(name, addr));
  }

  #onBind(ept: number, dest: number): void {
    const ep = this.#epts.get(ept);
    if (ep) this.#guard(() => ep.destChanged(dest));
    this.#wake();
  }

  get #core(): EndpointCore {
    this.#coreCache ??= this.#makeCore();
    return this.#coreCache;
  }

  #makeCore(): EndpointCore {
    const self = this;
    const x = this.#x;
    return {
      get disposed() { return self.#disposed; },
      defaultTimeoutMs: this.#opts.sendTimeoutMs ?? 15000,
      takeTx: () => {
        const r = x.v8r_tx_take();
        if (r < 0) return r;
        const out = self.#outView();
        return { off: out[0] ?? 0, cap: out[1] ?? 0, tag: out[2] ?? 0 };
      },
      sendTag: (tag, src, dst, len) => x.v8r_tx_send(tag, src >>> 0, dst >>> 0, len),
      releaseTag: (tag) => void x.v8r_tx_release(tag),
      view: (off, len) => self.#shm.view(off, len),
      hold: () => {
        const cur = self.#current;
        if (!cur) return undefined;
        if (!cur.held) {
          cur.k = x.v8r_rx_hold();
          cur.held = cur.k >= 0;
        }
        return cur.held ? { k: cur.k, data: self.#shm.view(cur.off, cur.len) } : undefined;
      },
      releaseRx: (k) => { if (!self.#disposed) x.v8r_rx_release(k); },
      waitForWork: (deadline) => self.#waitForWork(deadline),
      now: () => self.#clock.now(),
      destroyEndpoint: (ep) => {
        self.#epts.delete(ep.handle);
        if (ep.handle) x.v8r_ept_destroy(ep.handle);
        ep.handle = 0;
      },
      sendCopy: (src, dst, data) => {
        const ptr = x.v8r_alloc(data.length);
        new Uint8Array(x.memory.buffer, ptr, data.length).set(data);
        const ret = x.v8r_send_copy(src >>> 0, dst >>> 0, ptr, data.length, 0);
        x.v8r_free(ptr);
        return ret;
      },
    };
  }

  #waitForWork(deadline: number): Promise<void> {
    const ms = Math.max(0, Math.min(this.#opts.pollIntervalMs ?? 1, deadline - this.#clock.now()));
    return new Promise((resolve) => {
      this.#wakers.add(resolve);
      void this.#clock.sleep(ms).then(() => {
        this.#wakers.delete(resolve);
        if (!this.#disposed) this.#tryStart();
        resolve();
      });
    });
  }

  /** Payload size of the next transmit buffer, or null when none is available. */
  txBufferSize(): number | null {
    const r = this.#x.v8r_tx_size();
    return r < 0 ? null : r;
  }

  /** Payload size of receive buffers (remote: of the next pending message), or null. */
  rxBufferSize(): number | null {
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
      ioFaults: this.#shm.faults, linkUp: at(10) !== 0,
    };
  }

  /** Release the device: endpoints are dropped without NS messages, waiting sends reject. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#x.v8r_deinit();
    this.#epts.clear();
    this.#wake();
  }
}

/** Exceptions from user callbacks never unwind through wasm: they go to onError or are rethrown later. */
function reportError(opts: RpmsgDeviceOptions, err: unknown): void {
  const onError = opts.onError;
  if (onError) onError(err);
  else queueMicrotask(() => { throw err; });
}

function setupLayout(x: OpenAmpExports, shm: ShmAccessor, opts: RpmsgDeviceOptions): number[] {
  const role = opts.role === "host" ? 0 : 1;
  const phys = opts.physBase ?? shmPhysBase(opts.shm) ?? 0;
  if (!Number.isSafeInteger(phys) || phys < 0) throw new RangeError(`[openamp-wasm] physBase ${phys} is not a non-negative integer`);
  const layout = opts.layout;
  const buf = layout.kind === "static-vrings" ? layout.bufferSize : layout.bufferSize ?? 512;
  const h2r = opts.bufferSizes?.hostToRemote ?? buf;
  const r2h = opts.bufferSizes?.remoteToHost ?? buf;
  if (layout.kind === "static-vrings") {
    if (layout.shmSize > shm.size) throw new RangeError(`[openamp-wasm] layout needs ${layout.shmSize} bytes, shm has ${shm.size}`);
    checkCode(x.v8r_setup_static(role, layout.shmSize, phys, layout.statusOffset, layout.poolOffset, layout.poolSize,
      layout.vring0Offset, layout.vring1Offset, layout.num, layout.align, h2r, r2h), "setting up static vrings");
    return [role === 0 ? 0 : 1];
  }
  if (layout.kind !== "resource-table") throw new TypeError(`[openamp-wasm] unknown layout kind ${String((layout as { kind: unknown }).kind)}`);
  checkCode(x.v8r_setup_rsc(role, layout.shmSize, phys, layout.tableOffset, layout.poolOffset, layout.poolSize, h2r, r2h),
    "setting up the resource-table vdev");
  const ids: number[] = [];
  const entry = layout.tableOffset + shm.read32(layout.tableOffset + 16);
  for (let i = 0; i < 2; i++) ids.push(shm.read32(entry + 28 + 20 * i + 12));
  return role === 0 ? ids.slice(0, 1) : ids.slice(1, 2);
}
