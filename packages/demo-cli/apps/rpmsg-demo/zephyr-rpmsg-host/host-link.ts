/**
 * The rpmsg-host link policy: an IPC instance (RPMsg host role) with the
 * `rpmsg-demo` and `rpmsg-ctrl` endpoints, a sender thread that sends
 * queued samples oldest first, retries a failed send with exponential
 * backoff, and re-initialises the RPMsg device (new vdev over the same
 * region, endpoints re-registered) when the retries are exhausted or the
 * link stays down too long. Every step and link-state change is logged.
 *
 * @module
 */
import { describeError } from "@v8r/fvp-core";
import type {} from "@v8r/xen-dom0less";
import {
  ipc_service_close_instance,
  ipc_service_deregister_endpoint,
  ipc_service_open_instance,
  ipc_service_register_endpoint,
  ipc_service_send,
  IpcError,
  K_FOREVER,
  type IpcEndpoint,
  type IpcInstance,
  type KSem,
  type KWorkDelayable,
  type Logger,
  type Zephyr,
} from "@v8r/zephyr-shim";
import { CTRL_ENDPOINT, DEMO_ENDPOINT } from "../protocol/mod.ts";
import { SampleQueue, type QueuedSample } from "./sample-queue.ts";

/** What `zephyr.link` trace events carry: the link state and the counters of the samples' `ipc` field. */
export interface ZephyrLinkEvent {
  /** `up`: `rpmsg-demo` bound; `down`: unbound; `reinit`: the RPMsg device is being re-initialised. */
  readonly state: "up" | "down" | "reinit";
  /** Samples sent. */
  readonly tx: number;
  /** Send retries. */
  readonly rt: number;
  /** Link re-initialisations. */
  readonly ri: number;
  /** Samples dropped while the link was down. */
  readonly dr: number;
  /** Samples queued now. */
  readonly q: number;
}

declare module "@v8r/xen-dom0less" {
  interface GuestEventMap {
    /** rpmsg-host's link changed state. */
    "zephyr.link": ZephyrLinkEvent;
  }
}

/** Tunables of the link policy. */
export interface LinkPolicy {
  /** Delays before each retry of a failed send, ms (default 10, 20, 40, 80, 160). */
  readonly retryDelaysMs: readonly number[];
  /** Re-initialise when the link has been down this long, ms (default 5000). */
  readonly relinkAfterMs: number;
  /** Samples kept while the link is down (default 64). */
  readonly queueCapacity: number;
  /** Wait before retrying a re-init that failed to open, ms (default 1000). */
  readonly reopenDelayMs: number;
  /** Samples sent but not yet consumed by the peer before a send counts as failed (default 8). */
  readonly maxInFlight: number;
}

/** The defaults of {@link LinkPolicy}. */
export const DEFAULT_LINK_POLICY: LinkPolicy = {
  retryDelaysMs: [10, 20, 40, 80, 160],
  relinkAfterMs: 5000,
  queueCapacity: 64,
  reopenDelayMs: 1000,
  maxInFlight: 8,
};

type SendResult = "sent" | "down" | "failed";

/** The host side of the demo link. */
export class HostLink {
  /** Samples sent. */
  tx = 0;
  /** Send retries. */
  rt = 0;
  /** Re-initialisations. */
  ri = 0;
  /** Whether `rpmsg-demo` is bound. */
  up = false;
  /** Samples waiting. */
  readonly queue: SampleQueue;
  readonly #k: Zephyr;
  readonly #log: Logger;
  readonly #inst: IpcInstance;
  readonly #policy: LinkPolicy;
  readonly #onCommand: (data: Uint8Array) => Uint8Array;
  readonly #kick: KSem;
  readonly #relink: KWorkDelayable;
  readonly #inFlight: QueuedSample[] = [];
  #demo: IpcEndpoint | undefined;
  #ctrl: IpcEndpoint | undefined;
  #reinitRequested = false;
  #reiniting = false;
  #stopped = false;

