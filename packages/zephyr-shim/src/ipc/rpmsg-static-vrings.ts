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
import { IpcError } from "./ipc-error.ts";
import { IpcInstance, type IpcBackend, type IpcEndpoint, type IpcTxBuffer } from "./ipc-service.ts";
import { LinkError, type LinkEndpoint, type LinkFactory, type RpmsgLink } from "./rpmsg-link.ts";
import { createOpenAmpLinkFactory } from "./openamp-link.ts";
import type { Logger } from "../kernel/log.ts";

/** Configuration of an RPMsg static-vrings instance. */
export interface RpmsgStaticVringsConfig {
  /** `"host"` (virtio driver, Zephyr's role in the demo) or `"remote"`. */
  readonly role: "host" | "remote";
  /** `xen,id` of the static shared memory region, default `"rpmsg-shm"`. */
  readonly shmId?: string;
  /** Static event channel port used as the doorbell, default 0xa. */
  readonly port?: number;
  /** RPMsg buffer size, default 512 (496-byte payloads). */
  readonly bufferSize?: number;
  /** Instance name, default `"ipc0"`. */
  readonly name?: string;
  /** How links are made; default: `@v8r/openamp-wasm`. */
  readonly linkFactory?: LinkFactory;
  /**
   * Look at the rings every this many ms even without a doorbell, so a lost
   * event notification delays messages instead of stalling the link (real
   * Zephyr has no such poll; v8r's fault injection drops events); default
   * 250, 0 turns it off.
   */
  readonly pollMs?: number;
}

const EMPTY = new Uint8Array(0);
/** Handshake re-sends when no TX buffer is free, and their spacing. */
const HANDSHAKE_TRIES = 50;
const HANDSHAKE_RETRY_MS = 10;

interface EptState {
  link: LinkEndpoint | undefined;
  /** The peer address the host bound to. */
  dst: number;
}

/** The backend; use {@link createRpmsgIpcInstance}. */
export class RpmsgStaticVringsBackend implements IpcBackend {
  readonly #k: Zephyr;
  readonly #role: "host" | "remote";
  readonly #shmId: string;
  readonly #port: number;
  readonly #bufferSize: number;
  readonly #name: string;
  readonly #factory: LinkFactory;
  readonly #log: Logger;
  readonly #rxWork: KWork;
  readonly #pollMs: number;
  #poll: KTimer | undefined;
  #wq: KWorkQueue | undefined;
  #link: RpmsgLink | undefined;
  #generation = 0;
  readonly #announced = new Map<string, number>();
  readonly #eps = new Map<IpcEndpoint, EptState>();

