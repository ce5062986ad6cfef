/**
 * Zephyr's IPC service API (`include/zephyr/ipc/ipc_service.h`):
 * instances, endpoints registered by name with `bound`/`received`/`error`
 * callbacks, copy and no-copy sends. The transport is a backend chosen when
 * the instance is created (here: RPMsg over static vrings).
 *
 * Differences from C: functions that would return a negative errno throw
 * an {@link IpcError} carrying it; calls that may wait return promises.
 *
 * @module
 */
import { Errno } from "../kernel/errno.ts";
import { K_FOREVER, K_NO_WAIT, type k_timeout_t } from "../kernel/timeout.ts";
import { IpcError } from "./ipc-error.ts";

/** Endpoint callbacks (`struct ipc_service_cb`). All optional. */
export interface ipc_service_cb {
  /** The endpoint is bound: both sides can send. */
  bound?(priv: unknown): void;
  /** The peer went away (its endpoint was destroyed, or the link was reset). */
  unbound?(priv: unknown): void;
  /** A message arrived; `data` is a zero-copy view valid only during the call. */
  received?(data: Uint8Array, priv: unknown): void;
  /** The backend hit an error on this endpoint. */
  error?(message: string, priv: unknown): void;
}

/** Endpoint configuration (`struct ipc_ept_cfg`). */
export interface ipc_ept_cfg {
  /** Endpoint name; both sides use the same name. */
  readonly name: string;
  /** Priority (kept for API compatibility; the RPMsg backend serves endpoints in order). */
  readonly prio?: number;
  /** Callbacks. */
  readonly cb: ipc_service_cb;
  /** Passed back to every callback. */
  readonly priv?: unknown;
}

/** A TX buffer lent by `ipc_service_get_tx_buffer`; fill `data`, then `ipc_service_send_nocopy`. */
export interface IpcTxBuffer {
  /** The buffer's payload bytes, in shared memory. */
  readonly data: Uint8Array;
  /** Its capacity in bytes. */
  readonly size: number;
}

/** What a transport implements for the IPC service. */
export interface IpcBackend {
  /** Bring the link up (map memory, create the device, bind the doorbell). */
  open(): Promise<void>;
  /** Tear the link down. */
  close(): Promise<void>;
  /** Whether the instance is ready for sends (Zephyr's backend state "inited"; a remote is not before the host is up). */
  ready(): boolean;
  /** Start binding an endpoint. */
  register(ept: IpcEndpoint): void;
  /** Destroy an endpoint. */
  deregister(ept: IpcEndpoint): void;
  /** Send a copy of `data`; waits up to `timeoutMs` (Infinity: no limit) for a buffer. */
  send(ept: IpcEndpoint, data: Uint8Array, timeoutMs: number): Promise<number>;
  /** Payload bytes of one TX buffer. */
  txBufferSize(ept: IpcEndpoint): number;
  /** Lend a TX buffer of at least `size` bytes, waiting up to `timeoutMs` (0: not at all, Infinity: no limit). */
  getTxBuffer(ept: IpcEndpoint, size: number, timeoutMs: number): Promise<IpcTxBuffer>;
  /** Send a lent buffer. */
  sendNoCopy(ept: IpcEndpoint, buffer: IpcTxBuffer, len: number): number;
  /** Return a lent buffer unsent (a backend that cannot throws IpcError ENOTSUP). */
  dropTxBuffer(ept: IpcEndpoint, buffer: IpcTxBuffer): void;
  /** Inside `received`: keep `data` valid after the callback returns. */
  holdRxBuffer(ept: IpcEndpoint, data: Uint8Array): void;
  /** Give a held buffer back. */
  releaseRxBuffer(ept: IpcEndpoint, data: Uint8Array): void;
  /** Counters for diagnostics. */
  stats(): Readonly<Record<string, number>>;
  /** TX buffers of the link (undefined while closed): `free` now, out of `total`. */
  txBuffers(): { free: number; total: number } | undefined;
}

/** A registered endpoint (`struct ipc_ept`). */
export class IpcEndpoint {
  /** The instance it belongs to. */
  readonly instance: IpcInstance;
  /** Its configuration. */
  readonly cfg: ipc_ept_cfg;
  /** Whether the binding handshake completed. */
  bound = false;
  /** Whether it was deregistered. */
  closed = false;

  /** Built by `ipc_service_register_endpoint`. */
  constructor(instance: IpcInstance, cfg: ipc_ept_cfg) {
    this.instance = instance;
    this.cfg = cfg;
  }

  /** The endpoint name. */
  get name(): string {
    return this.cfg.name;
  }

  /** @internal the backend calls this when the handshake completes. */
  _setBound(): void {
    if (this.bound || this.closed) return;
    this.bound = true;
    this.cfg.cb.bound?.(this.cfg.priv);
  }

  /** @internal the backend calls this when the peer goes away. */
  _setUnbound(): void {
    if (!this.bound) return;
    this.bound = false;
    this.cfg.cb.unbound?.(this.cfg.priv);
  }

