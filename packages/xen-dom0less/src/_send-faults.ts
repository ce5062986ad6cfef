/**
 * Internal: the send-path faults of a plan, applied in `send()` on the
 * sender's thread. Each fault draws one number per send it covers from its
 * own seeded stream (per fault, see `faultStreamKeys`, and per sending domain
 * instance), so runs are reproducible and one fault never shifts another's
 * sequence.
 */
import type { SendFate, SendFaultBase, SendFaultKind } from "./fault-kind.ts";
import { faultKind } from "./fault-kinds.ts";
import { faultStreamKeys, type SendFaultPlan } from "./faults.ts";
import { createRng, type Rng, streamId } from "./_rng.ts";

/** Decides the fate of each send. */
export interface SendFaults {
  /** The fate of a send on local `port` (one object, reused by the next call), `undefined` when no fault fired. */
  decide(port: number): SendFate | undefined;
}

interface Armed {
  readonly fault: SendFaultBase;
  readonly kind: SendFaultKind<SendFaultBase>;
  readonly rng: Rng;
  readonly only: ReadonlySet<number> | undefined;
}

/** A decider for domain `domid`'s instance `generation`, or `undefined` when the plan has no send faults. */
export function createSendFaults(plan: SendFaultPlan | undefined, domid: number, generation: number): SendFaults | undefined {
  if (plan === undefined || plan.faults.length === 0) return undefined;
  const keys = faultStreamKeys(plan.faults);
  const armed: Armed[] = plan.faults.map((fault, i) => {
    const kind = faultKind(fault.kind);
    if (kind?.when !== "send") throw new TypeError(`[xen-dom0less] arming the send faults of d${domid}: "${fault.kind}" is not a send-path fault kind`);
    const rng = createRng(plan.seed, streamId(`${keys[i] ?? ""}/d${domid}.${generation}`));
    return { fault, kind, rng, only: fault.ports === undefined ? undefined : new Set(fault.ports) };
  });
  const fate: SendFate = { drop: false, delayMs: 0, copies: 0, kinds: [] };
  return {
    decide(port) {
      fate.drop = false;
      fate.delayMs = 0;
      fate.copies = 0;
      fate.kinds.length = 0;
      for (const a of armed) {
        if (a.only !== undefined && !a.only.has(port)) continue;
        if (a.kind.apply(a.fault, a.rng.next(), fate)) fate.kinds.push(a.fault.kind);
      }
      return fate.kinds.length > 0 ? fate : undefined;
    },
  };
}
