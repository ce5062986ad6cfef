/** Properties every node may carry. */
const COMMON = ["compatible", "phandle", "linux,phandle"];

/** Properties Xen (or v8r) reads on a `xen,domain` node. */
export const DOMAIN_PROPERTIES: readonly string[] = [
  ...COMMON,
  "memory",
  "cpus",
  "#address-cells",
  "#size-cells",
  "vpl011",
  "xen,enhanced",
  "direct-map",
  "xen,static-mem",
  "#xen,static-mem-address-cells",
  "#xen,static-mem-size-cells",
  "nr_spis",
  "domain-cpupool",
  "max_grant_frames",
  "max_maptrack_frames",
  "max_grant_version",
  "xen,domain-p2m-mem-mb",
  "llc-colors",
  "capabilities",
  "sve",
];

/** Properties of a boot module node (`multiboot,kernel`, `multiboot,ramdisk`, ...). */
export const MODULE_PROPERTIES: readonly string[] = [...COMMON, "reg", "bootargs", "v8r,image", "xen,uefi-binary"];

/** Properties of a `xen,domain-shared-memory-v1` node. */
export const SHM_PROPERTIES: readonly string[] = [...COMMON, "xen,shm-id", "xen,shared-mem", "role"];

/** Properties of a `xen,evtchn-v1` node. */
export const EVTCHN_PROPERTIES: readonly string[] = [...COMMON, "xen,evtchn"];

/** Levenshtein distance, capped: enough to suggest a fix for a typo. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The known name closest to `name` (at most 2 edits away), for a "did you mean" hint. */
export function suggest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}
