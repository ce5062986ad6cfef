import {
  cellsToNumber,
  findByPhandle,
  findNode,
  getProperty,
  isCompatible,
  propertyCells,
  propertyString,
  type DeviceTree,
  type DtNode,
} from "./device-tree.ts";
import type {
  Dom0Config,
  DomainConfig,
  DomainEvtchnConfig,
  DomainShmMapping,
  EvtchnPairConfig,
  KernelModuleConfig,
  MemoryRange,
  ShmRegionConfig,
  ShmRole,
  XenEnhanced,
} from "./dom0less-config.ts";
import { hex, type DiagnosticSink } from "./_diag.ts";

const ENHANCED: readonly XenEnhanced[] = ["enabled", "legacy", "disabled", "no-xenstore"];
/** Compatible strings of a static shared memory node. */
export const SHM_COMPATIBLE = "xen,domain-shared-memory-v1";
/** Compatible strings of a static event channel node (the Xen text uses both). */
export const EVTCHN_COMPATIBLE = ["xen,evtchn-v1", "xen,evtchn"];

interface Cells {
  readonly address: number;
  readonly size: number;
}

/** Reads a 1- or 2-cell number property; reports and returns `undefined` when it is malformed. */
function readNumber(node: DtNode, name: string, sink: DiagnosticSink, maxCells: number): number | undefined {
  const prop = getProperty(node, name);
  if (prop === undefined) return undefined;
  const cells = propertyCells(prop);
  if (cells === undefined || cells.length === 0 || cells.length > maxCells) {
    const want = maxCells === 1 ? "one 32-bit cell" : `1 to ${maxCells} cells`;
    sink.error("property-invalid", node, `${name} of ${node.path} must be ${want} (found ${prop.value.length} bytes)`, name);
    return undefined;
  }
  return cellsToNumber(cells, 0, cells.length);
}

function readCellCounts(node: DtNode, sink: DiagnosticSink, a = "#address-cells", s = "#size-cells"): Cells | undefined {
  const address = readNumber(node, a, sink, 1);
  const size = readNumber(node, s, sink, 1);
  if (address === undefined || size === undefined) return undefined;
  return { address, size };
}

/** Reads `reg`-style cells into `[address, size]` pairs; reports a wrong length. */
function readRanges(node: DtNode, name: string, cells: Cells, sink: DiagnosticSink): MemoryRange[] | undefined {
  const prop = getProperty(node, name);
  if (prop === undefined) return undefined;
  const list = propertyCells(prop);
  const per = cells.address + cells.size;
  if (list === undefined || list.length === 0 || per === 0 || list.length % per !== 0) {
    sink.error("property-invalid", node, `${name} of ${node.path} must be <address size> pairs of ${cells.address}+${cells.size} cells (found ${prop.value.length} bytes)`, name);
    return undefined;
  }
  const out: MemoryRange[] = [];
  for (let i = 0; i < list.length; i += per) {
    out.push({ addr: cellsToNumber(list, i, cells.address), size: cellsToNumber(list, i + cells.address, cells.size) });
  }
  return out;
}

function readString(node: DtNode, name: string, sink: DiagnosticSink): string | undefined {
  const prop = getProperty(node, name);
  if (prop === undefined) return undefined;
  const s = propertyString(prop);
  if (s === undefined) sink.error("property-invalid", node, `${name} of ${node.path} must be one string`, name);
  return s;
}

function missing(node: DtNode, name: string, sink: DiagnosticSink, why = ""): void {
  sink.error("property-missing", node, `${node.path} has no ${name}${why}`);
}

/** Cell counts for sub-node values of `node`; reports their absence when `needed`, then assumes 2 and 1. */
function subnodeCells(node: DtNode, sink: DiagnosticSink, needed: boolean): Cells {
  const cells = readCellCounts(node, sink);
  if (cells !== undefined) return cells;
  if (needed && (getProperty(node, "#address-cells") === undefined || getProperty(node, "#size-cells") === undefined)) {
    missing(node, "#address-cells/#size-cells", sink, " (needed to read its sub-nodes' addresses)");
  }
  return { address: 2, size: 1 };
}

