/**
 * Internal: read domains, their boot modules and static shared memory from the tree, with cells
 * as current Xen reads them (see {@link childCells}).
 */
import {
  cellsToNumber,
  findNode,
  getProperty,
  isCompatible,
  propertyCells,
  propertyString,
  readU32,
  type DeviceTree,
  type DtNode,
} from "./device-tree.ts";
import type {
  Dom0Config,
  DomainConfig,
  DomainEvtchnConfig,
  DomainShmMapping,
  KernelModuleConfig,
  MemoryRange,
  ShmRegionConfig,
  ShmRole,
  V8rEl1Msa,
  XenEnhanced,
} from "./dom0less-config.ts";
import type { DiagnosticSink } from "./_diag.ts";
import { EVTCHN_COMPATIBLE, readEvtchn } from "./_read-evtchn.ts";

const ENHANCED: readonly XenEnhanced[] = ["enabled", "legacy", "disabled", "no-xenstore"];
/** Compatible string of a static shared memory node. */
export const SHM_COMPATIBLE = "xen,domain-shared-memory-v1";
/** Compatible strings of a boot module node (the generic and the Xen 4.4 one). */
export const MODULE_COMPATIBLE = ["multiboot,module", "xen,multiboot-module"];
/** Compatible string of a vCPU affinity node. */
export const VCPU_COMPATIBLE = "xen,vcpu";

/** Cell counts of `reg`-like values. */
export interface Cells {
  readonly address: number;
  readonly size: number;
}

/** The root node's defaults when no node on the way sets `#address-cells`/`#size-cells`. */
const ROOT_CELLS: Cells = { address: 2, size: 1 };

/**
 * The `#address-cells`/`#size-cells` that apply to the children of `node`, as Xen reads them:
 * the node's own, else its parent's (inherited all the way up), else 2 and 1 at the root. A value
 * shorter than one cell counts as absent.
 */
export function childCells(tree: DeviceTree, node: DtNode): Cells {
  let cells = ROOT_CELLS;
  let cur: DtNode | undefined = tree.root;
  const own = (n: DtNode, name: string, dflt: number): number => {
    const p = getProperty(n, name);
    return p !== undefined && p.value.length >= 4 ? readU32(p.value, 0) : dflt;
  };
  const parts = node.path.split("/").filter((p) => p.length > 0);
  for (let i = 0; cur !== undefined; i++) {
    cells = { address: own(cur, "#address-cells", cells.address), size: own(cur, "#size-cells", cells.size) };
    const part = parts[i];
    if (part === undefined) break;
    cur = cur.children.find((c) => c.fullName === part);
  }
  return cells;
}

/** Reads a number of 1 to `maxCells` cells; reports and returns `undefined` when it is malformed. */
function readNumber(node: DtNode, name: string, sink: DiagnosticSink, maxCells: number): number | undefined {
  const prop = getProperty(node, name);
  if (prop === undefined) return undefined;
  const cells = propertyCells(prop);
  if (cells === undefined || cells.length === 0 || cells.length > maxCells) {
    const want = maxCells === 1 ? "one 32-bit cell" : `1 to ${maxCells} cells`;
    sink.add("property-invalid", node, `${name} of ${node.path} must be ${want} (found ${prop.value.length} bytes)`, name);
    return undefined;
  }
  return cellsToNumber(cells, 0, cells.length);
}

/** Reads `<address size>` pairs; reports a wrong length or zero cell counts. */
export function readRanges(node: DtNode, name: string, cells: Cells, sink: DiagnosticSink): MemoryRange[] | undefined {
  const prop = getProperty(node, name);
  if (prop === undefined) return undefined;
  if (cells.address < 1 || cells.size < 1) {
    sink.add("property-invalid", node, `${name} of ${node.path} is read with #address-cells = ${cells.address} and #size-cells = ${cells.size}; Xen needs at least one cell of each`, name);
    return undefined;
  }
  const list = propertyCells(prop);
  const per = cells.address + cells.size;
  if (list === undefined || list.length === 0 || list.length % per !== 0) {
    sink.add("property-invalid", node, `${name} of ${node.path} must be <address size> pairs of ${cells.address}+${cells.size} cells (found ${prop.value.length} bytes)`, name);
    return undefined;
  }
  const out: MemoryRange[] = [];
  for (let i = 0; i < list.length; i += per) {
    out.push({ addr: cellsToNumber(list, i, cells.address), size: cellsToNumber(list, i + cells.address, cells.size) });
  }
  return out;
}

