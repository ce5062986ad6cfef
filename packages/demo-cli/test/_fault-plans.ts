/**
 * Test helper: random fault plans in the `--faults` syntax, drawn from the
 * whole fault menu (drop, delay, duplicate, corruption of any part of the
 * shared memory with 1 byte to all of it, crash, restart and pause of
 * either domain, and their combinations; now and then a plan ends by
 * destroying one), from a seed, so a failing plan is reproduced by its seed.
 */
import { staticVringsLayout } from "@v8r/openamp-wasm";
import { demoShmRanges } from "../src/_demo-faults.ts";

/** The size of the bundled configuration's `rpmsg-shm` region. */
export const DEMO_SHM_BYTES = 0x10_0000;

/** The named parts of the demo's region, with their sizes. */
export const DEMO_PARTS = demoShmRanges({ size: DEMO_SHM_BYTES });

/** A small seeded generator (mulberry32). */
export function rng(seed: number): { next(): number; int(lo: number, hi: number): number; pick<T>(xs: readonly T[]): T } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  return { next, int, pick: (xs) => xs[Math.floor(next() * xs.length)] as (typeof xs)[number] };
}

/** One timed fault of a plan, for the checks: when, and what it does. */
export interface TimedFaultInfo {
  /** The `--faults` item. */
  readonly item: string;
  /** When it strikes, ms. */
  readonly atMs: number;
  /** When its effect ends (a pause ends later than it starts), ms. */
  readonly endMs: number;
}

/** A random plan. */
export interface RandomPlan {
  /** The `--faults` text. */
  readonly spec: string;
  /** Its timed faults, in time order. */
  readonly timed: readonly TimedFaultInfo[];
  /** Whether it has send faults (drop, delay, duplicate). */
  readonly sendFaults: boolean;
}

const s = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** A corruption of a random part (or of all the region), 1 byte up to the whole part. */
function corruption(r: ReturnType<typeof rng>, atMs: number): string {
  const part = r.pick([...DEMO_PARTS.map((p) => p.name), "all", "all"]);
  const size = part === "all" ? DEMO_SHM_BYTES : (DEMO_PARTS.find((p) => p.name === part)?.size ?? 1);
  const style = r.int(0, 3);
  // all of it (no count: the whole part, or the whole 1 MiB region), or a single byte, a few bytes, a random amount (a count is at most 65536)
  if (style === 3) return `corrupt:rpmsg-shm/${part}@${s(atMs)}`;
  const bytes = Math.min(65_536, size, style === 0 ? 1 : style === 1 ? r.int(2, 64) : r.int(1, size));
  return `corrupt:rpmsg-shm/${part}:${bytes}@${s(atMs)}`;
}

/**
 * A random plan over `durationMs`: up to `maxTimed` timed faults spaced at
 * least `spacingMs` apart (so each one's recovery is seen on its own), after
 * boot and before the last `tailMs`, and maybe send faults.
 */
export function randomPlan(seed: number, opts: { durationMs: number; maxTimed?: number; spacingMs?: number; tailMs?: number; periodMs?: number }): RandomPlan {
  const r = rng(seed);
  const items: string[] = [];
  const sendFaults = r.next() < 0.5;
  if (sendFaults) {
    if (r.next() < 0.6) items.push(`drop=${r.pick([0.05, 0.3, 0.6, 1])}`);
    if (r.next() < 0.4) items.push(`delay=${r.pick([0.1, 0.5])}:${s(r.pick([5, 200, 2000, 5000]))}`);
    if (r.next() < 0.4) items.push(`dup=${r.pick([0.1, 0.5, 1])}`);
    if (items.length === 0) items.push("drop=0.3");
  }
  const timed: TimedFaultInfo[] = [];
  const spacing = opts.spacingMs ?? 6000;
  const tail = opts.tailMs ?? 6000;
  const n = r.int(sendFaults ? 0 : 1, opts.maxTimed ?? 3);
  // With a long period, strike shortly before a sample is due, so the next sample shows whether the link came back in time.
  const period = opts.periodMs ?? 0;
  const near = (t: number): number => (period >= 5000 ? Math.max(1000, Math.ceil(t / period) * period - r.int(0, 2500)) : t);
  let at = near(3000 + r.int(0, 2000));
  for (let i = 0; i < n && at < opts.durationMs - tail; i++) {
    // a destroyed domain stays down: at most one destroy, the plan's last fault
    const kind = r.next() < 0.1 ? "destroy" : r.pick(["corrupt", "corrupt", "corrupt", "crash", "restart", "pause"]);
    const domain = r.pick(["zephyr", "linux"]);
    let item: string;
    let end = at;
    if (kind === "corrupt") item = corruption(r, at);
    else if (kind === "pause") {
      const len = r.pick([300, 1500, 4000]);
      item = `pause:${domain}:${s(len)}@${s(at)}`;
      end = at + len;
    } else item = `${kind}:${domain}@${s(at)}`;
    items.push(item);
    timed.push({ item, atMs: at, endMs: end });
    if (kind === "destroy") break;
    at = near(end + spacing + r.int(0, 3000));
  }
  return { spec: items.join(","), timed, sendFaults };
}

/** The host -> remote vring's offset in the demo region (where a corruption without a part lands). */
export const VRING1_OFFSET = staticVringsLayout({ shmSize: DEMO_SHM_BYTES }).vring1Offset;

/** The sampling periods a chaos sweep covers, ms (the protocol's whole range, 100 ms to 60 s). */
export const SWEEP_PERIODS = [100, 250, 1000, 1000, 5000, 60_000] as const;

/** One case of a chaos sweep: a seed, a period, a long enough run and a random plan for it. */
export interface SweepCase {
  readonly seed: number;
  readonly periodMs: number;
  readonly durationMs: number;
  readonly plan: RandomPlan;
}

/** The sweep case of `seed` at `periodMs`: at long periods the run spans three periods and faults strike shortly before a sample. */
export function sweepCase(seed: number, periodMs: number): SweepCase {
  const durationMs = periodMs >= 5000 ? Math.max(30_000, 3 * periodMs + 5000) : 24_000;
  return { seed, periodMs, durationMs, plan: randomPlan(seed, { durationMs, periodMs, maxTimed: periodMs >= 5000 ? 2 : 3 }) };
}
