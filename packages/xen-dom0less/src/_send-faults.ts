/**
 * Internal: the part of a fault plan applied in `send()`, on the sender's
 * thread: drop, delay or duplicate a notification with a seeded generator (one
 * independent stream per sending domain instance, so runs are reproducible).
 */
import { createRng } from "./_rng.ts";

/** The send-path faults of a plan (plain data, crosses threads in the domain's init). */
export interface SendFaultPlan {
  /** Seed of the generator. */
  readonly seed: number;
  /** Probability (0..1) that a send is dropped. */
  readonly drop?: number;
  /** Probability that a send is delivered `ms` later. */
  readonly delay?: { readonly probability: number; readonly ms: number };
  /** Probability that a send is delivered twice (the second time after the first was handled, when it can be). */
  readonly duplicate?: number;
  /** Only sends on these local ports are affected (default: every port). */
  readonly ports?: readonly number[];
}

/** What happens to one send. */
export interface SendFate {
  /** The notification is lost. */
  readonly drop: boolean;
  /** Delivery delay in ms (0: now). */
  readonly delayMs: number;
  /** The notification is raised a second time. */
  readonly duplicate: boolean;
}

/** Decides the fate of each send. */
export interface SendFaults {
  /** The fate of a send on local `port`, `undefined` when no fault applies. */
  decide(port: number): SendFate | undefined;
}

/** A decider for domain `domid`'s instance `generation`, or `undefined` when the plan has no send faults. */
export function createSendFaults(plan: SendFaultPlan | undefined, domid: number, generation: number): SendFaults | undefined {
  if (plan === undefined) return undefined;
  const drop = plan.drop ?? 0;
  const delayP = plan.delay?.probability ?? 0;
  const delayMs = plan.delay?.ms ?? 0;
  const dup = plan.duplicate ?? 0;
  if (drop <= 0 && delayP <= 0 && dup <= 0) return undefined;
  const rng = createRng(plan.seed, domid * 65_536 + generation);
  const only = plan.ports === undefined ? undefined : new Set(plan.ports);
  return {
    decide(port) {
      if (only !== undefined && !only.has(port)) return undefined;
      // Draw all three numbers every time so one fault never shifts the others' sequence.
      const a = rng.next();
      const b = rng.next();
      const c = rng.next();
      const fate = { drop: a < drop, delayMs: b < delayP ? delayMs : 0, duplicate: c < dup };
      return fate.drop || fate.delayMs > 0 || fate.duplicate ? fate : undefined;
    },
  };
}