  /** @internal the backend delivers a message. */
  _deliver(data: Uint8Array): void {
    if (!this.closed) this.cfg.cb.received?.(data, this.cfg.priv);
  }

  /** @internal the backend reports an error. */
  _error(message: string): void {
    this.cfg.cb.error?.(message, this.cfg.priv);
  }
}

/** An IPC instance (the devicetree `ipc` node in Zephyr): a name and a backend. */
export class IpcInstance {
  /** Instance name, e.g. `"ipc0"`. */
  readonly name: string;
  /** The transport. */
  readonly backend: IpcBackend;
  /** Whether it is open. */
  opened = false;
  /** Endpoints registered now. */
  readonly endpoints: Set<IpcEndpoint> = new Set<IpcEndpoint>();

  /** Wrap a backend as an instance. */
  constructor(name: string, backend: IpcBackend) {
    this.name = name;
    this.backend = backend;
  }
}

/** `ipc_service_open_instance`: 0, or -EALREADY when it is open already. Rejects with IpcError when the link cannot be set up. */
export async function ipc_service_open_instance(instance: IpcInstance): Promise<number> {
  if (instance.opened) return -Errno.EALREADY;
  await instance.backend.open();
  instance.opened = true;
  return 0;
}

/** `ipc_service_close_instance`: 0; throws IpcError EBUSY while endpoints are registered, ENOENT when not open. */
export async function ipc_service_close_instance(instance: IpcInstance): Promise<number> {
  if (!instance.opened) throw new IpcError("ENOENT", `[zephyr-shim] closing IPC instance ${instance.name}: it is not open`);
  if (instance.endpoints.size > 0) {
    const names = [...instance.endpoints].map((e) => e.name).join(", ");
    throw new IpcError("EBUSY", `[zephyr-shim] closing IPC instance ${instance.name}: endpoints still registered (${names})`);
  }
  instance.opened = false;
  await instance.backend.close();
  return 0;
}

/** `ipc_service_register_endpoint`: start binding an endpoint; `cb.bound` runs when the handshake completes. */
export function ipc_service_register_endpoint(instance: IpcInstance, cfg: ipc_ept_cfg): IpcEndpoint {
  if (typeof cfg?.name !== "string" || cfg.name.length === 0 || cfg.name.length > 31) {
    throw new TypeError(`[zephyr-shim] registering an endpoint on ${instance.name}: the name must be 1..31 characters`);
  }
  if (!instance.opened) {
    throw new IpcError("EIO", `[zephyr-shim] registering endpoint ${cfg.name}: IPC instance ${instance.name} is not open`);
  }
  for (const e of instance.endpoints) {
    if (e.name === cfg.name) throw new IpcError("EALREADY", `[zephyr-shim] registering endpoint ${cfg.name} on ${instance.name}: the name is already registered`);
  }
  const ept = new IpcEndpoint(instance, cfg);
  instance.endpoints.add(ept);
  instance.backend.register(ept);
  return ept;
}

/** `ipc_service_deregister_endpoint`: destroy the endpoint (the peer sees it go). 0, or -ENOENT when already deregistered. */
export function ipc_service_deregister_endpoint(ept: IpcEndpoint): number {
  if (ept.closed) return -Errno.ENOENT;
  ept.closed = true;
  ept.bound = false;
  ept.instance.endpoints.delete(ept);
  ept.instance.backend.deregister(ept);
  return 0;
}

function checkRegistered(what: string, ept: IpcEndpoint): void {
  if (ept.closed) throw new IpcError("ENOENT", `[zephyr-shim] ${what} on ${ept.name}: the endpoint is deregistered`);
}

function checkReady(what: string, ept: IpcEndpoint): void {
  checkRegistered(what, ept);
  if (!ept.instance.opened || !ept.instance.backend.ready()) {
    throw new IpcError("EBUSY", `[zephyr-shim] ${what} on ${ept.name}: IPC instance ${ept.instance.name} is not ready (its link is not up yet)`);
  }
}

/**
 * How long `rpmsg_send` waits for a free TX buffer before giving up, ms:
 * OpenAMP's RPMSG_TICK_COUNT (15 s of 1 ms ticks), which Zephyr's RPMsg
 * backends inherit for `ipc_service_send`.
 */
export const RPMSG_SEND_TIMEOUT_MS = 15_000;

/** Options of {@link ipc_service_send}. */
export interface SendOptions {
  /**
   * How long to wait for a free TX buffer, ms: default {@link RPMSG_SEND_TIMEOUT_MS},
   * as `rpmsg_send` under Zephyr's backend; 0 fails at once with ENOMEM
   * (`rpmsg_trysend`); `K_FOREVER` waits without limit.
   */
  readonly timeoutMs?: number;
}

function waitMs(what: string, ept: IpcEndpoint, ms: number): number {
  if (ms === K_FOREVER || ms === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`[zephyr-shim] ${what} on ${ept.name}: wait ${String(ms)} is not K_NO_WAIT, K_FOREVER or a number of ms >= 0`);
  }
  return ms;
}

