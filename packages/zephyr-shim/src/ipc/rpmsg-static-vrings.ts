/**
 * The IPC service's RPMsg backend with static vrings (Zephyr's
 * `ipc_rpmsg_static_vrings`) over a Xen static shared memory region found
 * by its `xen,id`, with a static event channel as the doorbell both ways.
 *
 * Binding (rpmsg-demo protocol): the remote announces each endpoint by
 * name; the host binds it and sends an empty message; the remote answers
 * its first empty message with an empty message. `bound` fires on each
 * side when its part of that exchange is done.
 *
 * @module
 */
import { describeError } from "@v8r/fvp-core";
import type { Zephyr } from "../zephyr.ts";
import type { KWork, KWorkQueue } from "../kernel/k-work.ts";
import type { KTimer } from "../kernel/k-timer.ts";
import type { Logger } from "../kernel/log.ts";
import { IpcError } from "./ipc-error.ts";
import { IpcInstance, type IpcBackend, type IpcEndpoint, type IpcTxBuffer } from "./ipc-service.ts";
import { LinkError, type LinkEndpoint, type LinkFactory, type LinkHeldBuffer, type RpmsgLink } from "./rpmsg-link.ts";
import { createOpenAmpLinkFactory } from "./openamp-link.ts";
import { mapRegion, resolveConfig, RPMSG_HEADER, safeDestroy, wrapLinkError, type ResolvedConfig, type RpmsgStaticVringsConfig } from "./_rpmsg-config.ts";

export type { RpmsgStaticVringsConfig } from "./_rpmsg-config.ts";

const EMPTY = new Uint8Array(0);
/** Handshake re-sends when no TX buffer is free, and their spacing. */
const HANDSHAKE_TRIES = 50;
const HANDSHAKE_RETRY_MS = 10;

interface EptState {
  link: LinkEndpoint | undefined;
  /** The peer address the host bound to. */
  dst: number;
  /** Received buffers the application holds (`ipc_service_hold_rx_buffer`). */
  readonly held: Map<Uint8Array, LinkHeldBuffer>;
}

/** The backend; use {@link createRpmsgIpcInstance}. */
export class RpmsgStaticVringsBackend implements IpcBackend {
  readonly #k: Zephyr;
  readonly #c: ResolvedConfig;
  readonly #factory: LinkFactory;
  readonly #log: Logger;
  readonly #rxWork: KWork;
  #poll: KTimer | undefined;
  #wq: KWorkQueue | undefined;
  #link: RpmsgLink | undefined;
  #linkReady = false;
  /** The message being delivered now (hold_rx_buffer is valid only for it). */
  #rx: { readonly le: LinkEndpoint; readonly data: Uint8Array } | undefined;
  #generation = 0;
  readonly #announced = new Map<string, number>();
  readonly #eps = new Map<IpcEndpoint, EptState>();

  /** Build the backend for `zephyr` with `config`. */
  constructor(zephyr: Zephyr, config: RpmsgStaticVringsConfig) {
    this.#c = resolveConfig(config);
    this.#k = zephyr;
    this.#factory = this.#c.linkFactory ?? createOpenAmpLinkFactory();
    this.#log = zephyr.LOG_MODULE_REGISTER("ipc_rpmsg");
    this.#rxWork = zephyr.k_work_init(() => this.#link?.notified());
  }

  /** The current link (undefined while closed). */
  get link(): RpmsgLink | undefined {
    return this.#link;
  }

