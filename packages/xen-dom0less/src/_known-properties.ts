/**
 * Internal: the one table of the properties Xen reads on the nodes of a dom0less configuration,
 * from Xen's docs/misc/arm/device-tree/booting.txt (and cpupools.txt, passthrough.txt), plus
 * v8r's own `v8r,image`. The linter warns about any other property on these nodes.
 */

/** The kinds of node whose properties the linter knows. */
export type KnownNodeKind = "domain" | "module" | "shm" | "evtchn" | "vcpu";

/** One known property: on which kind of node, and where it is documented. */
interface KnownProperty {
  readonly node: KnownNodeKind | "any";
  readonly name: string;
  readonly source: "devicetree" | "booting.txt" | "cpupools.txt" | "v8r";
}

const KNOWN: readonly KnownProperty[] = [
  { node: "any", name: "compatible", source: "devicetree" },
  { node: "any", name: "phandle", source: "devicetree" },
  { node: "any", name: "linux,phandle", source: "devicetree" },
  { node: "any", name: "status", source: "devicetree" },
  // "Creating Multiple Domains directly from Xen" and the features added to it since.
  { node: "domain", name: "memory", source: "booting.txt" },
  { node: "domain", name: "cpus", source: "booting.txt" },
  { node: "domain", name: "vpl011", source: "booting.txt" },
  { node: "domain", name: "nr_spis", source: "booting.txt" },
  { node: "domain", name: "#address-cells", source: "booting.txt" },
  { node: "domain", name: "#size-cells", source: "booting.txt" },
  { node: "domain", name: "direct-map", source: "booting.txt" },
  { node: "domain", name: "xen,static-mem", source: "booting.txt" },
  { node: "domain", name: "xen,enhanced", source: "booting.txt" },
  { node: "domain", name: "xen,domain-p2m-mem-mb", source: "booting.txt" },
  { node: "domain", name: "max_grant_version", source: "booting.txt" },
  { node: "domain", name: "max_grant_frames", source: "booting.txt" },
  { node: "domain", name: "max_maptrack_frames", source: "booting.txt" },
  { node: "domain", name: "passthrough", source: "booting.txt" },
  { node: "domain", name: "capabilities", source: "booting.txt" },
  { node: "domain", name: "sve", source: "booting.txt" },
  { node: "domain", name: "trap-unmapped-accesses", source: "booting.txt" },
  { node: "domain", name: "xen,sci_type", source: "booting.txt" },
  { node: "domain", name: "v8r_el1_msa", source: "booting.txt" },
  { node: "domain", name: "llc-colors", source: "booting.txt" },
  { node: "domain", name: "domain-cpupool", source: "cpupools.txt" },
  // Read by Xen 4.16 only; the static-mem rules say so (they are not "unknown").
  { node: "domain", name: "#xen,static-mem-address-cells", source: "booting.txt" },
  { node: "domain", name: "#xen,static-mem-size-cells", source: "booting.txt" },
  // Boot modules: kernel, ramdisk, device-tree fragment ("Device Assignment").
  { node: "module", name: "reg", source: "booting.txt" },
  { node: "module", name: "bootargs", source: "booting.txt" },
  { node: "module", name: "xen,uefi-binary", source: "booting.txt" },
  { node: "module", name: "v8r,image", source: "v8r" },
  // "Static Shared Memory".
  { node: "shm", name: "xen,shm-id", source: "booting.txt" },
  { node: "shm", name: "xen,shared-mem", source: "booting.txt" },
  { node: "shm", name: "role", source: "booting.txt" },
  // "Static Event Channel".
  { node: "evtchn", name: "xen,evtchn", source: "booting.txt" },
  // vCPU affinity: sub-nodes compatible with "xen,vcpu".
  { node: "vcpu", name: "id", source: "booting.txt" },
  { node: "vcpu", name: "hard-affinity", source: "booting.txt" },
];

/** The names of the properties Xen (or v8r) reads on a node of `kind`. */
export function knownProperties(kind: KnownNodeKind): readonly string[] {
  return KNOWN.filter((p) => p.node === kind || p.node === "any").map((p) => p.name);
}

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