  /** A link on instance `inst`; `onCommand` turns a command into its reply. */
  constructor(k: Zephyr, log: Logger, inst: IpcInstance, policy: LinkPolicy, onCommand: (data: Uint8Array) => Uint8Array) {
    this.#k = k;
    this.#log = log;
    this.#inst = inst;
    this.#policy = policy;
    this.#onCommand = onCommand;
    this.queue = new SampleQueue(k.heap, policy.queueCapacity);
    this.#kick = k.k_sem_init(0, 1);
    this.#relink = k.k_work_init_delayable(() => this.#requestReinit(`link down for ${policy.relinkAfterMs} ms`));
  }

  /** Open the instance, register the endpoints and start the sender thread. */
  async start(): Promise<void> {
    this.#k.k_thread_create({ name: "rpmsg_tx", prio: 5, entry: () => this.#run() });
    try {
      await ipc_service_open_instance(this.#inst);
      this.#log.LOG_INF("RPMsg host up on %s; waiting for the remote to announce its endpoints", this.#inst.name);
      this.#register();
    } catch (error) {
      this.#log.LOG_ERR("opening %s failed: %s", this.#inst.name, describeError(error).error);
      this.#requestReinit("open failed");
    }
  }

  /** Queue an encoded sample for sending. */
  enqueue(seq: number, bytes: Uint8Array): void {
    const dropped = this.queue.push(seq, bytes);
    if (dropped > 0) this.#log.LOG_WRN("sample queue full: dropped %d oldest sample(s) (%d dropped in total)", dropped, this.queue.dropped);
    this.#k.k_sem_give(this.#kick);
  }

  /** Stop the sender thread and close the link. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#k.k_sem_give(this.#kick);
    this.#k.k_work_cancel_delayable(this.#relink);
    await this.#teardown();
    for (const item of this.#inFlight.splice(0)) this.queue.release(item);
  }

  #register(): void {
    this.#demo = ipc_service_register_endpoint(this.#inst, {
      name: DEMO_ENDPOINT,
      cb: {
        bound: () => this.#setUp(true),
        unbound: () => this.#setUp(false),
        error: (message) => this.#log.LOG_ERR("%s: %s", DEMO_ENDPOINT, message),
      },
    });
    this.#ctrl = ipc_service_register_endpoint(this.#inst, {
      name: CTRL_ENDPOINT,
      cb: {
        bound: () => this.#log.LOG_INF("%s bound", CTRL_ENDPOINT),
        unbound: () => this.#log.LOG_WRN("%s unbound", CTRL_ENDPOINT),
        received: (data) => this.#command(data),
        error: (message) => this.#log.LOG_ERR("%s: %s", CTRL_ENDPOINT, message),
      },
    });
    this.#k.k_work_reschedule(this.#relink, this.#policy.relinkAfterMs);
  }

  #setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    if (up) {
      this.#log.LOG_INF("link up: %s bound (%d sample(s) queued)", DEMO_ENDPOINT, this.queue.length);
      this.#k.k_work_cancel_delayable(this.#relink);
      this.#k.k_sem_give(this.#kick);
    } else {
      this.#log.LOG_WRN("link down: %s unbound", DEMO_ENDPOINT);
      if (!this.#stopped && !this.#reiniting) this.#k.k_work_reschedule(this.#relink, this.#policy.relinkAfterMs);
    }
    this.#publish(up ? "up" : "down");
  }

  #command(data: Uint8Array): void {
    const reply = this.#onCommand(data);
    const ctrl = this.#ctrl;
    if (!ctrl) return;
    ipc_service_send(ctrl, reply, { timeoutMs: 100 }).catch((error: unknown) =>
      this.#log.LOG_WRN("reply on %s not sent: %s", CTRL_ENDPOINT, describeError(error).error),
    );
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      if (this.#reinitRequested) {
        await this.#reinit();
        continue;
      }
      const head = this.queue.peek();
      if (!this.up || !head) {
        await this.#k.k_sem_take(this.#kick, K_FOREVER);
        continue;
      }
      const result = await this.#sendWithRetry(head.seq, head.block.bytes);
      if (result === "sent") {
        if (this.queue.peek() === head) this.#inFlight.push(this.queue.take() as QueuedSample);
        this.tx++;
      } else if (result === "failed") {
        this.#requestReinit(`${this.#policy.retryDelaysMs.length} retries failed`);
      }
    }
  }

  async #sendWithRetry(seq: number, bytes: Uint8Array): Promise<SendResult> {
    const delays = this.#policy.retryDelaysMs;
    for (let attempt = 0; ; attempt++) {
      const demo = this.#demo;
      if (!demo || !this.up) return "down";
      const code = await this.#attempt(demo, bytes);
      if (code === undefined) return "sent";
      if (code === "ENOTCONN" || !this.up) return "down";
      const delay = delays[attempt];
      if (delay === undefined) {
        this.#log.LOG_ERR("send of sample %d failed after %d retries (%s)", seq, delays.length, code);
        return "failed";
      }
      this.rt++;
      this.#log.LOG_WRN("send of sample %d failed (%s): retry %d/%d in %d ms", seq, code, attempt + 1, delays.length, delay);
      await this.#k.k_msleep(delay);
    }
  }

  /** One send attempt: undefined when sent, else why not ("EBUSY": the peer has not consumed maxInFlight samples). */
  async #attempt(demo: IpcEndpoint, bytes: Uint8Array): Promise<string | undefined> {
    if (this.#confirm() >= this.#policy.maxInFlight) return "EBUSY";
    try {
      // no wait for a buffer (rpmsg_trysend): the retry policy above does the waiting
      await ipc_service_send(demo, bytes, { timeoutMs: 0 });
      return undefined;
    } catch (error) {
      if (!(error instanceof IpcError)) throw error;
      return error.code;
    }
  }

  /** Forget in-flight samples the peer consumed (it consumes in order, so the oldest); returns how many remain. */
  #confirm(): number {
    const tx = this.#inst.backend.txBuffers();
    if (!tx) return this.#inFlight.length;
    const outstanding = Math.max(0, tx.total - tx.free);
    while (this.#inFlight.length > outstanding) this.queue.release(this.#inFlight.shift() as QueuedSample);
    return this.#inFlight.length;
  }

  /** Before the rings are reset: samples the peer never consumed go back to the front of the queue. */
  #requeueInFlight(): void {
    this.#confirm();
    const replay = this.#inFlight.splice(0);
    if (replay.length === 0) return;
    this.tx -= replay.length;
    const dropped = this.queue.requeue(replay);
    this.#log.LOG_INF("re-init #%d: %d unconsumed sample(s) queued again (%d dropped)", this.ri, replay.length, dropped);
  }

