/**
 * The hypervisor's record of one domain and its lifecycle, like `xl` sees it:
 * create, pause/unpause, shutdown, crash with its `on_crash` policy,
 * destroy and restart. Control operations run on the main thread; the
 * domain's state words in shared memory tell its vCPU what to do.
 *
 * @module
 */
import type { AnyPlatform, GuestExit, GuestHandle, InterruptController, TraceSink } from "@v8r/fvp-core";
import type { ShutdownReason } from "./domain-context.ts";
import type { DomainPlan } from "./_boot-plan.ts";
import type { DomainInit, PeerEnvelope } from "./_domain-init.ts";
import { XenError } from "./domain-context.ts";
import { createEvtchnState, resetEvtchnState, RunState, ShutdownCode, Word } from "./_evtchn-layout.ts";
import type { InterruptLine } from "./domain-context.ts";
import type { XenTraceEvent } from "./trace-events.ts";
import { createVgic, vgicLines } from "./_vgic.ts";

/** What `xl list` shows in its State column, spelled out. */
export type DomainState = "running" | "paused" | "shutdown" | "crashed" | "dying";

/** What happens when a domain crashes (`on_crash` in xl.cfg). */
export type CrashPolicy = "destroy" | "restart" | "preserve";

/** One row of {@link Xen.list}. */
export interface DomainInfo {
  /** Domain id. */
  readonly domid: number;
  /** Domain name. */
  readonly name: string;
  /** Current state. */
  readonly state: DomainState;
  /** Number of vCPUs. */
  readonly vcpus: number;
  /** RAM in KiB. */
  readonly memoryKiB: number;
  /** Time since the current instance started (frozen once it stopped), ms. */
  readonly uptimeMs: number;
  /** How many times the domain was started again (a reboot, `xl restart`, `on_crash=restart`, `xl create` after a destroy); counted by Xen, so it survives the domain's instances. */
  readonly restarts: number;
  /** How many times the domain crashed (counted by Xen). */
  readonly crashes: number;
  /** Physical CPUs its vCPUs run on (vCPU i on `pcpus[i]`). */
  readonly pcpus: readonly number[];
  /** CPU time its vCPUs have been busy since the platform started, ms. */
  readonly cpuTimeMs: number;
}

/** A domain as Xen keeps it, destroyed ones included (`xl list` leaves those out). */
export interface DomainRecord extends Omit<DomainInfo, "state"> {
  /** Current state, `"destroyed"` once destroyed. */
  readonly state: DomainState | "destroyed";
}

/** The state of a domain that outlives its instances and crosses to its peers. */
export interface DomainShared {
  /** The event-channel state. */
  readonly evtchnState: SharedArrayBuffer;
  /** The vGIC. */
  readonly vgic: InterruptController;
}

/** What a {@link Domain} needs from its hypervisor. */
export interface DomainHost {
  /** The platform. */
  readonly platform: AnyPlatform;
  /** URL of the guest runtime module. */
  readonly runtime: string;
  /** The domain's crash policy. */
  readonly onCrash: CrashPolicy;
  /** Build the init descriptor of an instance. */
  initFor(plan: DomainPlan, own: DomainShared, generation: number): DomainInit;
  /** Called before a restarted instance starts (e.g. to clear regions it owns, bind its static channels again). */
  beforeRestart(plan: DomainPlan): void;
  /** Called once a destroyed domain's instance has stopped (close its event channels). */
  afterDestroy(plan: DomainPlan): void;
  /** Write a line on Xen's console. */
  log(line: string): void;
}

/** Restarts after crashes in quick succession before the policy falls back to preserve. */
const CRASH_LOOP_LIMIT = 5;
/** An instance that lived at least this long (ms) resets the crash-loop count. */
const CRASH_LOOP_WINDOW_MS = 1000;

/**
 * One domain. Created by {@link bootXen}; drive it through the {@link Xen}
 * object (`xen.pause("zephyr")`, ...).
 */
