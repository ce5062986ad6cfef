/**
 * The rpmsg-host application: every period, sample this Zephyr's running
 * state and send it as the protocol's status sample on `rpmsg-demo`; answer
 * `rpmsg-ctrl` commands. Bootargs: `period_ms=N` (the protocol's period
 * range, default 1000) and `seed=N` (deterministic boot id).
 *
 * @module
 */
import { bootargInt, type DomainContext, parseBootargs } from "@v8r/xen-dom0less";
import { bootZephyr, createRpmsgIpcInstance, type LinkFactory, type Logger, type Zephyr } from "@v8r/zephyr-shim";
import {
  CTRL_RESULT,
  type CtrlResultEvent,
  type CtrlHandlers,
  DEFAULT_PERIOD_MS,
  encodeCommand,
  encodeReply,
  isCtrlRequest,
  LINK_DEFAULTS,
  PERIOD_RANGE_MS,
  serveCommand,
} from "../protocol/mod.ts";
import { makeBootId } from "./boot-id.ts";
import { DEFAULT_LINK_POLICY, HostLink, type LinkPolicy } from "./host-link.ts";
import type { DropReason } from "./sample-queue.ts";
import { Sampler, type TakenSample } from "./sampler.ts";

/** The application's version, printed in the boot banner. */
export const RPMSG_HOST_VERSION = "v1.0.0";

/** Options of {@link runRpmsgHost}; bootargs override `periodMs` and `seed`. */
export interface RpmsgHostOptions extends Partial<LinkPolicy> {
  /** Sampling period, ms (default 1000). */
  readonly periodMs?: number;
  /** Seed of the boot id (default: random). */
  readonly seed?: number;
  /** `xen,id` of the shared memory region (default `"rpmsg-shm"`). */
  readonly shmId?: string;
  /** Doorbell event channel port (default 0xa). */
  readonly port?: number;
  /** System heap size, bytes (default 65536). */
  readonly heapSize?: number;
  /** Link factory for the IPC backend (default: openamp-wasm). */
  readonly linkFactory?: LinkFactory;
}

/** Counters of a running rpmsg-host. */
export interface RpmsgHostStats {
  /** Samples sent. */
  readonly tx: number;
  /** Send retries. */
  readonly rt: number;
  /** Link re-initialisations. */
  readonly ri: number;
  /** Samples dropped (never sent: the queue or the heap was full), `drBy` by reason. */
  readonly dr: number;
  /** Drops by reason. */
  readonly drBy: Readonly<Record<DropReason, number>>;
  /** Samples the remote acknowledged. */
  readonly delivered: number;
  /** Samples sent and not yet acknowledged. */
  readonly inFlight: number;
  /** Samples queued now (waiting to be sent or acknowledged). */
  readonly q: number;
  /** Whether `rpmsg-demo` is bound. */
  readonly up: boolean;
  /** Number of the next sample. */
  readonly seq: number;
  /** Samples that were over the 496-byte budget and sent with fewer thread entries. */
  readonly trimmed: number;
  /** Thread entries left out of those samples, in total. */
  readonly threadsDropped: number;
}

/** A running rpmsg-host. */
export interface RpmsgHostApp {
  /** The Zephyr it runs on. */
  readonly kernel: Zephyr;
  /** Current sampling period, ms. */
  readonly periodMs: number;
  /** Boot id. */
  readonly boot: string;
  /** Its counters. */
  stats(): RpmsgHostStats;
  /** Change the period (as the `period` command does). */
  setPeriod(ms: number): void;
  /** Take and queue a sample now; returns its seq. */
  sampleNow(): number;
  /** Stop sampling and close the link. */
  stop(): Promise<void>;
}

function readArgs(ctx: DomainContext, options: RpmsgHostOptions, log: Logger): { per: number; seed: number | undefined } {
  const args = parseBootargs(ctx.bootargs);
  let per = options.periodMs ?? DEFAULT_PERIOD_MS;
  let seed = options.seed;
  try {
    per = bootargInt(args, "period_ms", per, PERIOD_RANGE_MS);
  } catch (error) {
    log.LOG_ERR("%s; using %d ms", (error as Error).message, per);
  }
  try {
    if (args.has("seed")) seed = bootargInt(args, "seed", 0, { max: 0xffffffff });
  } catch (error) {
    log.LOG_ERR("%s; using a random boot id", (error as Error).message);
  }
  return { per, seed };
}