/** Reads one domain node under `/chosen`. */
export function readDomain(tree: DeviceTree, node: DtNode, sink: DiagnosticSink): DomainConfig {
  const memoryKiB = readNumber(node, "memory", sink, 2);
  if (getProperty(node, "memory") === undefined) missing(node, "memory", sink, " (RAM size in KiB)");
  const cpus = readNumber(node, "cpus", sink, 1);
  if (getProperty(node, "cpus") === undefined) missing(node, "cpus", sink, " (number of vCPUs)");
  else if (cpus === 0) sink.error("property-invalid", node, `cpus of ${node.path} is 0; a domain needs at least one vCPU`, "cpus");
  if (memoryKiB === 0) sink.error("property-invalid", node, `memory of ${node.path} is 0 KiB`, "memory");
  const needsCells = node.children.some((c) => isCompatible(c, SHM_COMPATIBLE) || getProperty(c, "reg") !== undefined);
  const cells = subnodeCells(node, sink, needsCells);
  const smCells =
    readCellCounts(node, sink, "#xen,static-mem-address-cells", "#xen,static-mem-size-cells") ?? cells;
  const staticMem = readRanges(node, "xen,static-mem", smCells, sink);
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
    kernel,
    shm,
    evtchns,
    loc: node.loc,
  };
}

/** Reads the shared memory and event channel nodes placed directly under `/chosen` (dom0's). */
export function readDom0(tree: DeviceTree, chosen: DtNode, sink: DiagnosticSink): Dom0Config | undefined {
  const own = chosen.children.filter((c) => isCompatible(c, SHM_COMPATIBLE, ...EVTCHN_COMPATIBLE));
  if (own.length === 0) return undefined;
  const cells = subnodeCells(chosen, sink, own.some((c) => isCompatible(c, SHM_COMPATIBLE)));
  const shm: DomainShmMapping[] = [];
  const evtchns: DomainEvtchnConfig[] = [];
  for (const child of own) {
    if (isCompatible(child, SHM_COMPATIBLE)) pushDefined(shm, readShm(child, cells, sink));
    else pushDefined(evtchns, readEvtchn(tree, child, sink));
  }
  return { path: chosen.path, shm, evtchns };
}

function pushDefined<T>(list: T[], v: T | undefined): void {
  if (v !== undefined) list.push(v);
}

function readEnhanced(node: DtNode, sink: DiagnosticSink): XenEnhanced | undefined {
  const prop = getProperty(node, "xen,enhanced");
  if (prop === undefined) return undefined;
  if (prop.value.length === 0) return "enabled";
  const v = propertyString(prop);
  const found = ENHANCED.find((e) => e === v);
  if (found === undefined) {
    sink.error("property-invalid", node, `xen,enhanced of ${node.path} must be one of ${ENHANCED.map((e) => `"${e}"`).join(", ")}`, prop.name);
  }
  return found;
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
  const id = readString(node, "xen,shm-id", sink);
  if (getProperty(node, "xen,shm-id") === undefined) missing(node, "xen,shm-id", sink);
  let role: ShmRole = "borrower";
  const roleText = readString(node, "role", sink);
  if (roleText === "owner" || roleText === "borrower") role = roleText;
  else if (roleText !== undefined) sink.error("property-invalid", node, `role of ${node.path} must be "owner" or "borrower", not "${roleText}"`, "role");
  const prop = getProperty(node, "xen,shared-mem");
  if (prop === undefined) {
    missing(node, "xen,shared-mem", sink, " (<host guest size> or <guest size>)");
    return undefined;
  }
  const list = propertyCells(prop) ?? [];
  const a = cells.address;
  const s = cells.size;
  let hostAddr: number | undefined;
  let rest = 0;
  if (list.length === 2 * a + s) {
    hostAddr = cellsToNumber(list, 0, a);
    rest = a;
  } else if (list.length !== a + s || prop.value.length % 4 !== 0) {
    sink.error("property-invalid", node, `xen,shared-mem of ${node.path} must be <host guest size> (${2 * a + s} cells) or <guest size> (${a + s} cells), found ${prop.value.length / 4} cells`, prop.name);
    return undefined;
  }
  if (id === undefined) return undefined;
  const guestAddr = cellsToNumber(list, rest, a);
  const size = cellsToNumber(list, rest + a, s);
  if (size === 0) sink.error("property-invalid", node, `xen,shared-mem of ${node.path} has size 0`, prop.name);
  return { id, path: node.path, hostAddr, guestAddr, size, role, loc: node.loc };
}