  /** Build the backend for `zephyr` with `config`. */
  constructor(zephyr: Zephyr, config: RpmsgStaticVringsConfig) {
    if (config.role !== "host" && config.role !== "remote") {
      throw new TypeError(`[zephyr-shim] creating an RPMsg IPC instance: role must be "host" or "remote", not ${String(config.role)}`);
    }
    this.#k = zephyr;
    this.#role = config.role;
    this.#shmId = config.shmId ?? "rpmsg-shm";
    this.#port = config.port ?? 0xa;
    this.#bufferSize = config.bufferSize ?? 512;
    this.#name = config.name ?? "ipc0";
    this.#factory = config.linkFactory ?? createOpenAmpLinkFactory();
    this.#log = zephyr.LOG_MODULE_REGISTER("ipc_rpmsg");
    this.#rxWork = zephyr.k_work_init(() => this.#link?.notified());
    this.#pollMs = config.pollMs ?? 250;
    if (!(Number.isInteger(this.#pollMs) && this.#pollMs >= 0)) {
      throw new RangeError(`[zephyr-shim] creating an RPMsg IPC instance: pollMs must be a whole number of ms >= 0, not ${this.#pollMs}`);
    }
  }

  /** The current link (undefined while closed). */
  get link(): RpmsgLink | undefined {
    return this.#link;
  }

  async open(): Promise<void> {
    const what = `opening IPC instance ${this.#name}`;
    const node = this.#k.ctx.reservedMemory.find((n) => n.xenId === this.#shmId);
    if (!node) {
      const found = this.#k.ctx.reservedMemory.map((n) => n.xenId).join(", ") || "none";
      throw new IpcError("ENOENT", `[zephyr-shim] ${what}: no xen-shmem reserved-memory node has xen,id "${this.#shmId}" (found: ${found})`);
    }
    let shm;
    try {
      shm = this.#k.ctx.mapSharedMemory(this.#shmId);
    } catch (cause) {
      throw new IpcError("ENOENT", `[zephyr-shim] ${what}: mapping ${this.#shmId} failed: ${String(cause)}`, { cause });
    }
    const generation = ++this.#generation;
    const link = await this.#k.track(this.#factory({
      role: this.#role,
      shm,
      physBase: node.address,
      bufferSize: this.#bufferSize,
      notify: () => this.#k.notify_evtchn(this.#port),
      onNameService: (name, addr) => this.#onNameService(name, addr),
      sleep: (ms) => new Promise<void>((resolve) => this.#k.clock.setTimeout(resolve, ms)),
      now: () => this.#k.clock.now(),
      onError: (error) => this.#log.LOG_ERR("%s: callback failed: %s", this.#name, describeError(error).error),
    }));
    if (generation !== this.#generation) {
      link.dispose();
      throw new IpcError("ECANCELED", `[zephyr-shim] ${what}: closed while opening`);
    }
    this.#link = link;
    this.#wq ??= this.#k.k_work_queue_start(`${this.#name}_wq`, 0);
    const rc = this.#k.bind_event_channel(this.#port, () => this.#kick(), null);
    if (rc !== 0) {
      link.dispose();
      this.#link = undefined;
      throw new IpcError("EBUSY", `[zephyr-shim] ${what}: event channel ${this.#port} already has a handler`);
    }
    this.#k.get_missed_events(this.#port);
    if (this.#role === "host") this.#k.notify_evtchn(this.#port);
    this.#kick();
    if (this.#pollMs > 0) {
      this.#poll ??= this.#k.k_timer_init(() => this.#kick());
      this.#k.k_timer_start(this.#poll, this.#pollMs, this.#pollMs);
    }
  }

  async close(): Promise<void> {
    this.#generation++;
    if (this.#poll) this.#k.k_timer_stop(this.#poll);
    this.#k.unbind_event_channel(this.#port);
    this.#k.k_work_cancel(this.#rxWork);
    for (const [ept, state] of this.#eps) this.#dropEndpoint(ept, state);
    this.#eps.clear();
    this.#announced.clear();
    this.#link?.dispose();
    this.#link = undefined;
  }

  register(ept: IpcEndpoint): void {
    const state: EptState = { link: undefined, dst: -1 };
    this.#eps.set(ept, state);
    if (this.#role === "host") {
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

  async send(ept: IpcEndpoint, data: Uint8Array, timeoutMs: number): Promise<number> {
    const le = this.#endpoint("ipc_service_send", ept, data.length);
    try {
      return timeoutMs > 0 ? await le.send(data, timeoutMs) : le.trySend(data);
    } catch (cause) {
      throw this.#wrap("ipc_service_send", ept, cause);
    }
  }

  async getTxBuffer(ept: IpcEndpoint, size: number, timeoutMs: number): Promise<IpcTxBuffer> {
    const le = this.#endpoint("ipc_service_get_tx_buffer", ept, size);
    try {
      return await le.getTxBuffer(timeoutMs);
    } catch (cause) {
      throw this.#wrap("ipc_service_get_tx_buffer", ept, cause);
    }
  }

  sendNoCopy(ept: IpcEndpoint, buffer: IpcTxBuffer, len: number): number {
    const le = this.#endpoint("ipc_service_send_nocopy", ept, len);
    try {
      return le.sendNoCopy(buffer, len);
    } catch (cause) {
      throw this.#wrap("ipc_service_send_nocopy", ept, cause);
    }
  }

  releaseTxBuffer(ept: IpcEndpoint, buffer: IpcTxBuffer): void {
    this.#eps.get(ept)?.link?.releaseTxBuffer(buffer);
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
    if (this.#role !== "host") return;
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
        if (data.length > 0) ept._deliver(data);
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
          ept._deliver(data);
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

  #dropEndpoint(ept: IpcEndpoint, state: EptState): void {
    const le = state.link;
    state.link = undefined;
    if (le) safeDestroy(le);
    if (ept.bound) ept._setUnbound();
  }

  #endpoint(what: string, ept: IpcEndpoint, size: number): LinkEndpoint {
    const le = this.#eps.get(ept)?.link;
    if (!le || !this.#link) throw new IpcError("ENOTCONN", `[zephyr-shim] ${what} on ${ept.name}: the endpoint has no link`);
    if (size > this.#link.maxPayload) {
      throw new IpcError("EMSGSIZE", `[zephyr-shim] ${what} on ${ept.name}: ${size} bytes is over the ${this.#link.maxPayload}-byte payload`);
    }
    return le;
  }

  #wrap(what: string, ept: IpcEndpoint, cause: unknown): IpcError {
    if (cause instanceof IpcError) return cause;
    const code = cause instanceof LinkError ? cause.code : "EIO";
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new IpcError(code, `[zephyr-shim] ${what} on ${ept.name}: ${reason}`, { cause });
  }
}

function safeDestroy(le: LinkEndpoint): void {
  try {
    le.destroy();
  } catch {
    // the link may be gone already; nothing to release then
  }
}

/** Create an IPC instance with the RPMsg static-vrings backend on a booted Zephyr. */
export function createRpmsgIpcInstance(zephyr: Zephyr, config: RpmsgStaticVringsConfig): IpcInstance {
  return new IpcInstance(config.name ?? "ipc0", new RpmsgStaticVringsBackend(zephyr, config));
}
