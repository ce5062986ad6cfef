/**
 * The rpmsg-host link policy: an IPC instance (RPMsg host role) with the
 * `rpmsg-demo` and `rpmsg-ctrl` endpoints, and a sender thread that sends
 * queued samples oldest first, at most a window of them unacknowledged.
 * The remote acknowledges samples and proves it is alive with the `ack`
 * command (PROTOCOL.md, "Liveness"); the link re-initialises the RPMsg
 * device (`rpmsg_init_vdev` again: a new vdev over the same region,
 * endpoints re-registered) as soon as the remote looks dead or reset:
 * nothing heard for `deadAfterMs`, a sample unacknowledged that long, the
 * remote missing replies, the link unbound that long, or a send failing
 * after its retries. Samples in flight then go out again; Linux ignores
 * the ones it already has. Every step and link-state change is logged.
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
  type KTimer,
  type Logger,
  type Zephyr,
} from "@v8r/zephyr-shim";
import { CTRL_ENDPOINT, type CtrlResultEvent, DEMO_ENDPOINT, encodeStatusSample, LIVENESS } from "../protocol/mod.ts";
import { type DropReason, type DroppedSample, type QueuedSample, SampleQueue } from "./sample-queue.ts";

/** What `zephyr.link` trace events carry: the link state and the counters of the samples' `ipc` field. */
export interface ZephyrLinkEvent {
  /** Always `zephyr.link`. */
  readonly type: "zephyr.link";
  /** `up`: `rpmsg-demo` bound; `down`: unbound; `reinit`: the RPMsg device is being re-initialised. */
  readonly state: "up" | "down" | "reinit";
  /** Samples sent. */
  readonly tx: number;
  /** Send retries. */
  readonly rt: number;
  /** Link re-initialisations. */
  readonly ri: number;
  /** Samples dropped (never sent: the queue or the heap was full). */
  readonly dr: number;
  /** Samples queued now (waiting to be sent or acknowledged). */
  readonly q: number;
  /** Samples the remote acknowledged. */
  readonly delivered: number;
}

/** What `zephyr.sample` trace events carry: one sample's fate (PROTOCOL.md, "Accounting"). */
export interface ZephyrSampleEvent {
  /** Always `zephyr.sample`. */
  readonly type: "zephyr.sample";
  /** The boot id of the sample. */
  readonly boot: string;
  /** Its seq. */
  readonly seq: number;
  /** `taken`, then exactly one of `delivered` (acknowledged) or `dropped` (with a reason), unless Zephyr dies first. */
  readonly fate: SampleFate;
  /** Why it was dropped. */
  readonly reason?: DropReason;
}

/** Every event rpmsg-host publishes: its link changed state, what happened to one of its samples, or it answered a control request. */
export type RpmsgHostEvent = ZephyrLinkEvent | ZephyrSampleEvent | CtrlResultEvent;

/** Tunables of the link policy. */
export interface LinkPolicy {
  /** Delays before each retry of a failed send, ms (default 10, 20, 40, 80, 160). */
  readonly retryDelaysMs: readonly number[];
  /** Re-initialise when the remote looks dead this long, ms (default `LIVENESS.deadAfterMs`, 1000). */
  readonly deadAfterMs: number;
  /** Longest wait between re-initialisations while the link stays unbound, ms (default `LIVENESS.maxRelinkMs`, 2000). */
  readonly maxRelinkMs: number;
  /** Samples kept while they cannot be sent (default 64). */
  readonly queueCapacity: number;
  /** Wait before retrying a re-init that failed to open, ms (default 1000). */
  readonly reopenDelayMs: number;
  /** Samples sent and not yet acknowledged before the sender waits (default 16). */
  readonly maxInFlight: number;
}