/** Reads one `xen,evtchn-v1` node and looks its peer up. */
function readEvtchn(tree: DeviceTree, node: DtNode, sink: DiagnosticSink): DomainEvtchnConfig | undefined {
  const prop = getProperty(node, "xen,evtchn");
  if (prop === undefined) {
    missing(node, "xen,evtchn", sink, " (<local-port &peer>)");
    return undefined;
  }
  const cells = propertyCells(prop);
  const port = cells?.[0];
  const phandle = cells?.[1];
  if (cells === undefined || cells.length !== 2 || port === undefined || phandle === undefined) {
    sink.error("property-invalid", node, `xen,evtchn of ${node.path} must be <local-port &peer> (2 cells)`, prop.name);
    return undefined;
  }
  const ref = prop.refs.find((r) => r.kind === "phandle" && r.offset === 4);
  const peerPath = ref !== undefined ? ref.resolvedPath : findByPhandle(tree, phandle)?.path;
  const peer = peerPath === undefined ? undefined : findNode(tree, peerPath);
  const peerCells = peer === undefined ? undefined : getProperty(peer, "xen,evtchn");
  const peerPort = peerCells === undefined ? undefined : propertyCells(peerCells)?.[0];
  return {
    path: node.path,
    port,
    peerRef: ref !== undefined ? `&${ref.target}` : `phandle ${hex(phandle)}`,
    peerPath,
    peerDomain: peerPath === undefined ? undefined : domainOf(tree, peerPath),
    peerPort,
    loc: node.loc,
  };
}

/** Name of the domain a node path belongs to: `dom0` directly under `/chosen`, else the domain node's name. */
export function domainOf(tree: DeviceTree, path: string): string | undefined {
  const parentPath = path.slice(0, path.lastIndexOf("/")) || "/";
  if (parentPath === "/chosen") return "dom0";
  const parent = findNode(tree, parentPath);
  if (parent === undefined || !parentPath.startsWith("/chosen/") || !isCompatible(parent, "xen,domain")) return undefined;
  return parent.fullName;
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

/** Pairs event channel nodes that point at each other. */
export function collectPairs(domains: readonly DomainConfig[], dom0: Dom0Config | undefined): EvtchnPairConfig[] {
  const ends = new Map<string, { domain: string; e: DomainEvtchnConfig }>();
  for (const e of dom0?.evtchns ?? []) ends.set(e.path, { domain: "dom0", e });
  for (const d of domains) for (const e of d.evtchns) ends.set(e.path, { domain: d.name, e });
  const pairs: EvtchnPairConfig[] = [];
  const done = new Set<string>();
  for (const { domain, e } of ends.values()) {
    const peer = e.peerPath === undefined ? undefined : ends.get(e.peerPath);
    if (peer === undefined || peer.e.peerPath !== e.path || done.has(e.path)) continue;
    done.add(e.path).add(peer.e.path);
    pairs.push({
      a: { domain, port: e.port, path: e.path },
      b: { domain: peer.domain, port: peer.e.port, path: peer.e.path },
    });
  }
  return pairs;
}
