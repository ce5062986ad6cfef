/**
 * Internal: static event channel rules, following what Xen does at boot: it reads only
 * `xen,evtchn-v1` nodes (those directly under `/chosen` only when it boots a dom0), checks that
 * each one's peer points back, and allocates both ports (see `_evtchn-alloc.ts`).
 */
import { findNode, isCompatible } from "./device-tree.ts";
import type { DomainEvtchnConfig } from "./dom0less-config.ts";
import type { LintCode } from "./diagnostic.ts";
import { allocateStaticPorts, DOMU_MAX_EVTCHN_PORT } from "./_evtchn-alloc.ts";
import { EVTCHN_COMPATIBLE, endsInXenOrder, xenReads, type EvtchnEnd } from "./_read-evtchn.ts";
import type { RuleContext } from "./_rule-context.ts";

/** Runs every static event channel rule. */
export function checkEventChannels(ctx: RuleContext): void {
  const { config } = ctx;
  const chosen = findNode(ctx.tree, "/chosen");
  const ends = endsInXenOrder(chosen?.children.map((c) => c.path) ?? [], config.domains, config.dom0, config.hardwareDomain);
  const byPath = new Map(ends.map((x) => [x.e.path, x]));
  const paired = new Set(config.eventChannels.flatMap((p) => [p.a.path, p.b.path]));
  const hw = config.hardwareDomain !== undefined;
  for (const end of ends) {
    const where = `${end.e.path.slice(end.e.path.lastIndexOf("/") + 1)} in ${end.domain}`;
    if (xenReads(end, hw)) checkPeer(ctx, end, where, byPath, hw);
    else if (!end.e.v1 && paired.has(end.e.path)) {
      say(ctx, "evtchn-legacy-compatible", end.e, `${where} is compatible only with "xen,evtchn", which Xen does not read; the channel exists only because its peer ${end.e.peerPath ?? ""} is "xen,evtchn-v1". Write compatible = "xen,evtchn-v1"`, "compatible");
    } else if (!end.e.v1) {
      say(ctx, "evtchn-ignored", end.e, `${where} is compatible only with "xen,evtchn": Xen reads static event channels only from "xen,evtchn-v1" nodes, so this channel will not exist (v8r does not create it either). Write compatible = "xen,evtchn-v1"`, "compatible");
    } else if (!paired.has(end.e.path)) {
      say(ctx, "evtchn-ignored", end.e, `${where} is directly under /chosen, which makes it the hardware domain's (dom0's), but this configuration has none (no kernel module under /chosen, no domain with the hardware capability): Xen does not read it`);
    }
  }
  checkPorts(ctx);
  checkEnhanced(ctx, paired);
}

function say(ctx: RuleContext, code: LintCode, e: DomainEvtchnConfig, message: string, prop = "xen,evtchn"): void {
  const n = ctx.node(e.path);
  if (n !== undefined) ctx.sink.add(code, n, message, prop);
}

function checkPeer(ctx: RuleContext, end: EvtchnEnd, where: string, byPath: Map<string, EvtchnEnd>, hasHardwareDomain: boolean): void {
  const { e } = end;
  if (e.peerPath === undefined) {
    say(ctx, "evtchn-peer-missing", e, `${where} points at ${e.peerRef}, which is not defined`);
    return;
  }
  const peerNode = ctx.node(e.peerPath);
  const peer = byPath.get(e.peerPath);
  if (peerNode === undefined || !isCompatible(peerNode, ...EVTCHN_COMPATIBLE) || peer === undefined) {
    say(ctx, "evtchn-peer-missing", e, `${where} points at ${e.peerRef} (${e.peerPath}), which is not an event channel node of a domain`);
    return;
  }
  if (peer.e.peerPath !== e.path) {
    const back = peer.e.peerPath ?? peer.e.peerRef;
    say(ctx, "evtchn-peer-not-reciprocal", e, `${where} points at ${e.peerPath}, but that node points at ${back}, not back at ${e.path}`);
  } else if (peer.underChosen && !hasHardwareDomain) {
    say(ctx, "evtchn-no-dom0", e, `${where} is connected to ${e.peerPath}, an event channel of dom0 (directly under /chosen), but this configuration has no dom0 (no kernel module under /chosen) and no domain with the hardware capability: Xen cannot find the other domain and refuses to boot`);
  }
}

function checkPorts(ctx: RuleContext): void {
  const { ports, problems } = allocateStaticPorts(ctx.config);
  const endNode = (path: string): DomainEvtchnConfig | undefined =>
    [...(ctx.config.dom0?.evtchns ?? []), ...ctx.config.domains.flatMap((d) => d.evtchns)].find((e) => e.path === path);
  for (const p of problems) {
    const e = endNode(p.end.path);
    if (e === undefined) continue;
    const where = `${p.end.path.slice(p.end.path.lastIndexOf("/") + 1)} in ${p.end.domain}`;
    if (p.kind === "busy") {
      const self = p.takenBy?.path === p.end.path ? " (the node points at itself)" : "";
      say(ctx, "evtchn-duplicate-port", e, `${where} uses local port ${p.end.port}, already used by ${p.takenBy?.path ?? "another channel"}${self}`);
    } else if (p.kind === "full") {
      say(ctx, "evtchn-port-invalid", e, `${where} asks for any free port (0), but ${p.end.domain} has none left up to ${p.max}`);
    } else {
      const why = p.max === DOMU_MAX_EVTCHN_PORT
        ? `Xen limits a domU to ports 1 to ${DOMU_MAX_EVTCHN_PORT} (max_evtchn_port; dom0 and domains with the hardware or xenstore capability go up to 4095)`
        : `static channels are bound before a guest can choose FIFO, so the 2-level ABI's ports 1 to ${p.max} apply`;
      say(ctx, "evtchn-port-invalid", e, `${where} uses local port ${p.end.port}: ${why}`);
    }
  }
  for (const pair of ctx.config.eventChannels) {
    for (const end of [pair.a, pair.b]) {
      const e = endNode(end.path);
      const got = ports.get(end.path);
      if (end.port !== 0 || e === undefined || got === undefined) continue;
      const where = `${end.path.slice(end.path.lastIndexOf("/") + 1)} in ${end.domain}`;
      say(ctx, "evtchn-port-zero", e, `${where} uses local port 0: Xen accepts this, but binds the first free port (${got} here), which the guest cannot learn from its device tree; give the port number the guest uses`);
    }
  }
}

/** Xen binds static channels whatever `xen,enhanced` says, but without it the guest has no /hypervisor node to find the event interrupt. */
function checkEnhanced(ctx: RuleContext, paired: ReadonlySet<string>): void {
  for (const d of ctx.config.domains) {
    const first = d.evtchns.find((e) => paired.has(e.path));
    const n = ctx.node(d.path);
    if (first === undefined || n === undefined || (d.enhanced !== undefined && d.enhanced !== "disabled")) continue;
    const has = d.enhanced === undefined ? "has no xen,enhanced" : `has xen,enhanced = "disabled"`;
    ctx.sink.add(
      "evtchn-not-enhanced",
      n,
      `Xen accepts this, but ${d.name} has static event channels (${first.path.slice(first.path.lastIndexOf("/") + 1)}) and ${has}, so its device tree gets no /hypervisor node and the guest cannot find the event-channel interrupt there; set xen,enhanced = "no-xenstore"`,
      d.enhanced === undefined ? undefined : "xen,enhanced",
    );
  }
}
