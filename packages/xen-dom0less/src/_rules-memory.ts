/**
 * Internal: host memory Xen reserves at boot must not overlap. Xen records, in tree order, the
 * `/memreserve/` entries, `/reserved-memory` regions, `xen,static-heap`, each domain's
 * `xen,static-mem`, the boot modules and the static shared memory regions, and refuses one that
 * overlaps one recorded before (a region may lie inside a `/memreserve/` entry, except static
 * shared memory, which may not touch one at all).
 */
import { findNode, getProperty, isCompatible, propertyString, walkNodes, type DtNode } from "./device-tree.ts";
import type { MemoryRange } from "./dom0less-config.ts";
import { DiagnosticSink, hex } from "./_diag.ts";
import { childCells, MODULE_COMPATIBLE, readRanges } from "./_config-readers.ts";
import type { RuleContext } from "./_rule-context.ts";
import { rangesOverlap } from "./guest-memory.ts";

type Kind = "memreserve" | "reserved-memory" | "static-heap" | "static-mem" | "module" | "shm";

interface Reserved extends MemoryRange {
  readonly kind: Kind;
  /** Where to report (a node and, when given, its property). */
  readonly node: DtNode;
  readonly prop?: string;
  /** Human description, e.g. `xen,static-mem of domU1`. */
  readonly what: string;
  /** For modules: the module kind, so that one module named by two domains counts once. */
  readonly moduleKind?: string;
}

/** Runs the overlap rules between the host memory regions Xen reserves. */
export function checkReservedMemory(ctx: RuleContext): void {
  const list = collect(ctx);
  for (let j = 0; j < list.length; j++) {
    const b = list[j];
    if (b === undefined) continue;
    for (let i = 0; i < j; i++) {
      const a = list[i];
      if (a !== undefined && clash(a, b)) report(ctx.sink, a, b);
    }
  }
}

function clash(a: Reserved, b: Reserved): boolean {
  if (!rangesOverlap(a, b)) return false;
  if (a.kind === "shm" && b.kind === "shm") return false; // shm-overlap, with the shm rules
  if (a.kind === "memreserve" && b.kind === "memreserve") return false;
  if (a.kind === "module" && b.kind === "module" && a.addr === b.addr && a.moduleKind === b.moduleKind) return false;
  const [rsv, other] = a.kind === "memreserve" ? [a, b] : [b, a];
  if (rsv.kind === "memreserve" && other.kind !== "shm") return !(other.addr >= rsv.addr && other.addr + other.size <= rsv.addr + rsv.size);
  return true;
}

/** Reports an overlap at the region it is about: static shared memory first, then static memory, else the later region. */
function report(sink: DiagnosticSink, a: Reserved, b: Reserved): void {
  const range = (r: Reserved): string => `${hex(r.addr)}+${hex(r.size)}`;
  const pick = (kind: Kind): Reserved | undefined => (b.kind === kind ? b : a.kind === kind ? a : undefined);
  const shm = pick("shm");
  const staticMem = pick("static-mem");
  const where = shm ?? staticMem ?? (b.kind === "memreserve" ? a : b);
  const there = where === a ? b : a;
  const code = shm !== undefined ? "shm-reserved-overlap" : staticMem !== undefined ? "static-mem-overlap" : "reserved-overlap";
  const inside = there.kind === "memreserve" && shm !== undefined ? " (static shared memory may not lie in a /memreserve/ entry)" : "";
  sink.add(code, where.node, `${where.what} (host ${range(where)}) overlaps ${there.what} (host ${range(there)})${inside}; Xen reserves both at boot and refuses overlapping regions`, where.prop);
}

function collect(ctx: RuleContext): Reserved[] {
  const { tree } = ctx;
  const out: Reserved[] = tree.memoryReservations.map((r) => ({
    kind: "memreserve" as const,
    addr: Number(r.address),
    size: Number(r.size),
    node: tree.root,
    what: `the /memreserve/ entry ${hex(Number(r.address))}`,
  }));
  const quiet = new DiagnosticSink(); // malformed values are reported by the readers already
  const push = (kind: Kind, node: DtNode, prop: string, ranges: readonly MemoryRange[] | undefined, what: string, moduleKind?: string): void => {
    for (const r of ranges ?? []) if (r.size > 0) out.push({ ...r, kind, node, prop, what, ...(moduleKind !== undefined ? { moduleKind } : {}) });
  };
  const resv = findNode(tree, "/reserved-memory");
  for (const c of resv?.children ?? []) {
    if (available(c)) push("reserved-memory", c, "reg", readRanges(c, "reg", childCells(tree, resv ?? c), quiet), `/reserved-memory region ${c.fullName}`);
  }
  const chosen = findNode(tree, "/chosen");
  if (chosen !== undefined) push("static-heap", chosen, "xen,static-heap", readRanges(chosen, "xen,static-heap", childCells(tree, tree.root), quiet), "xen,static-heap");
  for (const d of ctx.config.domains) {
    const n = ctx.node(d.path);
    if (n !== undefined) push("static-mem", n, "xen,static-mem", d.staticMem, `xen,static-mem of ${d.name}`);
  }
  if (chosen !== undefined) collectModules(ctx, chosen, quiet, push);
  const seen = new Set<string>();
  for (const m of [...(ctx.config.dom0?.shm ?? []), ...ctx.config.domains.flatMap((d) => d.shm)]) {
    const n = ctx.node(m.path);
    if (m.hostAddr === undefined || n === undefined || seen.has(m.id)) continue;
    seen.add(m.id);
    push("shm", n, "xen,shared-mem", [{ addr: m.hostAddr, size: m.size }], `static shared memory "${m.id}"`);
  }
  return out;
}

function collectModules(
  ctx: RuleContext,
  chosen: DtNode,
  quiet: DiagnosticSink,
  push: (kind: Kind, node: DtNode, prop: string, ranges: readonly MemoryRange[] | undefined, what: string, moduleKind?: string) => void,
): void {
  walkNodes(chosen, (n) => {
    if (n === chosen || !isCompatible(n, ...MODULE_COMPATIBLE) || getProperty(n, "reg") === undefined) return;
    const parent = ctx.node(n.path.slice(0, n.path.lastIndexOf("/"))) ?? chosen;
    const compat = getProperty(n, "compatible");
    const kind = compat === undefined ? "" : (propertyString(compat) ?? new TextDecoder().decode(compat.value).split("\0")[0] ?? "");
    push("module", n, "reg", readRanges(n, "reg", childCells(ctx.tree, parent), quiet)?.slice(0, 1), `boot module ${n.path}`, kind);
  });
}

function available(n: DtNode): boolean {
  const status = getProperty(n, "status");
  const v = status === undefined ? "okay" : propertyString(status);
  return v === "okay" || v === "ok";
}