/** The defaults of {@link LinkPolicy}. */
export const DEFAULT_LINK_POLICY: LinkPolicy = {
  retryDelaysMs: [10, 20, 40, 80, 160],
  deadAfterMs: LIVENESS.deadAfterMs,
  maxRelinkMs: LIVENESS.maxRelinkMs,
  queueCapacity: 64,
  reopenDelayMs: 1000,
  maxInFlight: 16,
};

type SendResult = "sent" | "down" | "failed";

/** What happened to a sample, published on the trace bus as `zephyr.sample`. */
export type SampleFate = "taken" | "delivered" | "dropped";

/** The host side of the demo link. */
export class HostLink {
  /** Sample sends (a sample sent again after a re-init counts again). */
  tx = 0;
  /** Send retries. */
  rt = 0;
  /** Re-initialisations. */
  ri = 0;
  /** Samples the remote acknowledged. */
  delivered = 0;
  /** Whether `rpmsg-demo` is bound. */
  up = false;
  /** Samples waiting to be sent or acknowledged. */
  readonly queue: SampleQueue;
  readonly #k: Zephyr;
  readonly #log: Logger;
  readonly #inst: IpcInstance;
  readonly #policy: LinkPolicy;
  readonly #boot: string;
  readonly #onCommand: (data: Uint8Array) => Uint8Array;
  readonly #kick: KSem;
  readonly #watch: KTimer;
  #demo: IpcEndpoint | undefined;
  #ctrl: IpcEndpoint | undefined;
  #reinitRequested = false;
  #reiniting = false;
  #stopped = false;
  /** Uptime when the remote was last heard on `rpmsg-ctrl` (or the link came up). */
  #lastHeard = 0;
  /** Uptime since when the link has been unbound. */
  #downSince = 0;
  /** Current wait before re-initialising an unbound link. */
  #relinkMs: number;
  /** Whether the link was ever up: until then Zephyr is waiting for its peer, and says so once (see #linkLog). */
  #everUp = false;

  /** A link for boot `boot` on instance `inst`; `onCommand` turns a command into its reply. */
  constructor(k: Zephyr, log: Logger, inst: IpcInstance, policy: LinkPolicy, boot: string, onCommand: (data: Uint8Array) => Uint8Array) {
    this.#k = k;
    this.#log = log;
    this.#inst = inst;
    this.#policy = policy;
    this.#boot = boot;
    this.#onCommand = onCommand;
    this.#relinkMs = policy.deadAfterMs;
    this.queue = new SampleQueue(k.heap, policy.queueCapacity);
    this.#kick = k.k_sem_init(0, 1);
    this.#watch = k.k_timer_init(() => this.#checkLiveness());
  }

