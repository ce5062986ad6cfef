/**
 * The rpmsg-demo service of the Linux guest (the heart of rpmsg-remote):
 * an OpenAMP remote over the static vrings in the `rpmsg-shm` region, with
 * `/dev/xen/evtchn` as the doorbell. It announces `rpmsg-demo` and
 * `rpmsg-ctrl`, answers the IPC bound handshake, validates and keeps every
 * status sample, publishes the status page after each one, and re-attaches
 * when the host re-initialises the link or Zephyr restarts. It acknowledges
 * samples and keeps the link's liveness heartbeat with the `ack` command
 * (PROTOCOL.md, "Liveness"): the host re-initialises the link when it stops
 * hearing it, and this service re-attaches when it sees that reset.
 *
 * @module
 */
import { describeError, type TimerHandle } from "@v8r/fvp-core";
import { loadOpenAmp, type OpenAmp, type RpmsgDevice, type RpmsgStats, staticVringsLayout, type StaticVringsLayout } from "@v8r/openamp-wasm";
import { type EvtchnFile, IOCTL_EVTCHN_BIND_STATIC, IOCTL_EVTCHN_NOTIFY, LinuxError, type LinuxSystem, type XenSharedMemory } from "@v8r/linux-shim";
import { DEFAULT_PERIOD_MS, DEMO_ENDPOINT, LINK_DEFAULTS, RPMSG_BUFFER_BYTES } from "../protocol/mod.ts";
import { AckHeartbeat } from "./_ack-heartbeat.ts";
import { DemoLink, type DemoLinkEvents } from "./_demo-link.ts";
import { DEFAULT_CTRL_TIMEOUT_MS, RpmsgCtrlClient } from "./rpmsg-ctrl-client.ts";
import type { LinuxLinkEvent, LinuxMalformedEvent, LinuxSampleEvent } from "./events.ts";
import { StatusHistory } from "./status-history.ts";
import { StatusPublisher } from "./status-publisher.ts";
import { HistorySaveError, HistoryStore } from "./_history-store.ts";
import { RewriteWhileSilent } from "./_rewrite-while-silent.ts";
import { type LinkStateName, linkStateOf } from "./_link-state.ts";
import { takeSample } from "./_sample-intake.ts";

export { LinkState, type LinkStateName } from "./_link-state.ts";

/** Options of {@link RpmsgDemoService.start}. */
export interface RpmsgDemoServiceOptions {
  /** The booted Linux system. */
  readonly linux: LinuxSystem;
  /** `xen,id` of the shared memory region; default `rpmsg-shm`. */
  readonly shmId?: string;
  /** Static event channel port of the doorbell; default 0xa. */
  readonly port?: number;
  /** Physical address descriptors use for the region's offset 0; default the region's guest address. */
  readonly physBase?: number;
  /** A loaded OpenAMP module; default `loadOpenAmp()`. */
  readonly openamp?: OpenAmp;
  /** RPMsg buffer size (header included); default 512. */
  readonly bufferSize?: number;
  /** How often the rings are checked (for a host re-init and for lost doorbells), ms; default 250. */
  readonly linkPollMs?: number;
  /** History to fill; default a new one (300 samples). */
  readonly history?: StatusHistory;
  /** Publisher of the status files; default one on the root filesystem; `null` to publish nothing. */
  readonly publisher?: StatusPublisher | null;
  /** rpmsg-ctrl reply timeout, ms; default 2000. */
  readonly ctrlTimeoutMs?: number;
  /** Where service messages go; default the console (through the shell, so they never run into the prompt), prefixed `rpmsg-remote: `. */
  readonly log?: (line: string) => void;
}

/** Counters of a running service. */
export interface RpmsgDemoCounters {
  /** Valid samples received. */
  samples: number;
  /** Messages rejected as malformed (oversize included). */
  malformed: number;
  /** Of those, messages over 496 bytes. */
  oversize: number;
  /** Empty handshake messages answered. */
  handshakes: number;
  /** Host re-initialisations noticed. */
  peerResets: number;
  /** Times `rpmsg-demo` was bound again after a reset. */
  reattaches: number;
  /** Times the OpenAMP device was created. */
  devices: number;
  /** Acks sent (the liveness heartbeat). */
  acks: number;
  /** Acks the host did not answer in time. */
  missedAcks: number;
  /** Status file pairs written. */
  published: number;
  /** Failed status writes. */
  publishErrors: number;
}

