// Turning the command line's --faults plan into the hypervisor's fault plan.
import { staticVringsLayout } from "@v8r/openamp-wasm";
import type { Dom0lessConfig, FaultPlan as XenFaultPlan } from "@v8r/xen-dom0less";
import type { FaultPlan } from "./fault-spec.ts";

const DEFAULT_CORRUPT_BYTES = 32;

/**
 * The hypervisor's plan for `plan`: send faults with `seed`, and each
 * corruption aimed at the vrings of the region (or of every region when the
 * plan names none), where a broken peer does the most harm.
 */
export function toXenFaults(plan: FaultPlan, seed: number, config: Dom0lessConfig): XenFaultPlan {
  const regions = config.sharedMemory;
  const corrupt = plan.corrupt.flatMap((c) => {
    const targets = c.region === undefined ? regions : regions.filter((r) => r.id === c.region);
    if (targets.length === 0) throw new Error(`[v8r-demo] --faults corrupts region "${c.region}", which the device tree does not define`);
    return targets.map((r) => ({ atMs: c.atMs, region: r.id, offset: ringOffset(r.size), length: c.bytes ?? DEFAULT_CORRUPT_BYTES }));
  });
  return {
    seed,
    ...(plan.drop === undefined ? {} : { drop: plan.drop }),
    ...(plan.delay === undefined ? {} : { delay: { probability: plan.delay.p, ms: plan.delay.ms } }),
    ...(plan.duplicate === undefined ? {} : { duplicate: plan.duplicate }),
    corrupt,
    crash: plan.crash,
    restart: plan.restart,
  };
}

/** Offset of the host-to-remote vring in a static-vrings region of `size` bytes. */
function ringOffset(size: number): number {
  return staticVringsLayout({ shmSize: size }).vring1Offset;
}
