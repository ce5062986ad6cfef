import { findNode, isCompatible, type DeviceTree, type DtNode } from "./device-tree.ts";
import type { Dom0lessConfig, DomainEvtchnConfig, XenEnhanced } from "./dom0less-config.ts";
import type { DiagnosticSink } from "./_diag.ts";
import { EVTCHN_COMPATIBLE } from "./_config-readers.ts";

/** Event channel ABIs and their port limits (ports are 1 .. limit-1). */
export const EVTCHN_PORT_LIMITS = { "2-level": 4096, fifo: 1 << 17 } as const;

/** An event channel ABI. */
export type EvtchnAbi = keyof typeof EVTCHN_PORT_LIMITS;

interface Side {
  readonly domain: string;
  readonly enhanced: XenEnhanced | undefined | "dom0";
  readonly evtchns: readonly DomainEvtchnConfig[];
}

/** Checks every static event channel rule: peers, reciprocity, ports, `xen,enhanced`. */
export function checkEventChannels(tree: DeviceTree, config: Dom0lessConfig, abi: EvtchnAbi, sink: DiagnosticSink): void {
  const sides: Side[] = [
    ...(config.dom0 !== undefined ? [{ domain: "dom0", enhanced: "dom0" as const, evtchns: config.dom0.evtchns }] : []),
    ...config.domains.map((d) => ({ domain: d.name, enhanced: d.enhanced, evtchns: d.evtchns })),
  ];
  const byPath = new Map<string, DomainEvtchnConfig>();
  for (const s of sides) for (const e of s.evtchns) byPath.set(e.path, e);
  const limit = EVTCHN_PORT_LIMITS[abi];
  for (const side of sides) {
    const seen = new Map<number, DomainEvtchnConfig>();
    for (const e of side.evtchns) {
      const n = findNode(tree, e.path);
      if (n === undefined) continue;
      const where = `${n.fullName} in ${side.domain}`;
      if (e.port === 0 || e.port >= limit) {
        const why = e.port === 0 ? "port 0 is never valid" : `the ${abi} ABI allows ports 1 to ${limit - 1}`;
        sink.error("evtchn-port-invalid", n, `${where} uses local port ${e.port}: ${why}`, "xen,evtchn");
      }
      const dup = seen.get(e.port);
      if (dup !== undefined) {
        sink.error("evtchn-duplicate-port", n, `${where} uses local port ${e.port}, already used by ${dup.path}`, "xen,evtchn");
      } else seen.set(e.port, e);
      checkPeer(tree, n, e, where, byPath, sink);
    }
    const first = side.evtchns[0];
    const firstNode = first === undefined ? undefined : findNode(tree, first.path);
    if (firstNode !== undefined && (side.enhanced === undefined || side.enhanced === "disabled")) {
      const has = side.enhanced === undefined ? "has no xen,enhanced" : `has xen,enhanced = "disabled"`;
      sink.error("evtchn-not-enhanced", firstNode, `${side.domain} has static event channels (${firstNode.fullName}) but ${has}; set xen,enhanced = "no-xenstore" (or another enabled value)`);
    }
  }
}

function checkPeer(tree: DeviceTree, n: DtNode, e: DomainEvtchnConfig, where: string, byPath: Map<string, DomainEvtchnConfig>, sink: DiagnosticSink): void {
  if (e.peerPath === undefined) {
    sink.error("evtchn-peer-missing", n, `${where} points at ${e.peerRef}, which is not defined`, "xen,evtchn");
    return;
  }
  const peerNode = findNode(tree, e.peerPath);
  const peer = byPath.get(e.peerPath);
  if (peerNode === undefined || !isCompatible(peerNode, ...EVTCHN_COMPATIBLE) || peer === undefined) {
    sink.error("evtchn-peer-missing", n, `${where} points at ${e.peerRef} (${e.peerPath}), which is not a xen,evtchn-v1 node of a domain`, "xen,evtchn");
    return;
  }
  if (peer.peerPath !== e.path) {
    const back = peer.peerPath ?? peer.peerRef;
    sink.error("evtchn-peer-not-reciprocal", n, `${where} points at ${e.peerPath}, but that node points at ${back}, not back at ${e.path}`, "xen,evtchn");
  }
}