export class Domain {
  /** Domain id. */
  readonly domid: number;
  /** Domain name. */
  readonly name: string;
  /** The domain's shared event-channel state (kept across restarts, reset for each instance). */
  readonly evtchnState: SharedArrayBuffer = createEvtchnState();
  /** The domain's vGIC (kept across restarts, reset for each instance). */
  readonly vgic: InterruptController;
  readonly #plan: DomainPlan;
  readonly #host: DomainHost;
  readonly #s: Int32Array;
  #state: DomainState | "destroyed" = "dying";
  #handle: GuestHandle | undefined;
  #generation = -1;
  #startedAt = 0;
  #stoppedAt: number | undefined;
  #restarts = 0;
  #crashes = 0;
  #crashLoop = 0;
  #op: Promise<void> = Promise.resolve();

  /** Track the domain of `plan`; nothing runs until {@link Domain.create}. */
  constructor(plan: DomainPlan, host: DomainHost) {
    this.domid = plan.domid;
    this.name = plan.name;
    this.#plan = plan;
    this.#host = host;
    this.#s = new Int32Array(this.evtchnState);
    this.vgic = createVgic(plan.config.cpus);
  }

  /** How the domain was planned (its config, pCPUs, UART, regions, static ports). */
  get plan(): DomainPlan {
    return this.#plan;
  }

  /** Current state, `"destroyed"` once destroyed. */
  get state(): DomainState | "destroyed" {
    return this.#state;
  }