/** Reads a string property; reports one that is not exactly one string. */
export function readString(node: DtNode, name: string, sink: DiagnosticSink): string | undefined {
  const prop = getProperty(node, name);
  if (prop === undefined) return undefined;
  const s = propertyString(prop);
  if (s === undefined) sink.add("property-invalid", node, `${name} of ${node.path} must be one string`, name);
  return s;
}

function missing(node: DtNode, name: string, sink: DiagnosticSink, why = ""): void {
  sink.add("property-missing", node, `${node.path} has no ${name}${why}`);
}

/** `memory`: Xen reads it as a 64-bit number of KiB (two cells) and cannot read a single cell. */
function readMemory(node: DtNode, sink: DiagnosticSink): number | undefined {
  const prop = getProperty(node, "memory");
  if (prop === undefined) {
    missing(node, "memory", sink, " (RAM size in KiB, a 64-bit <hi lo> value)");
    return undefined;
  }
  const cells = propertyCells(prop);
  if (cells === undefined || cells.length < 2) {
    sink.add("property-invalid", node, `memory of ${node.path} must be a 64-bit <hi lo> number of KiB; Xen cannot read ${prop.value.length} bytes and refuses to build the domain`, "memory");
    return undefined;
  }
  const kib = cellsToNumber(cells, 0, 2);
  if (kib === 0) sink.add("property-invalid", node, `memory of ${node.path} is 0 KiB`, "memory");
  return kib;
}

/** Reads one domain node under `/chosen`. */
export function readDomain(tree: DeviceTree, node: DtNode, sink: DiagnosticSink): DomainConfig {
  const memoryKiB = readMemory(node, sink);
  const cpus = readNumber(node, "cpus", sink, 1);
  if (getProperty(node, "cpus") === undefined) missing(node, "cpus", sink, " (number of vCPUs)");
  else if (cpus === 0) sink.add("property-invalid", node, `cpus of ${node.path} is 0; a domain needs at least one vCPU`, "cpus");
  const cells = childCells(tree, node);
  const staticMem = readStaticMem(tree, node, sink);
  const shm: DomainShmMapping[] = [];
  const evtchns: DomainEvtchnConfig[] = [];
  let kernel: KernelModuleConfig | undefined;
  for (const child of node.children) {
    if (isCompatible(child, SHM_COMPATIBLE)) pushDefined(shm, readShm(child, cells, sink));
    else if (isCompatible(child, ...EVTCHN_COMPATIBLE)) pushDefined(evtchns, readEvtchn(tree, child, sink));
    else if (isCompatible(child, "multiboot,kernel") && kernel === undefined) kernel = readKernel(child, cells, sink);
  }
  return {
    name: node.fullName,
    path: node.path,
    memoryKiB: memoryKiB ?? 0,
    cpus: cpus ?? 0,
    vpl011: getProperty(node, "vpl011") !== undefined,
    enhanced: readEnhanced(node, sink),
    directMap: getProperty(node, "direct-map") !== undefined,
    staticMem,
    capabilities: readNumber(node, "capabilities", sink, 1) ?? 0,
    v8rEl1Msa: readMsa(node, sink),
    kernel,
    shm,
    evtchns,
    loc: node.loc,
  };
}

/**
 * `xen,static-mem`, read with the cells of the domain's parent (`/chosen`) as Xen 4.17 and later
 * do. The Xen 4.16 form `#xen,static-mem-address-cells`/`-size-cells` is ignored by those
 * versions: a diagnostic says so, an error when it would be read differently.
 */
