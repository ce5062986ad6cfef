/**
 * The rpmsg-host application: every period, sample this Zephyr's running
 * state and send it as the rpmsg-demo status JSON; answer rpmsg-ctrl
 * commands. Bootargs: `period_ms=N` (100..60000, default 1000) and
 * `seed=N` (deterministic boot id).
 *
 * @module
 */
import type { DomainContext } from "@v8r/xen-dom0less";
import type { LinkFactory } from "../ipc/rpmsg-link.ts";
import { createRpmsgIpcInstance } from "../ipc/rpmsg-static-vrings.ts";
import type { Logger } from "../kernel/log.ts";
import { bootZephyr, type Zephyr } from "../zephyr.ts";
import { intArg, parseBootargs } from "./bootargs.ts";
import { makeBootId } from "./boot-id.ts";
import { encodeReply, handleCommand, PERIOD_MAX_MS, PERIOD_MIN_MS } from "./commands.ts";
import { DEFAULT_LINK_POLICY, HostLink, type LinkPolicy } from "./host-link.ts";
import { Sampler } from "./sampler.ts";

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

/** A running rpmsg-host. */
export interface RpmsgHostApp {
  /** The Zephyr it runs on. */
  readonly kernel: Zephyr;
  /** Current sampling period, ms. */
  readonly periodMs: number;
  /** Boot id. */
  readonly boot: string;
  /** Counters: tx, rt, ri, dr, q, and whether the link is up. */
  stats(): { tx: number; rt: number; ri: number; dr: number; q: number; up: boolean; seq: number };
  /** Change the period (as the `period` command does). */
  setPeriod(ms: number): void;
  /** Take and queue a sample now; returns its seq. */
  sampleNow(): number;
  /** Stop sampling and close the link. */
  stop(): Promise<void>;
}

function readArgs(ctx: DomainContext, options: RpmsgHostOptions, log: Logger): { per: number; seed: number | undefined } {
  const args = parseBootargs(ctx.bootargs);
  let per = options.periodMs ?? 1000;
  let seed = options.seed;
  try {
    per = intArg(args, "period_ms", per, PERIOD_MIN_MS, PERIOD_MAX_MS);
  } catch (error) {
    log.LOG_ERR("%s; using %d ms", (error as Error).message, per);
  }
  try {
    if (args.has("seed")) seed = intArg(args, "seed", 0, 0, 0xffffffff);
  } catch (error) {
    log.LOG_ERR("%s; using a random boot id", (error as Error).message);
  }
  return { per, seed };
}

/** Boot Zephyr on `ctx` and run rpmsg-host. Resolves once the link is being set up; the app keeps running on the domain's clock. */
export async function runRpmsgHost(ctx: DomainContext, options: RpmsgHostOptions = {}): Promise<RpmsgHostApp> {
  const k = bootZephyr(ctx, { appName: "rpmsg-host", version: RPMSG_HOST_VERSION, heapSize: options.heapSize ?? 65536 });
  const log = k.LOG_MODULE_REGISTER("rpmsg_host");
  const { per, seed } = readArgs(ctx, options, log);
  const policy: LinkPolicy = { ...DEFAULT_LINK_POLICY, ...definedOnly(options) };
  // The platform time at boot salts a seeded id: a restart gets a new boot id, a replay the same ones.
  const sampler = new Sampler(k, ctx.cpus[0], makeBootId(seed, Math.floor(ctx.clock.now())), per);
  log.LOG_INF("boot id %s; sampling every %d ms", sampler.boot, per);

  let link: HostLink | undefined;
  const sampleNow = (): number => {
    const l = link as HostLink;
    const { seq, bytes } = sampler.take({ tx: l.tx, rt: l.rt, ri: l.ri, dr: l.queue.dropped, q: l.queue.length });
    l.enqueue(seq, bytes);
    return seq;
  };
  const timer = k.k_timer_init(() => k.k_work_submit(sampleWork));
  const sampleWork = k.k_work_init(() => sampleNow());
  const setPeriod = (ms: number): void => {
    sampler.per = ms;
    k.k_timer_start(timer, ms, ms);
    log.LOG_INF("sampling period set to %d ms", ms);
  };
  const target = { uptime: () => k.k_uptime_get(), setPeriod, sampleNow };
  const onCommand = (data: Uint8Array): Uint8Array => encodeReply(handleCommand(data, target));
  // The same commands from the platform's control channel (e.g. a dashboard); replies go to the trace bus.
  const offControl = ctx.onControl((message) => {
    if (typeof message !== "object" || message === null || !("cmd" in message)) return;
    const reply = handleCommand(new TextEncoder().encode(JSON.stringify(message)), target);
    ctx.publish({ type: "zephyr.control-reply", reply });
  });

  const inst = createRpmsgIpcInstance(k, {
    role: "host",
    shmId: options.shmId ?? "rpmsg-shm",
    port: options.port ?? 0xa,
    ...(options.linkFactory ? { linkFactory: options.linkFactory } : {}),
  });
  link = new HostLink(k, log, inst, policy, onCommand);
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
    stats: () => ({ tx: l.tx, rt: l.rt, ri: l.ri, dr: l.queue.dropped, q: l.queue.length, up: l.up, seq: sampler.nextSeq }),
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
  if (options.relinkAfterMs !== undefined) out.relinkAfterMs = options.relinkAfterMs;
  if (options.queueCapacity !== undefined) out.queueCapacity = options.queueCapacity;
  if (options.reopenDelayMs !== undefined) out.reopenDelayMs = options.reopenDelayMs;
  if (options.maxInFlight !== undefined) out.maxInFlight = options.maxInFlight;
  return out;
}
