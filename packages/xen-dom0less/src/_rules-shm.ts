/**
 * Internal: static shared memory rules, as Xen checks them when it reads the nodes at boot
 * (`process_shm_node`) and when it maps them into each domain (`process_shm`).
 */
import type { Dom0lessConfig, DomainShmMapping } from "./dom0less-config.ts";
import { hex } from "./_diag.ts";
import type { LintCode } from "./diagnostic.ts";
import type { RuleContext } from "./_rule-context.ts";
import { PAGE_SIZE } from "./_rules-domain.ts";
import { guestRamRanges, rangesOverlap } from "./guest-memory.ts";

/** Longest `xen,shm-id`: 16 bytes including the NUL. */
export const SHM_ID_MAX_CHARS = 15;

interface Owned {
  readonly domain: string;
  readonly directMap: boolean;
  readonly m: DomainShmMapping;
}

function allMappings(config: Dom0lessConfig): Owned[] {
  // dom0 is direct-mapped on Arm: it sees host memory 1:1.
  const out: Owned[] = (config.dom0?.shm ?? []).map((m) => ({ domain: "dom0", directMap: true, m }));
  for (const d of config.domains) for (const m of d.shm) out.push({ domain: d.name, directMap: d.directMap, m });
  return out;
}

/** Reports at `prop` of the node at `path` (at the node when it lacks the property). */
function report(ctx: RuleContext, code: LintCode, path: string, prop: string, message: string): void {
  const n = ctx.node(path);
  if (n !== undefined) ctx.sink.add(code, n, message, prop);
}

function range(m: DomainShmMapping): string {
  const host = m.hostAddr === undefined ? "no host address (placed by Xen)" : `host ${hex(m.hostAddr)}`;
  return `${host}, size ${hex(m.size)}`;
}

/** Runs every static shared memory rule. */
export function checkSharedMemory(ctx: RuleContext): void {
  const all = allMappings(ctx.config);
  const firstById = new Map<string, Owned>();
  for (const o of all) {
    const { m } = o;
    checkNode(ctx, o);
    const first = firstById.get(m.id);
    if (first === undefined) firstById.set(m.id, o);
    else if (first.m.hostAddr !== m.hostAddr || first.m.size !== m.size) {
      report(ctx, "shm-range-mismatch", m.path, "xen,shared-mem", `${m.path} gives region "${m.id}" as ${range(m)}, but ${first.m.path} gives ${range(first.m)}; every node of one region must give the same host address and size`);
    }
  }
  checkOwners(ctx, all);
  checkHostOverlaps(ctx, [...firstById.values()]);
  checkGuestOverlaps(ctx, all);
}

/** The rules about one node on its own. */
function checkNode(ctx: RuleContext, o: Owned): void {
  const { m } = o;
  const n = ctx.node(m.path);
  if (n === undefined) return;
  const bytes = new TextEncoder().encode(m.id).length;
  if (bytes === 0) {
    ctx.sink.add("shm-id-empty", n, `xen,shm-id of ${m.path} is empty; Xen needs a name of 1 to ${SHM_ID_MAX_CHARS} characters to match the nodes of a region`, "xen,shm-id");
  } else if (bytes > SHM_ID_MAX_CHARS) {
    ctx.sink.add("shm-id-too-long", n, `xen,shm-id "${m.id}" of ${m.path} is ${m.id.length} characters; the limit is ${SHM_ID_MAX_CHARS} (16 bytes with the NUL)`, "xen,shm-id");
  }
  const unaligned = [
    m.hostAddr !== undefined && m.hostAddr % PAGE_SIZE !== 0 ? `host address ${hex(m.hostAddr)}` : "",
    m.guestAddr % PAGE_SIZE !== 0 ? `guest address ${hex(m.guestAddr)}` : "",
    m.size % PAGE_SIZE !== 0 ? `size ${hex(m.size)}` : "",
  ].filter((x) => x !== "");
  if (unaligned.length > 0) {
    ctx.sink.add("shm-unaligned", n, `xen,shared-mem of ${m.path}: ${unaligned.join(", ")} not aligned to 4 KiB; Xen refuses static shared memory that is not in whole pages`, "xen,shared-mem");
  }
  if (o.directMap && m.hostAddr === undefined) {
    ctx.sink.add("shm-direct-map-no-host", n, `${o.domain} is direct-mapped, so region "${m.id}" needs a host address (<host guest size>, host == guest); Xen refuses to place it itself`, "xen,shared-mem");
  } else if (o.directMap && m.hostAddr !== undefined && m.hostAddr !== m.guestAddr) {
    ctx.sink.add("shm-direct-map-mismatch", n, `${o.domain} is direct-mapped, so region "${m.id}" must appear at guest ${hex(m.hostAddr)} (its host address), not ${hex(m.guestAddr)}`, "xen,shared-mem");
  }
}