function readStaticMem(tree: DeviceTree, node: DtNode, sink: DiagnosticSink): MemoryRange[] | undefined {
  const parent = findNode(tree, node.path.slice(0, node.path.lastIndexOf("/")) || "/") ?? tree.root;
  const cells = childCells(tree, parent);
  const oldA = getProperty(node, "#xen,static-mem-address-cells");
  const oldS = getProperty(node, "#xen,static-mem-size-cells");
  if (oldA !== undefined || oldS !== undefined) {
    const old = (p: typeof oldA): number => (p !== undefined && p.value.length >= 4 ? readU32(p.value, 0) : 0);
    const legacy = { address: old(oldA), size: old(oldS) };
    const name = oldA !== undefined ? oldA.name : "#xen,static-mem-size-cells";
    const parentCells = `${parent.path}'s #address-cells = ${cells.address} and #size-cells = ${cells.size}`;
    if (legacy.address === cells.address && legacy.size === cells.size) {
      sink.add("static-mem-old-cells-unused", node, `${name} is read only by Xen 4.16; Xen 4.17 and later read xen,static-mem of ${node.path} with ${parentCells}, the same cells here, so it can be removed`, name);
    } else {
      sink.add("static-mem-old-cells", node, `${name} is read only by Xen 4.16; Xen 4.17 and later ignore it and read xen,static-mem of ${node.path} with ${parentCells}, not the ${legacy.address}/${legacy.size} cells it is written in: give ${parent.path} #address-cells = <${legacy.address}> and #size-cells = <${legacy.size}> (or rewrite the value) and remove the Xen 4.16 properties`, name);
      return undefined;
    }
  }
  return readRanges(node, "xen,static-mem", cells, sink);
}

/** Reads the shared memory and event channel nodes placed directly under `/chosen` (dom0's). */
export function readDom0(tree: DeviceTree, chosen: DtNode, sink: DiagnosticSink): Dom0Config | undefined {
  const own = chosen.children.filter((c) => isCompatible(c, SHM_COMPATIBLE, ...EVTCHN_COMPATIBLE));
  if (own.length === 0) return undefined;
  const cells = childCells(tree, chosen);
  const shm: DomainShmMapping[] = [];
  const evtchns: DomainEvtchnConfig[] = [];
  for (const child of own) {
    if (isCompatible(child, SHM_COMPATIBLE)) pushDefined(shm, readShm(child, cells, sink));
    else pushDefined(evtchns, readEvtchn(tree, child, sink));
  }
  return { path: chosen.path, shm, evtchns };
}

/**
 * The dom0 kernel module, as Xen finds it: a boot module under `/chosen` (not inside a domain)
 * compatible with `multiboot,kernel` (or Xen 4.4's `xen,linux-zimage`), or the first module of
 * no specific kind in the whole tree, which Xen takes for a kernel.
 */