/**
 * A running rpmsg-demo service. Create it with {@link RpmsgDemoService.start}.
 *
 * @example
 * ```ts
 * const linux = await bootLinux(ctx);
 * const svc = await RpmsgDemoService.start({ linux });
 * const reply = await svc.ctrl.ping(); // once bound: { id: 1, ok: true, t: ... }
 * ```
 */
export class RpmsgDemoService {
  /** The sample history. */
  readonly history: StatusHistory;
  /** Writes the status files, or null. */
  readonly publisher: StatusPublisher | null;
  /** The rpmsg-ctrl client. */
  readonly ctrl: RpmsgCtrlClient;
  /** The mapped shared memory region. */
  readonly shm: XenSharedMemory;
  /** The static-vrings layout used. */
  readonly layout: StaticVringsLayout;
  readonly #opts: RpmsgDemoServiceOptions;
  readonly #openamp: OpenAmp;
  readonly #file: EvtchnFile;
  readonly #port: number;
  readonly #log: (line: string) => void;
  readonly #counters: RpmsgDemoCounters = { samples: 0, malformed: 0, oversize: 0, handshakes: 0, peerResets: 0, reattaches: 0, devices: 0, acks: 0, missedAcks: 0, published: 0, publishErrors: 0 };
  #link: DemoLink | undefined;
  #poll: TimerHandle | undefined;
  #heartbeat: AckHeartbeat | undefined;
  #stopped = false;
  #everBound = false;
  /** When the endpoints were (re-)announced and not bound yet, if they are. */
  #announcedAt: number | undefined;
  /** The latest publish asked of the publisher (asks that joined it return the same promise). */
  #publishing: Promise<void> | undefined;
  /** Linux time of the latest publish request: the time the page is rendered "as of". */
  #publishAt = 0;
  /** Saves the counters for the next instance (when this service keeps its own history and publisher). */
  readonly #store: HistoryStore | undefined;
  readonly #rewrite: RewriteWhileSilent;