  async open(): Promise<void> {
    const what = `opening IPC instance ${this.#c.name}`;
    const { node, shm } = mapRegion(this.#k.ctx, this.#c.shmId, what);
    const generation = ++this.#generation;
    const link = await this.#k.track(() => this.#factory({
      role: this.#c.role,
      shm,
      physBase: node.address,
      bufferSize: this.#c.bufferSize,
      notify: () => this.#k.notify_evtchn(this.#c.port),
      onNameService: (name, addr) => this.#onNameService(name, addr),
      clock: this.#k.clock,
      onError: (error) => this.#log.LOG_ERR("%s: callback failed: %s", this.#c.name, describeError(error).error),
    }));
    if (generation !== this.#generation) {
      link.dispose();
      throw new IpcError("ECANCELED", `[zephyr-shim] ${what}: closed while opening`);
    }
    this.#link = link;
    this.#linkReady = this.#c.role === "host";
    void link.ready.then(() => {
      if (this.#link === link) this.#linkReady = true;
    });
    this.#wq ??= this.#k.k_work_queue_start(`${this.#c.name}_wq`, 0);
    this.#k.bind_event_channel(this.#c.port, () => this.#kick(), null);
    this.#k.get_missed_events(this.#c.port);
    if (this.#c.role === "host") this.#k.notify_evtchn(this.#c.port);
    this.#kick();
    if (this.#c.pollMs > 0) {
      this.#poll ??= this.#k.k_timer_init(() => this.#kick());
      this.#k.k_timer_start(this.#poll, this.#c.pollMs, this.#c.pollMs);
    }
  }

  async close(): Promise<void> {
    this.#generation++;
    if (this.#poll) this.#k.k_timer_stop(this.#poll);
    this.#k.unbind_event_channel(this.#c.port);
    this.#k.k_work_cancel(this.#rxWork);
    for (const [ept, state] of this.#eps) this.#dropEndpoint(ept, state);
    this.#eps.clear();
    this.#announced.clear();
    this.#link?.dispose();
    this.#link = undefined;
    this.#linkReady = false;
  }

  register(ept: IpcEndpoint): void {
    const state: EptState = { link: undefined, dst: -1, held: new Map() };
    this.#eps.set(ept, state);
    if (this.#c.role === "host") {
      const addr = this.#announced.get(ept.name);
      if (addr !== undefined) this.#bindHost(ept, state, addr);
      return;
    }
    const link = this.#link;
    const generation = this.#generation;
    void link?.ready.then(() => {
      if (generation === this.#generation && this.#eps.get(ept) === state && !ept.closed) this.#createRemote(ept, state, link);
    });
  }

  deregister(ept: IpcEndpoint): void {
    const state = this.#eps.get(ept);
    if (!state) return;
    this.#eps.delete(ept);
    this.#dropEndpoint(ept, state);
  }

  ready(): boolean {
    return this.#link !== undefined && this.#linkReady;
  }

  async send(ept: IpcEndpoint, data: Uint8Array, timeoutMs: number): Promise<number> {
    const le = this.#endpoint("ipc_service_send", ept, data.length);
    try {
      return await le.send(data, timeoutMs);
    } catch (cause) {
      throw wrapLinkError("ipc_service_send", ept, cause);
    }
  }

  txBufferSize(): number {
    return this.#c.bufferSize - RPMSG_HEADER;
  }

  async getTxBuffer(ept: IpcEndpoint, size: number, timeoutMs: number): Promise<IpcTxBuffer> {
    const what = "ipc_service_get_tx_buffer";
    if (size > this.txBufferSize()) {
      throw new IpcError("ENOMEM", `[zephyr-shim] ${what} on ${ept.name}: ${size} bytes is over the ${this.txBufferSize()}-byte TX buffer`);
    }
    const le = this.#endpoint(what, ept, size);
    try {
      return await le.getTxBuffer(timeoutMs);
    } catch (cause) {
      if (cause instanceof LinkError && cause.code === "ENOMEM") {
        const waited = timeoutMs === 0 ? "" : ` within ${timeoutMs} ms`;
        throw new IpcError("ENOBUFS", `[zephyr-shim] ${what} on ${ept.name}: no TX buffer is free${waited}`, { cause });
      }
      throw wrapLinkError(what, ept, cause);
    }
  }

  sendNoCopy(ept: IpcEndpoint, buffer: IpcTxBuffer, len: number): number {
    const le = this.#endpoint("ipc_service_send_nocopy", ept, len);
    try {
      return le.sendNoCopy(buffer, len);
    } catch (cause) {
      throw wrapLinkError("ipc_service_send_nocopy", ept, cause);
    }
  }

  dropTxBuffer(ept: IpcEndpoint): never {
    // Zephyr's static-vrings backend answers -ENOTSUP: OpenAMP gives a lent TX buffer back only by sending it
    throw new IpcError("ENOTSUP", `[zephyr-shim] ipc_service_drop_tx_buffer on ${ept.name}: the RPMsg static-vrings backend cannot drop a TX buffer (send it instead)`);
  }

  holdRxBuffer(ept: IpcEndpoint, data: Uint8Array): void {
    const state = this.#eps.get(ept);
    const rx = this.#rx;
    if (state === undefined || rx === undefined || rx.data !== data || state.link !== rx.le) {
      throw new TypeError(`[zephyr-shim] ipc_service_hold_rx_buffer on ${ept.name}: call it inside the received callback, with the buffer that callback got`);
    }
    if (!state.held.has(data)) state.held.set(data, rx.le.hold());
  }

  releaseRxBuffer(ept: IpcEndpoint, data: Uint8Array): void {
    const held = this.#eps.get(ept)?.held;
    const handle = held?.get(data);
    if (held === undefined || handle === undefined) {
      throw new TypeError(`[zephyr-shim] ipc_service_release_rx_buffer on ${ept.name}: that buffer is not held (hold it with ipc_service_hold_rx_buffer in the received callback)`);
    }
    held.delete(data);
    handle.release();
  }

  txBuffers(): { free: number; total: number } | undefined {
    return this.#link?.txBuffers();
  }

  stats(): Readonly<Record<string, number>> {
    return { ...(this.#link?.stats() ?? {}), generation: this.#generation, endpoints: this.#eps.size };
  }

  #kick(): void {
    if (this.#wq) this.#k.k_work_submit_to_queue(this.#wq, this.#rxWork);
  }

  #onNameService(name: string, addr: number): void {
    if (this.#c.role !== "host") return;
    for (const [ept, state] of this.#eps) {
      if (ept.name !== name) continue;
      if (state.link) {
        if (state.dst === addr) return;
        // the peer announced the name again at a new address (it restarted): drop the old binding
        const old = state.link;
        state.link = undefined;
        safeDestroy(old);
        ept._setUnbound();
      }
      this.#bindHost(ept, state, addr);
      return;
    }
    this.#announced.set(name, addr);
  }

  #bindHost(ept: IpcEndpoint, state: EptState, addr: number): void {
    const link = this.#link;
    if (!link) return;
    this.#announced.delete(ept.name);
    const le = link.createEndpoint({
      name: ept.name,
      dst: addr,
      onMessage: (data) => {
        ept._setBound();
        if (data.length > 0) this.#deliver(ept, le, data);
      },
      onBound: () => {
        // the peer announced the name again (it restarted): bind again with a new handshake
        ept._setUnbound();
        this.#handshake(ept, state, le, HANDSHAKE_TRIES);
      },
      onUnbound: () => {
        if (state.link !== le) return;
        state.link = undefined;
        safeDestroy(le);
        ept._setUnbound();
      },
    });
    state.link = le;
    state.dst = addr;
    this.#handshake(ept, state, le, HANDSHAKE_TRIES);
  }

  #handshake(ept: IpcEndpoint, state: EptState, le: LinkEndpoint, triesLeft: number): void {
    if (state.link !== le || ept.closed || ept.bound) return;
    try {
      le.trySend(EMPTY);
    } catch (error) {
      if (triesLeft <= 1) {
        ept._error(`binding handshake could not be sent: ${String(error)}`);
        return;
      }
      this.#k.clock.setTimeout(() => this.#handshake(ept, state, le, triesLeft - 1), HANDSHAKE_RETRY_MS);
    }
  }

  #createRemote(ept: IpcEndpoint, state: EptState, link: RpmsgLink): void {
    const le = link.createEndpoint({
      name: ept.name,
      onMessage: (data) => {
        if (data.length > 0) {
          this.#deliver(ept, le, data);
          return;
        }
        try {
          le.trySend(EMPTY);
          ept._setBound();
        } catch (error) {
          ept._error(`binding handshake reply could not be sent: ${String(error)}`);
        }
      },
      onUnbound: () => ept._setUnbound(),
    });
    state.link = le;
  }

  /** Deliver a message; while `received` runs, the application may hold its buffer. */
  #deliver(ept: IpcEndpoint, le: LinkEndpoint, data: Uint8Array): void {
    this.#rx = { le, data };
    try {
      ept._deliver(data);
    } finally {
      this.#rx = undefined;
    }
  }

  #dropEndpoint(ept: IpcEndpoint, state: EptState): void {
    const le = state.link;
    state.link = undefined;
    state.held.clear();
    if (le) safeDestroy(le);
    if (ept.bound) ept._setUnbound();
  }

  #endpoint(what: string, ept: IpcEndpoint, size: number): LinkEndpoint {
    const le = this.#eps.get(ept)?.link;
    if (!le || !this.#link) {
      const why = this.#c.role === "host" ? "the remote has not announced it yet" : "the RPMsg endpoint is not created yet";
      throw new IpcError("ENOTCONN", `[zephyr-shim] ${what} on ${ept.name}: no peer to send to (${why})`);
    }
    if (size > this.#link.maxPayload) {
      throw new IpcError("EMSGSIZE", `[zephyr-shim] ${what} on ${ept.name}: ${size} bytes is over the ${this.#link.maxPayload}-byte payload`);
    }
    return le;
  }
}

/** Create an IPC instance with the RPMsg static-vrings backend on a booted Zephyr. */
export function createRpmsgIpcInstance(zephyr: Zephyr, config: RpmsgStaticVringsConfig): IpcInstance {
  return new IpcInstance(config.name ?? "ipc0", new RpmsgStaticVringsBackend(zephyr, config));
}