export function findDom0Kernel(chosen: DtNode): string | undefined {
  let unknownSeen = 0;
  const visit = (node: DtNode, inDomain: boolean, depth: number): string | undefined => {
    for (const child of node.children) {
      if (isCompatible(child, ...MODULE_COMPATIBLE)) {
        let kernel = isCompatible(child, "multiboot,kernel", "xen,linux-zimage");
        const specific = kernel || isCompatible(child, "multiboot,ramdisk", "xen,linux-initrd", "xen,xsm-policy", "multiboot,device-tree");
        if (!specific && unknownSeen++ === 0) kernel = true;
        if (kernel && !inDomain) return child.path;
      }
      if (depth < 2) {
        const found = visit(child, isCompatible(child, "xen,domain"), depth + 1);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return visit(chosen, false, 1);
}

function pushDefined<T>(list: T[], v: T | undefined): void {
  if (v !== undefined) list.push(v);
}

/** `xen,enhanced`: empty means "enabled"; a value Xen does not know leaves the PV interfaces disabled. */
function readEnhanced(node: DtNode, sink: DiagnosticSink): XenEnhanced | undefined {
  const prop = getProperty(node, "xen,enhanced");
  if (prop === undefined) return undefined;
  if (prop.value.length === 0) return "enabled";
  const v = propertyString(prop);
  if (v === undefined) return "enabled"; // Xen reads a value that is not a string like an empty one
  const found = ENHANCED.find((e) => e === v);
  if (found === undefined) {
    const known = ENHANCED.map((e) => `"${e}"`).join(", ");
    sink.add("enhanced-value-ignored", node, `xen,enhanced = "${v}" of ${node.path} is not one of ${known}; Xen accepts it but enables no PV interface, as "disabled" would`, prop.name);
    return "disabled";
  }
  return found;
}

function readMsa(node: DtNode, sink: DiagnosticSink): V8rEl1Msa | undefined {
  const v = readString(node, "v8r_el1_msa", sink);
  if (v === undefined || v === "mpu" || v === "mmu") return v;
  sink.add("property-invalid", node, `v8r_el1_msa of ${node.path} must be "mpu" or "mmu", not "${v}"; Xen refuses any other value`, "v8r_el1_msa");
  return undefined;
}

function readKernel(node: DtNode, cells: Cells, sink: DiagnosticSink): KernelModuleConfig {
  const reg = readRanges(node, "reg", cells, sink)?.[0];
  return {
    path: node.path,
    image: readString(node, "v8r,image", sink),
    bootargs: readString(node, "bootargs", sink),
    reg: reg === undefined ? undefined : [reg.addr, reg.size],
    loc: node.loc,
  };
}

function readShm(node: DtNode, cells: Cells, sink: DiagnosticSink): DomainShmMapping | undefined {
  const idProp = getProperty(node, "xen,shm-id");
  const id = idProp !== undefined && idProp.value.length === 0 ? "" : readString(node, "xen,shm-id", sink);
  if (idProp === undefined) missing(node, "xen,shm-id", sink);
  let role: ShmRole | undefined;
  const roleText = readString(node, "role", sink);
  if (roleText === "owner" || roleText === "borrower") role = roleText;
  else if (roleText !== undefined) sink.add("property-invalid", node, `role of ${node.path} must be "owner" or "borrower", not "${roleText}"`, "role");
  const prop = getProperty(node, "xen,shared-mem");
  if (prop === undefined) {
    missing(node, "xen,shared-mem", sink, " (<host guest size> or <guest size>)");
    return undefined;
  }
  const a = cells.address;
  const s = cells.size;
  if (a < 1 || s < 1) {
    sink.add("property-invalid", node, `${node.path} is read with #address-cells = ${a} and #size-cells = ${s}; Xen needs at least one cell of each for static shared memory`, prop.name);
    return undefined;
  }
  const list = propertyCells(prop) ?? [];
  let hostAddr: number | undefined;
  let rest = 0;
  if (list.length === 2 * a + s && prop.value.length % 4 === 0) {
    hostAddr = cellsToNumber(list, 0, a);
    rest = a;
  } else if (list.length !== a + s || prop.value.length % 4 !== 0) {
    sink.add("property-invalid", node, `xen,shared-mem of ${node.path} must be <host guest size> (${2 * a + s} cells) or <guest size> (${a + s} cells), found ${prop.value.length / 4} cells`, prop.name);
    return undefined;
  }
  if (id === undefined) return undefined;
  const guestAddr = cellsToNumber(list, rest, a);
  const size = cellsToNumber(list, rest + a, s);
  if (size === 0) sink.add("property-invalid", node, `xen,shared-mem of ${node.path} has size 0`, prop.name);
  return { id, path: node.path, hostAddr, guestAddr, size, role: role ?? "borrower", roleGiven: role !== undefined, loc: node.loc };
}

/** Merges every domain's shared memory nodes by id. */
export function collectRegions(domains: readonly DomainConfig[], dom0: Dom0Config | undefined): ShmRegionConfig[] {
  const byId = new Map<string, { id: string; hostAddr?: number; size: number; owner?: string; mappings: ShmRegionConfig["mappings"][number][] }>();
  const owners: [string, readonly DomainShmMapping[]][] = [
    ...(dom0 !== undefined ? [["dom0", dom0.shm] as [string, readonly DomainShmMapping[]]] : []),
    ...domains.map((d): [string, readonly DomainShmMapping[]] => [d.name, d.shm]),
  ];
  for (const [domain, list] of owners) {
    for (const m of list) {
      let region = byId.get(m.id);
      if (region === undefined) {
        region = { id: m.id, size: m.size, mappings: [] };
        byId.set(m.id, region);
      }
      if (region.hostAddr === undefined && m.hostAddr !== undefined) region.hostAddr = m.hostAddr;
      if (region.owner === undefined && m.role === "owner") region.owner = domain;
      region.mappings.push({ domain, path: m.path, guestAddr: m.guestAddr, role: m.role });
    }
  }
  return [...byId.values()];
}