  private constructor(opts: RpmsgDemoServiceOptions, openamp: OpenAmp, shm: XenSharedMemory, file: EvtchnFile, port: number) {
    this.#opts = opts;
    this.#openamp = openamp;
    this.shm = shm;
    this.#file = file;
    this.#port = port;
    const { linux } = opts;
    this.#log = opts.log ?? ((line) => linux.shell.notice(`rpmsg-remote: ${line}\n`));
    this.history = opts.history ?? new StatusHistory();
    this.#publishAt = linux.ctx.clock.now();
    // The page's age is as of the latest request (every history change requests a write), not of the write.
    this.#store = opts.publisher === undefined && opts.history === undefined ? new HistoryStore(linux.rootfs) : undefined;
    const publisher = opts.publisher === null ? null : (opts.publisher ?? new StatusPublisher(linux.rootfs, { now: () => this.#publishAt, ...(this.#store ? { store: this.#store } : {}) }));
    this.#rewrite = new RewriteWhileSilent(linux.ctx.clock, () => this.history.latest()?.sample.per ?? DEFAULT_PERIOD_MS, () => this.#requestPublish());
    this.publisher = publisher;
    this.layout = staticVringsLayout({ shmSize: shm.window.size, bufferSize: opts.bufferSize ?? RPMSG_BUFFER_BYTES });
    const timeoutMs = opts.ctrlTimeoutMs ?? DEFAULT_CTRL_TIMEOUT_MS;
    this.ctrl = new RpmsgCtrlClient({ clock: linux.ctx.clock, timeoutMs, send: (d) => this.#sendCtrl(d, timeoutMs) });
  }

  /**
   * Map the region, bind the doorbell port, create the OpenAMP remote and
   * announce the endpoints. Resolves once the device exists (the host may
   * come later). Fails with ENOENT when the region is missing and EINVAL/EBUSY
   * when the port cannot be bound.
   */
  static async start(opts: RpmsgDemoServiceOptions): Promise<RpmsgDemoService> {
    const { linux } = opts;
    const shm = linux.findSharedMemory(opts.shmId ?? LINK_DEFAULTS.shmId);
    const port = opts.port ?? LINK_DEFAULTS.port;
    const file = linux.devices.evtchn().open();
    try {
      file.ioctl(IOCTL_EVTCHN_BIND_STATIC, { port });
      const openamp = opts.openamp ?? (await linux.ctx.clock.hold(loadOpenAmp()));
      const svc = new RpmsgDemoService(opts, openamp, shm, file, port);
      // a restarted Linux goes on counting where the previous one stopped
      const publisher = svc.publisher;
      if (svc.#store) await svc.#store.restore(svc.history, linux.ctx.clock, svc.#log, publisher ? () => publisher.settled() : undefined);
      await svc.#createLink();
      svc.#run();
      return svc;
    } catch (err) {
      file.close();
      throw err;
    }
  }

  /** The current link state. */
  get linkState(): LinkStateName {
    return this.history.linkState as LinkStateName;
  }

  /** A copy of the counters. */
  get counters(): RpmsgDemoCounters {
    return { ...this.#counters, acks: this.#heartbeat?.sent ?? 0, missedAcks: this.#heartbeat?.missed ?? 0, published: this.publisher?.published ?? 0 };
  }

  /** Whether each endpoint completed the bound handshake. */
  get bound(): { readonly demo: boolean; readonly ctrl: boolean } {
    return { demo: this.#link?.demoBound ?? false, ctrl: this.#link?.ctrlBound ?? false };
  }

  /** The OpenAMP device's counters (undefined before the device exists or after stop). */
  stats(): RpmsgStats | undefined {
    return this.#link?.device.stats();
  }

  /** Wait until the status files reflect every sample received so far. */
  async flush(): Promise<void> {
    await this.publisher?.idle();
  }

  /**
   * Stop: cancel ctrl requests, announce the endpoints' destruction (the
   * host unbinds them; Zephyr's rpmsg-host re-initialises the link a few
   * seconds later, which lets a new service attach), release the device and
   * close the evtchn file (the static port stays bound in Xen).
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#poll?.cancel();
    this.#heartbeat?.stop();
    this.ctrl.cancelAll("the rpmsg-demo service stopped");
    this.#link?.close();
    this.#link = undefined;
    this.#file.close();
    this.history.setLinkState("stopped");
    this.#requestPublish();
    this.#rewrite.stop();
    await this.flush();
  }

  async #createLink(): Promise<void> {
    const { linux } = this.#opts;
    const clock = linux.ctx.clock;
    // started in turn: the remote announces its endpoints while it is created, at the same point of every run
    const device: RpmsgDevice = await clock.hold(() => this.#openamp.createRpmsgDevice({
      role: "remote",
      layout: this.layout,
      shm: { buffer: this.shm.window.buffer, offset: this.shm.window.byteOffset, length: this.shm.window.size },
      physBase: this.#opts.physBase ?? this.shm.node.address,
      notify: () => this.#kick(),
      clock,
      onError: (err) => this.#log(`callback failed: ${describeError(err).error}`),
    }));
    if (this.#stopped) {
      device.dispose();
      return;
    }
    this.#counters.devices++;
    this.#link = new DemoLink(device, this.#events());
    this.#setLinkState();
  }

  #events(): DemoLinkEvents {
    return {
      sample: (data) => this.#onSample(data),
      ctrlReply: (data) => void this.ctrl.handleMessage(data),
      handshake: (name) => {
        this.#counters.handshakes++;
        this.#heartbeat?.reset();
        if (name === DEMO_ENDPOINT) {
          if (this.#everBound) this.#counters.reattaches++;
          this.#everBound = true;
          this.#log(`endpoint ${name} bound${this.#counters.reattaches > 0 ? " again (re-attached)" : ""}`);
        }
        this.#setLinkState();
      },
      unbound: () => this.#setLinkState(),
      failed: (what, err) => this.#log(`${what} failed: ${describeError(err).error}`),
    };
  }

  #kick(): void {
    if (this.#file.closed) return;
    this.#file.ioctl(IOCTL_EVTCHN_NOTIFY, { port: this.#port });
  }

  #run(): void {
    void this.#readLoop();
    const clock = this.#opts.linux.ctx.clock;
    this.#poll = clock.setInterval(() => this.#service(), this.#opts.linkPollMs ?? 250);
    this.#heartbeat = new AckHeartbeat({
      clock,
      ctrl: this.ctrl,
      history: this.history,
      canSend: () => !this.#stopped && this.#link?.ctrlBound === true,
      changed: () => this.#setLinkState(),
    });
  }

  async #readLoop(): Promise<void> {
    while (!this.#stopped) {
      let ports: Uint32Array;
      try {
        ports = await this.#file.read();
      } catch (err) {
        if (err instanceof LinuxError && err.code === "EBADF") return;
        this.#log(`reading /dev/xen/evtchn failed: ${describeError(err).error}`);
        return;
      }
      this.#file.write(ports);
      this.#service();
    }
  }

  /**
   * Process what the host posted, as busy time of the domain's first vCPU
   * (its load shows in `uptime`); returns whether the link is up.
   */
  #service(): boolean {
    const cpu = this.#opts.linux.ctx.cpus[0];
    const work = (): boolean => {
      this.#link?.device.notified();
      return this.#afterWork();
    };
    const up = cpu ? cpu.busy(work) : work();
    this.#heartbeat?.flush();
    return up;
  }

  #afterWork(): boolean {
    const stats = this.#link?.device.stats();
    const resets = stats?.peerResets ?? 0;
    const seen = this.#link?.peerResetsSeen ?? 0;
    if (this.#link && resets > seen) {
      this.#link.peerResetsSeen = resets;
      this.#counters.peerResets += resets - seen;
      this.#link.resetHandshakes();
      this.#announcedAt = undefined;
      this.#heartbeat?.reset();
      this.ctrl.cancelAll("the host re-initialised the link");
      this.#log("the host re-initialised the link; re-announcing endpoints");
    }
    const up = stats?.linkUp ?? false;
    this.#setLinkState(up);
    return up;
  }

  #setLinkState(up = this.#link?.device.stats().linkUp ?? false): void {
    if (this.#stopped) return;
    const link = this.#link;
    const now = this.#opts.linux.ctx.clock.now();
    if (link === undefined || !up || link.demoBound) this.#announcedAt = undefined;
    else this.#announcedAt ??= now;
    const state = linkStateOf({
      up: link !== undefined && up,
      demoBound: link?.demoBound ?? false,
      wasUp: this.#counters.peerResets > 0 || this.#everBound,
      unboundForMs: now - (this.#announcedAt ?? now),
      missedAcks: this.#heartbeat?.miss ?? 0,
    });
    if (state !== this.history.linkState) {
      this.history.setLinkState(state);
      this.#trace({ type: "linux.link", state, ...this.history.counters, peerResets: this.#counters.peerResets, reattaches: this.#counters.reattaches });
      this.#requestPublish();
    }
  }

  #onSample(data: Uint8Array): void {
    takeSample(data, this.#opts.linux.ctx.clock.now(), {
      history: this.history,
      counters: this.#counters,
      log: (line) => this.#log(line),
      trace: (e) => this.#trace(e),
      acknowledge: () => this.#heartbeat?.markDue(),
    });
    this.#requestPublish();
  }

  /** Publish on the platform trace bus (a dashboard may listen); never lets a bus failure stop the service. */
  #trace(event: LinuxLinkEvent | LinuxSampleEvent | LinuxMalformedEvent): void {
    try {
      this.#opts.linux.ctx.publish(event);
    } catch {
      // the trace bus is best effort
    }
  }

  /**
   * Queue a write of the status files now (a restarted Linux's land after
   * it); it renders the history when its turn comes, and asks made while it
   * waits join it, so the files end with the state of the latest ask even if
   * Linux is destroyed meanwhile. Real time only: a virtual clock runs on.
   */
  #requestPublish(): void {
    const { clock } = this.#opts.linux.ctx;
    this.#publishAt = clock.now();
    this.#rewrite.touch();
    const publishing = this.publisher?.publish(this.history);
    if (publishing === undefined || publishing === this.#publishing) return;
    this.#publishing = publishing;
    void clock.background(publishing).catch((err: unknown) => {
      this.#counters.publishErrors++;
      if (this.#counters.publishErrors <= 3) this.#log(err instanceof HistorySaveError ? `${err.message}: failed` : `writing the status page failed: ${describeError(err).error}`);
    });
  }

  async #sendCtrl(data: Uint8Array, timeoutMs: number): Promise<void> {
    const link = this.#link;
    if (!link) throw new LinuxError("ENOTCONN", "[rpmsg-demo] rpmsg-ctrl: the service has no link (stopped or not started)");
    await link.sendCtrl(data, timeoutMs);
  }
}
