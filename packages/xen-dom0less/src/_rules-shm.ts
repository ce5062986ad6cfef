import { findNode, type DeviceTree, type DtNode } from "./device-tree.ts";
import type { Dom0lessConfig, DomainShmMapping } from "./dom0less-config.ts";
import { hex, type DiagnosticSink } from "./_diag.ts";
import { guestRamRanges, rangesOverlap } from "./guest-memory.ts";

/** Longest `xen,shm-id`: 16 bytes including the NUL. */
export const SHM_ID_MAX_CHARS = 15;

interface Owned {
  readonly domain: string;
  readonly directMap: boolean;
  readonly m: DomainShmMapping;
}

function allMappings(config: Dom0lessConfig): Owned[] {
  const out: Owned[] = (config.dom0?.shm ?? []).map((m) => ({ domain: "dom0", directMap: true, m }));
  for (const d of config.domains) for (const m of d.shm) out.push({ domain: d.name, directMap: d.directMap, m });
  return out;
}

function range(m: DomainShmMapping): string {
  const host = m.hostAddr === undefined ? "placed by Xen" : `host ${hex(m.hostAddr)}`;
  return `${host}, size ${hex(m.size)}`;
}

/** Checks every static shared memory rule: id length, consistent ranges, overlaps, owners, guest layout, direct map. */
export function checkSharedMemory(tree: DeviceTree, config: Dom0lessConfig, sink: DiagnosticSink): void {
  const all = allMappings(config);
  const node = (path: string): DtNode | undefined => findNode(tree, path);
  const firstById = new Map<string, Owned>();
  const ownerById = new Map<string, Owned>();
  for (const o of all) {
    const n = node(o.m.path);
    if (n === undefined) continue;
    const { m } = o;
    if (new TextEncoder().encode(m.id).length > SHM_ID_MAX_CHARS) {
      sink.error("shm-id-too-long", n, `xen,shm-id "${m.id}" of ${m.path} is ${m.id.length} characters; the limit is ${SHM_ID_MAX_CHARS} (16 bytes with the NUL)`, "xen,shm-id");
    }
    const first = firstById.get(m.id);
    if (first === undefined) firstById.set(m.id, o);
    else if (first.m.hostAddr !== m.hostAddr || first.m.size !== m.size) {
      sink.error("shm-range-mismatch", n, `${m.path} gives region "${m.id}" as ${range(m)}, but ${first.m.path} gives ${range(first.m)}`, "xen,shared-mem");
    }
    if (m.role === "owner") {
      const owner = ownerById.get(m.id);
      if (owner === undefined) ownerById.set(m.id, o);
      else sink.error("shm-multiple-owners", n, `region "${m.id}" already has an owner (${owner.domain}, ${owner.m.path}); ${o.domain} cannot own it too`, "role");
    }
    if (o.directMap && m.hostAddr !== undefined && m.hostAddr !== m.guestAddr) {
      sink.error("shm-direct-map-mismatch", n, `${o.domain} is direct-mapped, so region "${m.id}" must appear at guest ${hex(m.hostAddr)} (its host address), not ${hex(m.guestAddr)}`, "xen,shared-mem");
    }
  }
  checkHostOverlaps([...firstById.values()], node, sink);
  checkGuestOverlaps(config, all, node, sink);
}

function checkHostOverlaps(regions: Owned[], node: (p: string) => DtNode | undefined, sink: DiagnosticSink): void {
  for (let i = 0; i < regions.length; i++) {
    const b = regions[i];
    if (b === undefined || b.m.hostAddr === undefined) continue;
    const n = node(b.m.path);
    if (n === undefined) continue;
    const rb = { addr: b.m.hostAddr, size: b.m.size };
    for (let j = 0; j < i; j++) {
      const a = regions[j];
      if (a === undefined || a.m.hostAddr === undefined) continue;
      const ra = { addr: a.m.hostAddr, size: a.m.size };
      if (rangesOverlap(ra, rb)) {
        sink.error("shm-overlap", n, `region "${b.m.id}" (host ${hex(rb.addr)}+${hex(rb.size)}) overlaps region "${a.m.id}" (host ${hex(ra.addr)}+${hex(ra.size)}, ${a.m.path})`, "xen,shared-mem");
      }
    }
  }
}

function checkGuestOverlaps(config: Dom0lessConfig, all: Owned[], node: (p: string) => DtNode | undefined, sink: DiagnosticSink): void {
  for (const d of config.domains) {
    const ram = guestRamRanges(d);
    d.shm.forEach((m, i) => {
      const n = node(m.path);
      if (n === undefined) return;
      const g = { addr: m.guestAddr, size: m.size };
      const hitRam = ram.find((r) => rangesOverlap(r, g));
      if (hitRam !== undefined) {
        sink.error("shm-guest-overlap", n, `region "${m.id}" at guest ${hex(g.addr)}+${hex(g.size)} overlaps ${d.name}'s RAM at ${hex(hitRam.addr)}+${hex(hitRam.size)}`, "xen,shared-mem");
      }
      const other = d.shm.slice(0, i).find((o) => rangesOverlap({ addr: o.guestAddr, size: o.size }, g));
      if (other !== undefined) {
        sink.error("shm-guest-overlap", n, `region "${m.id}" at guest ${hex(g.addr)}+${hex(g.size)} overlaps region "${other.id}" at guest ${hex(other.guestAddr)}+${hex(other.size)} in ${d.name}`, "xen,shared-mem");
      }
    });
  }
  const dom0 = all.filter((o) => o.domain === "dom0");
  dom0.forEach((o, i) => {
    const n = node(o.m.path);
    const other = dom0.slice(0, i).find((p) => rangesOverlap({ addr: p.m.guestAddr, size: p.m.size }, { addr: o.m.guestAddr, size: o.m.size }));
    if (n !== undefined && other !== undefined) {
      sink.error("shm-guest-overlap", n, `region "${o.m.id}" at guest ${hex(o.m.guestAddr)} overlaps region "${other.m.id}" in dom0`, "xen,shared-mem");
    }
  });
}
