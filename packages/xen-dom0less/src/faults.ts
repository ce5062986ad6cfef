/**
 * Fault injection for tests and the demo's chaos mode. Send-path faults
 * (drop, delay, duplicate) are decided in `send()` on the sender's thread
 * with a seeded generator; timed faults (corrupt shm bytes, crash or restart
 * a domain) run on the platform clock. Under a VirtualClock the same plan
 * and seed give the same trace every run.
 *
 * @module
 */
import type { Clock, TimerHandle, TraceSink } from "@v8r/fvp-core";
import type { MemoryWindow } from "@v8r/fvp-core";
import { createRng } from "./_rng.ts";
import type { SendFaultPlan } from "./_send-faults.ts";
import { XenBootError } from "./xen-boot-error.ts";

/** Overwrite bytes of a static shm region at a given time. */
export interface CorruptFault {
  /** When, in ms after boot. */
  readonly atMs: number;
  /** `xen,shm-id` of the region. */
  readonly region: string;
  /** First byte (default 0). */
  readonly offset?: number;
  /** How many bytes (default: `bytes.length`, else 1); without `bytes` each is XORed with a random non-zero value. */
  readonly length?: number;
  /** The bytes to write. */
  readonly bytes?: readonly number[];
}

/** Crash or restart a domain at a given time. */
export interface DomainFault {
  /** Domain name. */
  readonly domain: string;
  /** When, in ms after boot. */
  readonly atMs: number;
}

/** A fault plan (see `BootXenOptions.faults`). */
export interface FaultPlan extends SendFaultPlan {
  /** Corrupt bytes of shared memory. */
  readonly corrupt?: readonly CorruptFault[];
  /** Crash domains (their `on_crash` policy applies). */
  readonly crash?: readonly DomainFault[];
  /** Restart domains. */
  readonly restart?: readonly DomainFault[];
}

/** What the timed faults act on. */
export interface FaultTarget {
  /** The platform clock. */
  readonly clock: Clock;
  /** Where fault events are published. */
  readonly trace: TraceSink;
  /** Host-side window on a region, `undefined` for an unknown id. */
  region(id: string): MemoryWindow | undefined;
  /** Whether a domain of that name exists. */
  hasDomain(name: string): boolean;
  /** Crash a domain. */
  crash(name: string, reason: string): Promise<void>;
  /** Restart a domain. */
  restart(name: string): Promise<void>;
}

/** XenBootError "faults-invalid" unless the plan's numbers and names make sense. */
export function checkFaultPlan(plan: FaultPlan, target: FaultTarget): void {
  const bad = (msg: string): never => {
    throw new XenBootError("faults-invalid", `[xen-dom0less] checking the fault plan: ${msg}`);
  };
  if (!Number.isFinite(plan.seed)) bad(`seed ${String(plan.seed)} is not a finite number`);
  const prob = (name: string, p: number | undefined): void => {
    if (p !== undefined && !(p >= 0 && p <= 1)) bad(`${name} probability ${String(p)} is not within 0..1`);
  };
  prob("drop", plan.drop);
  prob("duplicate", plan.duplicate);
  prob("delay", plan.delay?.probability);
  if (plan.delay !== undefined && !(plan.delay.ms >= 0)) bad(`delay ms ${String(plan.delay.ms)} must be 0 or more`);
  const time = (what: string, t: number): void => {
    if (!(t >= 0) || !Number.isFinite(t)) bad(`${what}: atMs ${String(t)} must be a finite time of 0 or more`);
  };
  for (const c of plan.corrupt ?? []) {
    time(`corrupt "${c.region}"`, c.atMs);
    const w = target.region(c.region);
    if (w === undefined) bad(`corrupt names region "${c.region}", which is not a static shm region`);
    const len = c.length ?? c.bytes?.length ?? 1;
    const off = c.offset ?? 0;
    if (w !== undefined && !(Number.isInteger(off) && Number.isInteger(len) && off >= 0 && len > 0 && off + len <= w.size)) {
      bad(`corrupt of "${c.region}" at offset ${off}, ${len} bytes, does not fit its ${w.size} bytes`);
    }
  }
  for (const [kind, list] of [["crash", plan.crash], ["restart", plan.restart]] as const) {
    for (const f of list ?? []) {
      time(`${kind} ${f.domain}`, f.atMs);
      if (!target.hasDomain(f.domain)) bad(`${kind} names domain "${f.domain}", which is not in the configuration`);
    }
  }
}

/** Schedule the timed faults of `plan` relative to now; returns a function that cancels those not yet fired. */
export function scheduleFaults(plan: FaultPlan, target: FaultTarget): () => void {
  const rng = createRng(plan.seed, 0xfa17);
  const timers: TimerHandle[] = [];
  const emit = (e: Record<string, unknown>): void => {
    if (target.trace.active) target.trace.emit({ type: "xen-fault", ...e, atMs: target.clock.now() });
  };
  for (const c of plan.corrupt ?? []) {
    timers.push(target.clock.setTimeout(() => {
      const w = target.region(c.region);
      if (w === undefined) return;
      const off = c.offset ?? 0;
      const len = c.length ?? c.bytes?.length ?? 1;
      const bytes = Array.from({ length: len }, (_, k) => {
        const given = c.bytes?.[k];
        return given !== undefined ? given & 0xff : w.read8(off + k) ^ (1 + (rng.u32() % 255));
      });
      bytes.forEach((b, k) => w.write8(off + k, b));
      emit({ kind: "corrupt", region: c.region, offset: off, length: len });
    }, c.atMs));
  }
  for (const f of plan.crash ?? []) {
    timers.push(target.clock.setTimeout(() => {
      emit({ kind: "crash", domain: f.domain });
      void target.crash(f.domain, "fault injection").catch(() => {});
    }, f.atMs));
  }
  for (const f of plan.restart ?? []) {
    timers.push(target.clock.setTimeout(() => {
      emit({ kind: "restart", domain: f.domain });
      void target.restart(f.domain).catch(() => {});
    }, f.atMs));
  }
  return () => timers.forEach((t) => t.cancel());
}

/** The send-path part of a plan, as plain data for the domains' runtimes. */
export function sendFaultPlan(plan: FaultPlan | undefined): SendFaultPlan | undefined {
  if (plan === undefined) return undefined;
  const { seed, drop, delay, duplicate, ports } = plan;
  return {
    seed,
    ...(drop !== undefined ? { drop } : {}),
    ...(delay !== undefined ? { delay: { probability: delay.probability, ms: delay.ms } } : {}),
    ...(duplicate !== undefined ? { duplicate } : {}),
    ...(ports !== undefined ? { ports: [...ports] } : {}),
  };
}