  /** The row of `xl list`. */
  info(): DomainInfo {
    const now = this.#host.platform.clock.now();
    const state = this.#state === "destroyed" ? "dying" : this.#state;
    return {
      domid: this.domid,
      name: this.name,
      state,
      vcpus: this.#plan.config.cpus,
      memoryKiB: this.#plan.config.memoryKiB,
      uptimeMs: Math.max(0, (this.#stoppedAt ?? now) - this.#startedAt),
      restarts: this.#restarts,
      crashes: this.#crashes,
      pcpus: this.#plan.pcpus,
      cpuTimeMs: this.#plan.pcpus.reduce((sum, i) => sum + (this.#host.platform.cpus[i]?.stats().busyMs ?? 0), 0),
    };
  }

  /** The domain as Xen keeps it, destroyed or not. */
  record(): DomainRecord {
    return { ...this.info(), state: this.#state };
  }

  /** Start the first instance; rejects when the image cannot be loaded. */
  create(): Promise<void> {
    return this.#serial(() => this.#startInstance());
  }

  /**
   * `xl create` of a destroyed domain: build it again from its dom0less node
   * (same domid, its static channels bound again, regions it owns cleared).
   * Counted as a restart.
   */
  recreate(): Promise<void> {
    return this.#serial(async () => {
      if (this.#state !== "destroyed") throw new XenError("EEXIST", `[xen-dom0less] creating d${this.domid} (${this.name}): it exists already (${this.#state}); destroy it first`);
      this.#host.log(`d${this.domid}: created again from its dom0less node`);
      await this.#relaunch("xl create");
    });
  }

  /** Hold the domain: events stay pending, timers and control messages wait until {@link Domain.unpause}. */
  pause(): void {
    if (this.#state !== "running") return;
    Atomics.store(this.#s, Word.RUN, RunState.PAUSED);
    this.#host.log(`d${this.domid}: paused`);
    this.#set("paused");
  }

  /** Resume a paused domain: held timers run, pending events are delivered. */
  unpause(): void {
    if (this.#state !== "paused") return;
    Atomics.store(this.#s, Word.RUN, RunState.RUNNING);
    this.#host.log(`d${this.domid}: unpaused`);
    this.#set("running");
    this.vgic.wake(0);
  }

  /** The lines of the domain's vGIC with how often each vCPU took them (since the instance started). */
  interrupts(): InterruptLine[] {
    return vgicLines(this.vgic);
  }

  /** Stop the domain and forget its instance (it leaves `xl list`); its event channels are closed (their peers' ends become unbound). */
  destroy(reason = "destroy"): Promise<void> {
    return this.#serial(async () => {
      if (this.#state === "destroyed") return;
      await this.#stopInstance(reason);
      this.#host.afterDestroy(this.#plan);
      this.#host.log(`d${this.domid}: destroyed (${reason})`);
      this.#set("destroyed", reason);
    });
  }

  /** Stop the current instance (if any) and start the image again from scratch. */
  restart(reason = "restart"): Promise<void> {
    return this.#serial(async () => {
      await this.#stopInstance(reason);
      await this.#relaunch(reason);
    });
  }

  /**
   * `xl shutdown` / `xl reboot`: ask the guest to shut down (its PV control
   * interface: the request word of its shared state and a wake of its vCPU,
   * which answers with `ctx.shutdown(reason)` at its next service, blocked
   * in WFI or not). A paused guest answers once unpaused. Rejects with `XenError` `ESRCH` unless the
   * domain runs or is paused.
   */
  requestShutdown(reason: "poweroff" | "reboot"): void {
    if (this.#state !== "running" && this.#state !== "paused") {
      throw new XenError("ESRCH", `[xen-dom0less] ${reason === "reboot" ? "rebooting" : "shutting down"} d${this.domid} (${this.name}): it is ${this.#state}, not running`);
    }
    this.#host.log(`d${this.domid}: ${reason === "reboot" ? "reboot" : "shutdown"} requested by the toolstack`);
    Atomics.store(this.#s, Word.REQUEST, reason === "reboot" ? ShutdownCode.REBOOT : ShutdownCode.POWEROFF);
    this.vgic.wake(0);
  }

  /** Crash the domain now (fault injection) and apply its crash policy. */
  crash(reason: string): Promise<void> {
    return this.#serial(() => this.#crashed(this.#handle, reason));
  }

  /** Send a control message to the guest's `ctx.onControl` listeners. */
  post(message: unknown): void {
    this.#handle?.post({ xen: "control", msg: message });
  }

  /** Send an envelope to the domain's runtime itself (not to the guest's listeners); dropped when it is not running. */
  postRaw(envelope: PeerEnvelope): void {
    this.#handle?.post(envelope);
  }

  #serial(fn: () => Promise<void>): Promise<void> {
    const next = this.#op.then(fn);
    this.#op = next.catch(() => {});
    return next;
  }

  /** Start the image again (counted as a restart) after the old instance stopped. */
  async #relaunch(reason: string): Promise<void> {
    this.#restarts++;
    this.#host.log(`d${this.domid}: starting a new instance (${reason}; restart ${this.#restarts})`);
    this.#host.beforeRestart(this.#plan);
    await this.#startInstance();
  }

  async #startInstance(): Promise<void> {
    // The first instance keeps what was sent to it before it started (all channels are bound at boot);
    // a restarted instance gets its channels bound again with nothing pending.
    this.#generation++;
    if (this.#generation > 0) {
      resetEvtchnState(this.#s, this.#generation);
      this.vgic.reset();
    }
    const p = this.#plan;
    const init = this.#host.initFor(p, this, this.#generation);
    const handle = await this.#host.platform.startGuest({ name: p.name, image: p.image, runtime: this.#host.runtime, init, cpus: [...p.pcpus], uart: p.uart });
    this.#handle = handle;
    this.#startedAt = this.#host.platform.clock.now();
    this.#stoppedAt = undefined;
    this.#set("running");
    handle.onMessage((m) => {
      const note = m as { xen?: unknown; detail?: unknown } | null;
      if (note?.xen === "shutdown") this.#onShutdownRequest(handle, typeof note.detail === "string" ? note.detail : undefined);
    });
    void handle.exited.then((exit) => this.#onExit(handle, exit));
  }

  async #stopInstance(reason: string): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle !== undefined) {
      this.#set("dying", reason);
      Atomics.store(this.#s, Word.RUN, RunState.STOPPED);
      this.vgic.wake(0);
      await handle.stop(reason);
      this.#stoppedAt ??= this.#host.platform.clock.now();
    }
  }

  #onShutdownRequest(handle: GuestHandle, detail: string | undefined): void {
    const code = Atomics.exchange(this.#s, Word.SHUTDOWN, ShutdownCode.NONE);
    if (code === ShutdownCode.NONE || handle !== this.#handle) return;
    const reason = (["poweroff", "reboot", "crash"] as const)[code - 1] as ShutdownReason;
    // the guest's own words: one line, bounded
    const said = detail === undefined ? undefined : detail.replace(/[\x00-\x1f\x7f]+/g, " ").slice(0, 200);
    this.#host.log(`d${this.domid}: shutdown requested (${reason})${said ? `: ${said}` : ""}`);
    void this.#serial(async () => {
      if (handle !== this.#handle) return;
      if (reason === "crash") return this.#crashed(handle, said ?? "the guest called shutdown(crash)");
      if (reason === "reboot") {
        await this.#stopInstance("reboot");
        return this.#relaunch("reboot");
      }
      await this.#stopInstance("poweroff");
      this.#host.log(`d${this.domid}: shut down (poweroff)`);
      this.#set("shutdown", "poweroff");
    });
  }

  #onExit(handle: GuestHandle, exit: GuestExit): void {
    if (handle !== this.#handle) return;
    this.#stoppedAt = this.#host.platform.clock.now();
    if (exit.state === "crashed") {
      void this.#serial(() => this.#crashed(handle, exit.error ?? "the guest crashed"));
      return;
    }
    this.#handle = undefined;
    this.#set("shutdown", "stopped");
  }

  /** Mark crashed, then apply the policy (the instance is stopped first). */
  async #crashed(handle: GuestHandle | undefined, reason: string): Promise<void> {
    if (handle === undefined || handle !== this.#handle) return;
    const lived = this.#host.platform.clock.now() - this.#startedAt;
    this.#crashLoop = lived >= CRASH_LOOP_WINDOW_MS ? 1 : this.#crashLoop + 1;
    this.#crashes++;
    // Xen's own words (__domain_crash), then why.
    this.#host.log(`Domain ${this.domid} (vcpu#0) crashed on cpu#${this.#plan.pcpus[0] ?? 0}:`);
    this.#host.log(`d${this.domid}v0: ${reason}`);
    this.#set("crashed", reason);
    this.#handle = undefined;
    Atomics.store(this.#s, Word.RUN, RunState.STOPPED);
    this.vgic.wake(0);
    if (handle.state === "running") await handle.stop("crashed");
    this.#stoppedAt ??= this.#host.platform.clock.now();
    let policy = this.#host.onCrash;
    if (policy === "restart" && this.#crashLoop > CRASH_LOOP_LIMIT) {
      this.#host.log(`d${this.domid}: crashed ${this.#crashLoop} times in a row within ${CRASH_LOOP_WINDOW_MS} ms; preserving it instead of restarting`);
      policy = "preserve";
    }
    if (policy === "preserve") return;
    if (policy === "destroy") {
      this.#set("dying", "on_crash=destroy");
      this.#host.afterDestroy(this.#plan);
      this.#host.log(`d${this.domid}: destroyed (on_crash=destroy)`);
      this.#set("destroyed", "on_crash=destroy");
      return;
    }
    this.#set("dying", "on_crash=restart");
    await this.#relaunch("on_crash=restart");
  }

  #set(state: DomainState | "destroyed", reason?: string): void {
    this.#state = state;
    const trace: TraceSink<XenTraceEvent> = this.#host.platform.trace;
    if (!trace.active) return;
    trace.emit({
      type: "xen-domain",
      domid: this.domid,
      domain: this.name,
      state,
      generation: this.#generation,
      atMs: this.#host.platform.clock.now(),
      ...(reason !== undefined ? { reason } : {}),
    });
  }
}
