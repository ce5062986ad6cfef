/**
 * Internal: read static event channel nodes, and work out which channels Xen creates from them
 * and in which order (its `alloc_static_evtchn`): for each child of `/chosen` in tree order,
 * the child itself when Xen boots a dom0, then the child's own children. Only nodes compatible
 * with `"xen,evtchn-v1"` are read; a channel exists when such a node and its peer point at each
 * other (the peer's compatible is not checked).
 */
import { findByPhandle, findNode, getProperty, isCompatible, propertyCells, type DeviceTree, type DtNode } from "./device-tree.ts";
import type { Dom0Config, DomainConfig, DomainEvtchnConfig, EvtchnPairConfig } from "./dom0less-config.ts";
import { hex, type DiagnosticSink } from "./_diag.ts";

/** The compatible string of the static event channel nodes Xen reads. */
export const EVTCHN_V1 = "xen,evtchn-v1";
/** Compatible strings of event channel nodes: Xen's, and the `"xen,evtchn"` its documentation's text names but Xen ignores. */
export const EVTCHN_COMPATIBLE = [EVTCHN_V1, "xen,evtchn"];

/** Reads one event channel node and looks its peer up. */
export function readEvtchn(tree: DeviceTree, node: DtNode, sink: DiagnosticSink): DomainEvtchnConfig | undefined {
  const prop = getProperty(node, "xen,evtchn");
  if (prop === undefined) {
    sink.add("property-missing", node, `${node.path} has no xen,evtchn (<local-port &peer>)`);
    return undefined;
  }
  const cells = propertyCells(prop);
  const port = cells?.[0];
  const phandle = cells?.[1];
  if (cells === undefined || cells.length !== 2 || port === undefined || phandle === undefined) {
    sink.add("property-invalid", node, `xen,evtchn of ${node.path} must be <local-port &peer> (2 cells)`, prop.name);
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
    v1: isCompatible(node, EVTCHN_V1),
    peerRef: ref !== undefined ? `&${ref.target}` : `phandle ${hex(phandle)}`,
    peerPath,
    peerDomain: peerPath === undefined ? undefined : domainOf(tree, peerPath),
    peerPort,
    loc: node.loc,
  };
}

/** Name of the domain a node path belongs to: `dom0` directly under `/chosen`, else the domain node's name. */
function domainOf(tree: DeviceTree, path: string): string | undefined {
  const parentPath = path.slice(0, path.lastIndexOf("/")) || "/";
  if (parentPath === "/chosen") return "dom0";
  const parent = findNode(tree, parentPath);
  if (parent === undefined || !parentPath.startsWith("/chosen/") || !isCompatible(parent, "xen,domain")) return undefined;
  return parent.fullName;
}

/** One event channel node with its domain. */
export interface EvtchnEnd {
  /** The domain it belongs to; for a node directly under `/chosen`, the hardware domain (`"dom0"` when there is none). */
  readonly domain: string;
  /** Directly under `/chosen`: the hardware domain's (dom0's) node. */
  readonly underChosen: boolean;
  readonly e: DomainEvtchnConfig;
}

/**
 * Every event channel node, in the order Xen visits them (the nodes directly under `/chosen` are
 * interleaved with the domains by tree position). Those nodes belong to `hardwareDomain`: dom0,
 * or a domain with the hardware capability.
 */
export function endsInXenOrder(chosenChildren: readonly string[], domains: readonly DomainConfig[], dom0: Dom0Config | undefined, hardwareDomain: string | undefined): EvtchnEnd[] {
  const out: EvtchnEnd[] = [];
  for (const path of chosenChildren) {
    const own = dom0?.evtchns.find((e) => e.path === path);
    if (own !== undefined) out.push({ domain: hardwareDomain ?? "dom0", underChosen: true, e: own });
    const d = domains.find((x) => x.path === path);
    for (const e of d?.evtchns ?? []) out.push({ domain: d?.name ?? "", underChosen: false, e });
  }
  return out;
}

/** Whether Xen reads `end` itself: a `xen,evtchn-v1` node, under a domain or (when there is a hardware domain) under `/chosen`. */
export function xenReads(end: EvtchnEnd, hasHardwareDomain: boolean): boolean {
  return end.e.v1 && (!end.underChosen || hasHardwareDomain);
}

/** The channels Xen creates, in creation order, and the paths of the nodes it ignores. */
export function collectPairs(ends: readonly EvtchnEnd[], hasHardwareDomain: boolean): { pairs: EvtchnPairConfig[]; ignored: string[] } {
  const byPath = new Map(ends.map((x) => [x.e.path, x]));
  const created = new Set<string>();
  const pairs: EvtchnPairConfig[] = [];
  for (const end of ends) {
    if (!xenReads(end, hasHardwareDomain) || created.has(end.e.path)) continue;
    const peer = end.e.peerPath === undefined ? undefined : byPath.get(end.e.peerPath);
    if (peer === undefined || peer.e.peerPath !== end.e.path) continue;
    created.add(end.e.path).add(peer.e.path);
    pairs.push({
      a: { domain: end.domain, port: end.e.port, path: end.e.path },
      b: { domain: peer.domain, port: peer.e.port, path: peer.e.path },
    });
  }
  const ignored = ends.filter((x) => !created.has(x.e.path) && !xenReads(x, hasHardwareDomain)).map((x) => x.e.path);
  return { pairs, ignored };
}