  #requestReinit(reason: string): void {
    if (this.#stopped || this.#reinitRequested) return;
    this.#log.LOG_ERR("link failed (%s): RPMsg re-init requested", reason);
    this.#reinitRequested = true;
    this.#k.k_sem_give(this.#kick);
  }

  async #reinit(): Promise<void> {
    this.#reiniting = true;
    try {
      await this.#reinitSteps();
    } finally {
      this.#reiniting = false;
    }
  }

  async #reinitSteps(): Promise<void> {
    this.#reinitRequested = false;
    this.ri++;
    this.#log.LOG_WRN("re-init #%d: tearing down the RPMsg device", this.ri);
    this.#requeueInFlight();
    this.#publish("reinit");
    await this.#teardown();
    try {
      await ipc_service_open_instance(this.#inst);
    } catch (error) {
      this.#log.LOG_ERR("re-init #%d: opening a new vdev failed: %s; trying again in %d ms", this.ri, describeError(error).error, this.#policy.reopenDelayMs);
      await this.#k.k_msleep(this.#policy.reopenDelayMs);
      this.#reinitRequested = true;
      return;
    }
    this.#log.LOG_INF("re-init #%d: new vdev over the same region; re-registering %s and %s", this.ri, DEMO_ENDPOINT, CTRL_ENDPOINT);
    this.#register();
  }

  async #teardown(): Promise<void> {
    this.#setUp(false);
    this.#k.k_work_cancel_delayable(this.#relink);
    for (const ept of [this.#demo, this.#ctrl]) if (ept) ipc_service_deregister_endpoint(ept);
    this.#demo = undefined;
    this.#ctrl = undefined;
    if (this.#inst.opened) await ipc_service_close_instance(this.#inst);
  }

  #publish(state: ZephyrLinkEvent["state"]): void {
    this.#k.ctx.publish({ type: "zephyr.link", state, tx: this.tx, rt: this.rt, ri: this.ri, dr: this.queue.dropped, q: this.queue.length });
  }
}