/**
 * Who owns each region: `role = "owner"` on one node makes that domain the owner; nodes without
 * `role` make Xen (DOMID_IO) the owner, which cannot be combined with an owner domain; nodes that
 * all say `role = "borrower"` leave the region with no owner at all.
 */
function checkOwners(ctx: RuleContext, all: Owned[]): void {
  const byId = new Map<string, Owned[]>();
  for (const o of all) byId.set(o.m.id, [...(byId.get(o.m.id) ?? []), o]);
  for (const [id, nodes] of byId) {
    const owners = nodes.filter((o) => o.m.role === "owner");
    for (const extra of owners.slice(1)) {
      report(ctx, "shm-multiple-owners", extra.m.path, "role", `region "${id}" already has an owner (${owners[0]?.domain}, ${owners[0]?.m.path}); ${extra.domain} cannot own it too`);
    }
    const noRole = nodes.filter((o) => !o.m.roleGiven);
    if (owners.length > 0) {
      for (const o of noRole) {
        report(ctx, "shm-owner-conflict", o.m.path, "xen,shm-id", `region "${id}" is owned by ${owners[0]?.domain} (role = "owner"), but ${o.m.path} has no role, which makes Xen (DOMID_IO) the owner: Xen refuses two owners; write role = "borrower"`);
      }
    } else if (noRole.length === 0) {
      const last = nodes[nodes.length - 1];
      if (last !== undefined) {
        report(ctx, "shm-no-owner", last.m.path, "role", `every node of region "${id}" says role = "borrower" and none "owner": Xen accepts this, but then nobody owns the region (Xen owns it only when role is left out); remove role from the nodes to have Xen own it, or make one domain the owner`);
      }
    }
  }
}

function checkHostOverlaps(ctx: RuleContext, regions: Owned[]): void {
  for (let i = 0; i < regions.length; i++) {
    const b = regions[i];
    if (b === undefined || b.m.hostAddr === undefined) continue;
    const rb = { addr: b.m.hostAddr, size: b.m.size };
    for (let j = 0; j < i; j++) {
      const a = regions[j];
      if (a === undefined || a.m.hostAddr === undefined) continue;
      const ra = { addr: a.m.hostAddr, size: a.m.size };
      if (rangesOverlap(ra, rb)) {
        report(ctx, "shm-overlap", b.m.path, "xen,shared-mem", `region "${b.m.id}" (host ${hex(rb.addr)}+${hex(rb.size)}) overlaps region "${a.m.id}" (host ${hex(ra.addr)}+${hex(ra.size)}, ${a.m.path})`);
      }
    }
  }
}

function checkGuestOverlaps(ctx: RuleContext, all: Owned[]): void {
  const inDomain = (domain: string): Owned[] => all.filter((o) => o.domain === domain);
  for (const d of ctx.config.domains) {
    const ram = guestRamRanges(d);
    inDomain(d.name).forEach(({ m }, i, list) => {
      const g = { addr: m.guestAddr, size: m.size };
      const hitRam = ram.find((r) => rangesOverlap(r, g));
      if (hitRam !== undefined) {
        report(ctx, "shm-guest-overlap", m.path, "xen,shared-mem", `region "${m.id}" at guest ${hex(g.addr)}+${hex(g.size)} overlaps ${d.name}'s RAM at ${hex(hitRam.addr)}+${hex(hitRam.size)}; Xen would map it over the guest's memory`);
      }
      const other = list.slice(0, i).find((o) => rangesOverlap({ addr: o.m.guestAddr, size: o.m.size }, g));
      if (other !== undefined) {
        report(ctx, "shm-guest-overlap", m.path, "xen,shared-mem", `region "${m.id}" at guest ${hex(g.addr)}+${hex(g.size)} overlaps region "${other.m.id}" at guest ${hex(other.m.guestAddr)}+${hex(other.m.size)} in ${d.name}`);
      }
    });
  }
  inDomain("dom0").forEach(({ m }, i, list) => {
    const other = list.slice(0, i).find((p) => rangesOverlap({ addr: p.m.guestAddr, size: p.m.size }, { addr: m.guestAddr, size: m.size }));
    if (other !== undefined) report(ctx, "shm-guest-overlap", m.path, "xen,shared-mem", `region "${m.id}" at guest ${hex(m.guestAddr)} overlaps region "${other.m.id}" in dom0`);
  });
}