/** Counts and logs samples that had to leave thread entries out to fit the budget. */
class TrimLog {
  trimmed = 0;
  threadsDropped = 0;
  #last = 0;
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Account for one taken sample; logs when the number of entries left out changes. */
  note(taken: TakenSample): void {
    if (taken.dropped > 0) {
      this.trimmed++;
      this.threadsDropped += taken.dropped;
    }
    if (taken.dropped === this.#last) return;
    const kept = taken.sample.thr?.length ?? 0;
    if (taken.dropped > 0) this.#log.LOG_WRN("sample %d: %d of %d thread entries left out to fit 496 bytes", taken.seq, taken.dropped, kept + taken.dropped);
    else this.#log.LOG_INF("sample %d: every thread entry fits again", taken.seq);
    this.#last = taken.dropped;
  }
}

/** Boot Zephyr on `ctx` and run rpmsg-host. Resolves once the link is being set up; the app keeps running on the domain's clock. */
export async function runRpmsgHost(ctx: DomainContext, options: RpmsgHostOptions = {}): Promise<RpmsgHostApp> {
  const k = bootZephyr(ctx, { appName: "rpmsg-host", version: RPMSG_HOST_VERSION, heapSize: options.heapSize ?? 65536 });
  const log = k.LOG_MODULE_REGISTER("rpmsg_host");
  const { per, seed } = readArgs(ctx, options, log);
  const policy: LinkPolicy = { ...DEFAULT_LINK_POLICY, ...definedOnly(options) };
  // The platform time at boot salts a seeded id: a restart gets a new boot id, a replay the same ones.
  const sampler = new Sampler(k, ctx.cpus[0], makeBootId(seed, Math.floor(ctx.clock.now())), per);
  const trims = new TrimLog(log);
  log.LOG_INF("boot id %s; sampling every %d ms", sampler.boot, per);

  let link: HostLink | undefined;
  const sampleNow = (): number => {
    const l = link as HostLink;
    const taken = sampler.take({ tx: l.tx, rt: l.rt, ri: l.ri, dr: l.queue.dropsBelow(sampler.nextSeq), q: l.queue.length });
    trims.note(taken);
    l.enqueue(taken);
    return taken.seq;
  };
  const timer = k.k_timer_init(() => k.k_work_submit(sampleWork));
  const sampleWork = k.k_work_init(() => sampleNow());
  const setPeriod = (ms: number): void => {
    sampler.per = ms;
    k.k_timer_start(timer, ms, ms);
    log.LOG_INF("sampling period set to %d ms", ms);
  };
  const handlers: CtrlHandlers = {
    ping: () => ({ t: k.k_uptime_get() }),
    period: ({ ms }) => {
      setPeriod(ms);
      return { per: ms };
    },
    sample: () => ({ seq: sampleNow() }),
    ack: ({ boot, next, miss }) => {
      link?.acknowledge(boot, next, miss);
      return { t: k.k_uptime_get() };
    },
  };
  const onCommand = (data: Uint8Array): Uint8Array => encodeReply(serveCommand(data, handlers));
  // The same commands from the platform's control channel (the typed control path); answers go to the trace bus.
  const offControl = ctx.onControl((message) => {
    if (!isCtrlRequest(message)) return;
    const reply = serveCommand(encodeCommand(message.id, message.command), handlers);
    ctx.publish<CtrlResultEvent>({ type: CTRL_RESULT, id: message.id, reply });
  });

  const inst = createRpmsgIpcInstance(k, {
    role: "host",
    shmId: options.shmId ?? LINK_DEFAULTS.shmId,
    port: options.port ?? LINK_DEFAULTS.port,
    ...(options.linkFactory ? { linkFactory: options.linkFactory } : {}),
  });
  link = new HostLink(k, log, inst, policy, sampler.boot, onCommand);
  k.k_timer_start(timer, per, per);
  await link.start();
  k.k_thread_abort(k.main); // main() returns; the work goes on in threads, timers and work items

  const l = link;
  return {
    kernel: k,
    get periodMs() {
      return sampler.per;
    },
    boot: sampler.boot,
    stats: () => ({
      tx: l.tx, rt: l.rt, ri: l.ri, dr: l.queue.dropped, drBy: { ...l.queue.droppedBy }, delivered: l.delivered, inFlight: l.queue.inFlight,
      q: l.queue.length, up: l.up, seq: sampler.nextSeq,
      trimmed: trims.trimmed, threadsDropped: trims.threadsDropped,
    }),
    setPeriod,
    sampleNow,
    async stop() {
      offControl();
      k.k_timer_stop(timer);
      await l.stop();
    },
  };
}

function definedOnly(options: Partial<LinkPolicy>): Partial<LinkPolicy> {
  const out: { -readonly [K in keyof LinkPolicy]?: LinkPolicy[K] } = {};
  if (options.retryDelaysMs !== undefined) out.retryDelaysMs = options.retryDelaysMs;
  if (options.deadAfterMs !== undefined) out.deadAfterMs = options.deadAfterMs;
  if (options.maxRelinkMs !== undefined) out.maxRelinkMs = options.maxRelinkMs;
  if (options.queueCapacity !== undefined) out.queueCapacity = options.queueCapacity;
  if (options.reopenDelayMs !== undefined) out.reopenDelayMs = options.reopenDelayMs;
  if (options.maxInFlight !== undefined) out.maxInFlight = options.maxInFlight;
  return out;
}
