// The demo's defaults for the --faults plan, and the named parts of its
// shared-memory layout that corruptions aim at (from openamp-wasm).
import { layoutRegions, staticVringsLayout } from "@v8r/openamp-wasm";
import type { Fault, FaultPlan, ShmRange } from "@v8r/xen-dom0less";

/** The layout part a corruption hits when the spec names none: the host -> remote vring, where a broken peer does the most harm. */
export const DEFAULT_CORRUPT_PART = "vring1";

/** Bytes a corruption writes when the spec names neither a part nor a count. */
export const DEFAULT_CORRUPT_BYTES = 32;

/**
 * The hypervisor's plan for `plan` with `seed`: each corruption that names
 * no part of the layout aims at {@link DEFAULT_CORRUPT_PART}, with
 * {@link DEFAULT_CORRUPT_BYTES} bytes unless the spec gave a count.
 */
export function withDemoDefaults(plan: FaultPlan, seed: number): FaultPlan {
  const faults = plan.faults.map((f): Fault => {
    if (f.kind !== "corrupt" || f.range !== undefined) return f;
    return { ...f, range: DEFAULT_CORRUPT_PART, length: f.length ?? DEFAULT_CORRUPT_BYTES };
  });
  return { seed, faults };
}

/** The named parts of a static shm region: the OpenAMP static-vrings layout Zephyr and Linux use (none for a region too small for it). */
export function demoShmRanges(region: { readonly size: number }): readonly ShmRange[] {
  try {
    return layoutRegions(staticVringsLayout({ shmSize: region.size }));
  } catch (err) {
    if (err instanceof RangeError) return [];
    throw err;
  }
}
