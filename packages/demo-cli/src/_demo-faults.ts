// The demo's defaults for the --faults plan, and the named parts of its
// shared-memory layout that corruptions aim at (from openamp-wasm).
import { layoutRegions, staticVringsLayout } from "@v8r/openamp-wasm";
import type { Fault, FaultPlan, ShmRange } from "@v8r/xen-dom0less";

/**
 * The part a corruption hits when the spec names none: from the host ->
 * remote vring (where a broken peer does the most harm) to the end of the
 * region, so a count larger than the vring runs on over the other vring.
 */
export const DEFAULT_CORRUPT_PART = "from-vring1";

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

/**
 * The named parts of a static shm region: `all` of it, and the OpenAMP
 * static-vrings layout Zephyr and Linux use (its parts, and `from-vring1`:
 * from the host -> remote vring to the end); only `all` for a region too
 * small for the layout.
 */
export function demoShmRanges(region: { readonly size: number }): readonly ShmRange[] {
  const all = { name: "all", offset: 0, size: region.size, description: "the whole region" };
  try {
    const parts = layoutRegions(staticVringsLayout({ shmSize: region.size }));
    const vring1 = parts.find((p) => p.name === "vring1");
    const tail = vring1 === undefined ? [] : [{ name: "from-vring1", offset: vring1.offset, size: region.size - vring1.offset, description: "from vring1 to the end of the region" }];
    return [all, ...parts, ...tail];
  } catch (err) {
    if (err instanceof RangeError) return [all];
    throw err;
  }
}
