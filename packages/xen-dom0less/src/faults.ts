/**
 * Fault injection for tests and the demo's chaos mode. A plan is a seed and
 * a list of faults of the kinds in the registry (fault-kinds.ts). Send-path
 * faults (drop, delay, duplicate) are decided in `send()` on the sender's
 * thread; timed faults (corrupt shm bytes, crash or restart a domain) fire on
 * the platform clock. Every fault draws from its own stream of the seed, so
 * under a VirtualClock the same plan and seed give the same trace every run,
 * and adding a fault to a plan leaves what the others do unchanged.
 *
 * @module
 */
import type { Clock, TimerHandle, TraceSink } from "@v8r/fvp-core";
import type { FaultBase, FaultCheckTarget, FaultTarget, TimedFaultBase, TimedFaultKind } from "./fault-kind.ts";
import { type Fault, faultKind, isSendFault, type SendFault } from "./fault-kinds.ts";
import { createRng, streamId } from "./_rng.ts";
import type { XenFaultEvent } from "./trace-events.ts";
import { XenBootError } from "./xen-boot-error.ts";

/** A fault plan (see `BootXenOptions.faults`). */
export interface FaultPlan {
  /** Seed of every random choice (default 1). */
  readonly seed?: number;
  /** The faults, of any kind in `FAULT_KINDS`. */
  readonly faults: readonly Fault[];
}

/** The send-path part of a plan, as plain data for the domains' runtimes. */
export interface SendFaultPlan {
  /** Seed of the generators. */
  readonly seed: number;
  /** The send-path faults. */
  readonly faults: readonly SendFault[];
}

/** Default seed of a plan that names none. */
export const DEFAULT_FAULT_SEED = 1;

/**
 * The stream key of each fault: its kind and fields in a canonical order,
 * plus how many identical faults come before it. A fault's random stream
 * depends on nothing else in the plan: adding, removing or reordering other
 * faults leaves its draws unchanged.
 */
export function faultStreamKeys(faults: readonly FaultBase[]): string[] {
  const seen = new Map<string, number>();
  return faults.map((f) => {
    const text = canonical(f);
    const n = seen.get(text) ?? 0;
    seen.set(text, n + 1);
    return `${text}#${n}`;
  });
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
}

/** XenBootError "faults-invalid" unless every fault of the plan is known, well-formed and names what exists. */
export function checkFaultPlan(plan: FaultPlan, target: FaultCheckTarget): void {
  const bad = (msg: string): never => {
    throw new XenBootError("faults-invalid", `[xen-dom0less] checking the fault plan: ${msg}`);
  };
  if (plan === null || typeof plan !== "object" || !Array.isArray(plan.faults)) bad("it needs a faults array ({ seed, faults: [...] })");
  if (plan.seed !== undefined && !Number.isFinite(plan.seed)) bad(`seed ${String(plan.seed)} is not a finite number`);
  for (const f of plan.faults) {
    const kind = faultKind(String((f as { kind?: unknown } | null)?.kind));
    if (kind === undefined || kind.name !== f.kind) bad(`${JSON.stringify(f)} is not a fault of a known kind`);
    if ("atMs" in f && !(f.atMs >= 0 && Number.isFinite(f.atMs))) bad(`${f.kind}: atMs ${String(f.atMs)} must be a finite time of 0 or more`);
    if ("ports" in f && f.ports !== undefined && !f.ports.every((p) => Number.isInteger(p) && p > 0)) bad(`${f.kind}: ports must be positive integers`);
    const why = kind?.check(f as never, target);
    if (why !== undefined) bad(why);
  }
}

/** Schedule the timed faults of `plan` relative to now; returns a function that cancels those not yet fired. */
export function scheduleFaults(plan: FaultPlan, target: Omit<FaultTarget, "emit"> & { readonly trace: TraceSink<XenFaultEvent>; readonly clock: Clock }): () => void {
  const seed = plan.seed ?? DEFAULT_FAULT_SEED;
  const full: FaultTarget = {
    ...target,
    emit(kind, fields) {
      if (target.trace.active) target.trace.emit({ type: "xen-fault", kind, ...fields, atMs: target.clock.now() });
    },
  };
  const timers: TimerHandle[] = [];
  const keys = faultStreamKeys(plan.faults);
  plan.faults.forEach((f, i) => {
    const kind = faultKind(f.kind);
    if (kind?.when !== "timed" || !("atMs" in f)) return;
    const rng = createRng(seed, streamId(keys[i] ?? ""));
    const timed = kind as TimedFaultKind<TimedFaultBase>;
    timers.push(target.clock.setTimeout(() => timed.fire(f, full, rng), f.atMs));
  });
  return () => timers.forEach((t) => t.cancel());
}

/** The send-path part of `plan` (the faults keep their plan order), or `undefined` when it has none. */
export function sendFaultPlan(plan: FaultPlan | undefined): SendFaultPlan | undefined {
  const faults = plan?.faults.filter(isSendFault) ?? [];
  if (plan === undefined || faults.length === 0) return undefined;
  return { seed: plan.seed ?? DEFAULT_FAULT_SEED, faults: structuredClone(faults) };
}
