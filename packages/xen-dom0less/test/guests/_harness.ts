/** Test harness: boot two-domain dom0less systems on a platform, inline (VirtualClock) or in Workers, and watch the trace. */
import { createPlatform, FVP_BaseR_AEMv8R, InlineExecutor, MemorySink, type Platform, RealClock, VirtualClock } from "@v8r/fvp-core";
import { nodeWorkerExecutor } from "@v8r/fvp-core/node";
import { bootXen, type BootXenOptions } from "../../src/boot-xen.ts";
import type { Xen } from "../../src/hypervisor.ts";

export { config, dts, type TestDomain } from "./_harness-config.ts";
import { config, type TestDomain } from "./_harness-config.ts";

/** Two domains "a" and "b" joined by one region and channels on the given ports. */
export function pairDomains(opts: { a: Partial<TestDomain>; b: Partial<TestDomain>; ports?: number[]; region?: string }): TestDomain[] {
  const ports = opts.ports ?? [10];
  const region = opts.region ?? "probe";
  const shm = [{ id: region, addr: 0x7a00_0000, size: 0x1000 }];
  return [
    { name: "a", image: "./probe.ts", shm, ports: ports.map((p) => ({ port: p, label: `a${p}`, peer: `b${p}` })), ...opts.a },
    { name: "b", image: "./probe.ts", shm, ports: ports.map((p) => ({ port: p, label: `b${p}`, peer: `a${p}` })), ...opts.b },
  ];
}

/** A trace event with its fields readable by name. */
export type Ev = { type: string; [k: string]: unknown };

/** A booted test system. */
export interface System {
  platform: Platform;
  xen: Xen;
  events: Ev[];
  xenLog: MemorySink;
  /** Let the system run: the VirtualClock up to `ms` more (inline) or real time (workers). */
  run(ms: number): Promise<void>;
  /** Resolve when `pred` holds for some trace event (virtual: runs the clock up to `maxMs`). */
  waitFor(pred: (e: Ev) => boolean, maxMs?: number): Promise<Ev>;
  /** Events of a type, optionally from one domain. */
  of(type: string, domain?: string): Ev[];
  /** Post a probe op to a domain and wait until it reports it done (or failed); resolves with that report. */
  act(domain: string, msg: Record<string, unknown>): Promise<Ev>;
  close(): Promise<void>;
}

let actIds = 0;

/** Executor modes the shared scenarios run in. */
export const MODES = ["inline", "worker"] as const;

/** Boot `domains` in `mode`. */
export async function boot(mode: "inline" | "worker", domains: TestDomain[], options: BootXenOptions = {}): Promise<System> {
  const clock = mode === "inline" ? new VirtualClock() : new RealClock();
  const executor = mode === "inline" ? new InlineExecutor() : nodeWorkerExecutor({ stopTimeoutMs: 500 });
  const platform = createPlatform(FVP_BaseR_AEMv8R, { clock, executor });
  const events: Ev[] = [];
  platform.trace.on((e) => {
    if (e.type !== "uart-output" && e.type !== "irq-raised" && e.type !== "irq-handled") events.push(e as Ev);
  });
  const xenLog = new MemorySink();
  platform.uart(0).attach(xenLog);
  const xen = await bootXen(platform, config(domains), { baseUrl: new URL("./", import.meta.url), ...options });
  const run = async (ms: number): Promise<void> => {
    if (clock instanceof VirtualClock) await clock.run(clock.now() + ms);
    else await new Promise((r) => setTimeout(r, ms));
  };
  const waitFor = async (pred: (e: Ev) => boolean, maxMs = 5000): Promise<Ev> => {
    const step = clock instanceof VirtualClock ? 1 : 5;
    for (let t = 0; t <= maxMs; t += step) {
      const hit = events.find(pred);
      if (hit) return hit;
      await run(step);
      // Module loading (a restart imports the image again) takes real time even on a VirtualClock.
      if (step === 1 && t % 50 === 49) await new Promise((r) => setTimeout(r, 1));
    }
    throw new Error(`timed out after ${maxMs} ms waiting for a trace event; saw ${events.map((e) => e.type).join(", ")}`);
  };
  const of = (type: string, domain?: string) => events.filter((e) => e.type === type && (domain === undefined || e["domain"] === domain));
  const act = async (domain: string, msg: Record<string, unknown>): Promise<Ev> => {
    const id = ++actIds;
    xen.post(domain, { ...msg, id });
    return waitFor((e) => (e.type === "probe-done" || e.type === "probe-error") && e["id"] === id);
  };
  return {
    act,
    platform,
    xen,
    events,
    xenLog,
    run,
    waitFor,
    of,
    async close() {
      await xen.shutdown();
      await platform.shutdown();
    },
  };
}