  /** Open the instance, register the endpoints and start the sender thread and the liveness watch. */
  async start(): Promise<void> {
    this.#k.k_thread_create({ name: "rpmsg_tx", prio: 5, entry: () => this.#run() });
    const every = Math.max(1, Math.floor(this.#policy.deadAfterMs / 4));
    this.#k.k_timer_start(this.#watch, every, every);
    try {
      await ipc_service_open_instance(this.#inst);
      this.#log.LOG_INF("RPMsg host up on %s; waiting for the remote to announce its endpoints", this.#inst.name);
      this.#register();
    } catch (error) {
      this.#log.LOG_ERR("opening %s failed: %s", this.#inst.name, describeError(error).error);
      this.#requestReinit("open failed");
    }
  }

  /** Queue a taken sample for sending. */
  enqueue(taken: { readonly seq: number; readonly facts: QueuedSample["facts"]; readonly bytes: Uint8Array }): void {
    this.#fate(taken.seq, "taken");
    const dropped = this.queue.push(taken.seq, taken.facts, taken.bytes);
    for (const d of dropped) this.#fate(d.seq, "dropped", d.reason);
    if (dropped.length > 0) this.#logDrops(dropped);
    this.#k.k_sem_give(this.#kick);
  }

  /**
   * The remote's `ack`: it has every sample of `boot` (as a number) before
   * `next`, and `miss` of its previous acks got no reply. Acknowledged
   * samples leave the queue; missed replies mean the host -> remote way is
   * broken, so the link is re-initialised.
   */
  acknowledge(boot: number, next: number, miss: number): void {
    if (miss > 0 && this.up) this.#requestReinit(`the remote got no reply to its last ${miss} ack(s)`);
    if (boot !== Number.parseInt(this.#boot, 16)) return;
    for (const item of this.queue.acknowledge(next)) {
      this.delivered++;
      this.#fate(item.seq, "delivered");
    }
    this.#k.k_sem_give(this.#kick);
  }

  /** Stop the sender thread and close the link. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#k.k_sem_give(this.#kick);
    this.#k.k_timer_stop(this.#watch);
    await this.#teardown();
    this.queue.clear();
  }

  #register(): void {
    this.#downSince = this.#k.k_uptime_get();
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
  }

  #setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    const now = this.#k.k_uptime_get();
    if (up) {
      this.#everUp = true;
      this.#log.LOG_INF("link up: %s bound (%d sample(s) queued)", DEMO_ENDPOINT, this.queue.length);
      this.#lastHeard = now;
      this.#relinkMs = this.#policy.deadAfterMs;
      this.#k.k_sem_give(this.#kick);
    } else {
      this.#log.LOG_WRN("link down: %s unbound", DEMO_ENDPOINT);
      this.#downSince = now;
    }
    this.#publish(up ? "up" : "down");
  }

  #command(data: Uint8Array): void {
    this.#lastHeard = this.#k.k_uptime_get();
    const reply = this.#onCommand(data);
    const ctrl = this.#ctrl;
    if (!ctrl) return;
    ipc_service_send(ctrl, reply, { timeoutMs: 0 }).catch((error: unknown) =>
      this.#log.LOG_WRN("reply on %s not sent: %s", CTRL_ENDPOINT, describeError(error).error),
    );
  }

  /** The liveness watch: re-initialise when the remote looks dead or reset (see the module doc). */
  #checkLiveness(): void {
    if (this.#stopped || this.#reinitRequested || this.#reiniting) return;
    const now = this.#k.k_uptime_get();
    const dead = this.#policy.deadAfterMs;
    if (!this.up) {
      if (now - this.#downSince < this.#relinkMs) return;
      const waited = this.#relinkMs;
      this.#relinkMs = Math.min(this.#relinkMs * 2, this.#policy.maxRelinkMs);
      this.#requestReinit(`link down for ${waited} ms`);
    } else if (now - this.#lastHeard >= dead) {
      this.#requestReinit(`nothing heard from the remote for ${now - this.#lastHeard} ms`);
    } else {
      const oldest = this.queue.oldestInFlight();
      if (oldest !== undefined && now - oldest.sentAt >= dead) this.#requestReinit(`sample ${oldest.seq} not acknowledged ${now - oldest.sentAt} ms after it was sent`);
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      if (this.#reinitRequested) {
        await this.#reinit();
        continue;
      }
      const next = this.up ? this.queue.nextToSend() : undefined;
      if (!next || this.queue.inFlight >= this.#policy.maxInFlight) {
        await this.#k.k_sem_take(this.#kick, K_FOREVER);
        continue;
      }
      const result = await this.#sendWithRetry(next);
      if (result === "sent" && this.queue.nextToSend() === next) {
        this.queue.markSent(next, this.#k.k_uptime_get());
        this.tx++;
      } else if (result === "failed") {
        this.#requestReinit(`${this.#policy.retryDelaysMs.length} retries failed`);
      }
    }
  }

  /** Encode `item` with the link's counters as of now (its `dr`: drops below its seq) and send it, retrying on a full ring. */
  async #sendWithRetry(item: QueuedSample): Promise<SendResult> {
    const delays = this.#policy.retryDelaysMs;
    for (let attempt = 0; ; attempt++) {
      const demo = this.#demo;
      if (!demo || !this.up || this.#reinitRequested) return "down";
      const counters = { ipcTx: this.tx, ipcRt: this.rt, ipcRi: this.ri, ipcDr: this.queue.dropsBelow(item.seq), ipcQ: this.queue.length - 1 };
      const code = await this.#attempt(demo, encodeStatusSample({ ...item.facts, ...counters }).bytes);
      if (code === undefined) return "sent";
      if (code === "ENOTCONN" || !this.up) return "down";
      const delay = delays[attempt];
      if (delay === undefined) {
        this.#log.LOG_ERR("send of sample %d failed after %d retries (%s)", item.seq, delays.length, code);
        return "failed";
      }
      this.rt++;
      this.#log.LOG_WRN("send of sample %d failed (%s): retry %d/%d in %d ms", item.seq, code, attempt + 1, delays.length, delay);
      await this.#k.k_msleep(delay);
    }
  }

  /** One send attempt: undefined when sent, else the error code. */
  async #attempt(demo: IpcEndpoint, bytes: Uint8Array): Promise<string | undefined> {
    try {
      // no wait for a buffer (rpmsg_trysend): the retry policy above does the waiting
      await ipc_service_send(demo, bytes, { timeoutMs: 0 });
      return undefined;
    } catch (error) {
      if (!(error instanceof IpcError)) throw error;
      return error.code;
    }
  }

  /**
   * Log a link-recovery message at `level`, or at debug level while the link
   * has never been up: until the remote first announces its endpoints (Linux
   * may start rpmsg-demo late, e.g. with --no-autorun) Zephyr is waiting for
   * its peer, which it said once at info level, and the quiet re-inits of
   * that wait are no failure.
   */
  #linkLog(level: "LOG_ERR" | "LOG_WRN" | "LOG_INF", fmt: string, ...args: unknown[]): void {
    this.#log[this.#everUp ? level : "LOG_DBG"](fmt, ...args);
  }

  #requestReinit(reason: string): void {
    if (this.#stopped || this.#reinitRequested) return;
    this.#linkLog("LOG_ERR", "link failed (%s): RPMsg re-init requested", reason);
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
    this.#linkLog("LOG_WRN", "re-init #%d: tearing down the RPMsg device", this.ri);
    const again = this.queue.rewind();
    if (again > 0) this.#linkLog("LOG_INF", "re-init #%d: %d unacknowledged sample(s) will be sent again", this.ri, again);
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
    this.#linkLog("LOG_INF", "re-init #%d: new vdev over the same region; re-registering %s and %s", this.ri, DEMO_ENDPOINT, CTRL_ENDPOINT);
    this.#register();
  }

  async #teardown(): Promise<void> {
    this.#setUp(false);
    for (const ept of [this.#demo, this.#ctrl]) if (ept) ipc_service_deregister_endpoint(ept);
    this.#demo = undefined;
    this.#ctrl = undefined;
    if (this.#inst.opened) await ipc_service_close_instance(this.#inst);
  }

  #logDrops(dropped: readonly DroppedSample[]): void {
    const seqs = dropped.map((d) => d.seq).join(", ");
    this.#linkLog("LOG_WRN", "sample queue full: dropped sample(s) %s (%s; %d dropped in total)", seqs, dropped[0]?.reason ?? "", this.queue.dropped);
  }

  #fate(seq: number, fate: SampleFate, reason?: DropReason): void {
    this.#k.ctx.publish<ZephyrSampleEvent>({ type: "zephyr.sample", boot: this.#boot, seq, fate, ...(reason === undefined ? {} : { reason }) });
  }

  #publish(state: ZephyrLinkEvent["state"]): void {
    this.#k.ctx.publish<ZephyrLinkEvent>({ type: "zephyr.link", state, tx: this.tx, rt: this.rt, ri: this.ri, dr: this.queue.dropped, q: this.queue.length, delivered: this.delivered });
  }
}