/**
 * `ipc_service_send`: send a copy of `data`; resolves with the bytes sent.
 * As under Zephyr's RPMsg backend it does not wait for `bound`: it sends as
 * soon as the endpoint has a peer. Rejects with IpcError ENOENT (deregistered),
 * EBUSY (instance not ready), EBADMSG (empty: reserved for the handshake),
 * ENOTCONN (no peer endpoint yet), EMSGSIZE (over the payload), ENOMEM (no TX
 * buffer freed up within `timeoutMs`, default 15 s as `rpmsg_send`).
 */
export async function ipc_service_send(ept: IpcEndpoint, data: Uint8Array, options: SendOptions = {}): Promise<number> {
  checkReady("ipc_service_send", ept);
  if (!(data instanceof Uint8Array)) throw new TypeError(`[zephyr-shim] ipc_service_send on ${ept.name}: data must be a Uint8Array`);
  if (data.length === 0) {
    throw new IpcError("EBADMSG", `[zephyr-shim] ipc_service_send on ${ept.name}: empty messages are reserved for the binding handshake`);
  }
  const timeout = waitMs("ipc_service_send", ept, options.timeoutMs ?? RPMSG_SEND_TIMEOUT_MS);
  return ept.instance.backend.send(ept, data, timeout);
}

/** `ipc_service_get_tx_buffer_size`: payload bytes of one TX buffer (496 with 512-byte buffers). Throws IpcError ENOENT when deregistered. */
export function ipc_service_get_tx_buffer_size(ept: IpcEndpoint): number {
  checkRegistered("ipc_service_get_tx_buffer_size", ept);
  return ept.instance.backend.txBufferSize(ept);
}

/**
 * `ipc_service_get_tx_buffer`: lend a TX buffer of at least `size` bytes
 * (0: any). `wait` is `K_NO_WAIT` or `K_FOREVER` as in Zephyr; a number of
 * ms is a v8r extension (Zephyr's backend answers -ENOTSUP to it). Rejects
 * with IpcError ENOENT, ENOMEM (`size` over the buffer size), ENOBUFS (no
 * buffer free with K_NO_WAIT, or within the wait), ENOTCONN (no peer yet).
 */
export async function ipc_service_get_tx_buffer(ept: IpcEndpoint, size = 0, wait: k_timeout_t = K_NO_WAIT): Promise<IpcTxBuffer> {
  checkRegistered("ipc_service_get_tx_buffer", ept);
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`[zephyr-shim] ipc_service_get_tx_buffer on ${ept.name}: size ${size} is not a byte count`);
  return ept.instance.backend.getTxBuffer(ept, size, waitMs("ipc_service_get_tx_buffer", ept, wait));
}

/** `ipc_service_send_nocopy`: send the first `len` bytes of a lent buffer; returns `len`. IpcError ENOENT, EBUSY, EBADMSG (`len` 0), ENOTCONN. */
export function ipc_service_send_nocopy(ept: IpcEndpoint, buffer: IpcTxBuffer, len: number): number {
  checkReady("ipc_service_send_nocopy", ept);
  if (len === 0) throw new IpcError("EBADMSG", `[zephyr-shim] ipc_service_send_nocopy on ${ept.name}: empty messages are reserved for the binding handshake`);
  if (!Number.isInteger(len) || len < 0 || len > buffer.size) {
    throw new RangeError(`[zephyr-shim] ipc_service_send_nocopy on ${ept.name}: length ${len} is outside 1..${buffer.size}`);
  }
  return ept.instance.backend.sendNoCopy(ept, buffer, len);
}

/** `ipc_service_drop_tx_buffer`: give a lent buffer back unsent; 0. The RPMsg static-vrings backend cannot (IpcError ENOTSUP, as in Zephyr): send the buffer instead. */
export function ipc_service_drop_tx_buffer(ept: IpcEndpoint, buffer: IpcTxBuffer): number {
  checkRegistered("ipc_service_drop_tx_buffer", ept);
  ept.instance.backend.dropTxBuffer(ept, buffer);
  return 0;
}

/** `ipc_service_hold_rx_buffer`: inside `received`, keep `data` (valid, and not returned to the peer) after the callback; 0. */
export function ipc_service_hold_rx_buffer(ept: IpcEndpoint, data: Uint8Array): number {
  checkRegistered("ipc_service_hold_rx_buffer", ept);
  ept.instance.backend.holdRxBuffer(ept, data);
  return 0;
}

/** `ipc_service_release_rx_buffer`: give a held buffer back to the peer; `data` must not be used afterwards; 0. */
export function ipc_service_release_rx_buffer(ept: IpcEndpoint, data: Uint8Array): number {
  checkRegistered("ipc_service_release_rx_buffer", ept);
  ept.instance.backend.releaseRxBuffer(ept, data);
  return 0;
}
