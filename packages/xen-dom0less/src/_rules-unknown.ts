/** Internal: properties and nodes Xen does not read (typos, mostly), and references that name no node. */
import { findNode, isCompatible, walkNodes, type DtNode } from "./device-tree.ts";
import { MODULE_COMPATIBLE, SHM_COMPATIBLE, VCPU_COMPATIBLE } from "./_config-readers.ts";
import { knownProperties, suggest, type KnownNodeKind } from "./_known-properties.ts";
import { EVTCHN_COMPATIBLE } from "./_read-evtchn.ts";
import type { RuleContext } from "./_rule-context.ts";

/** Warns about properties and sub-nodes of domains that neither Xen nor v8r reads. */
export function checkUnknown(ctx: RuleContext): void {
  for (const d of ctx.config.domains) {
    const n = ctx.node(d.path);
    if (n === undefined) continue;
    warnProperties(ctx, n, "domain");
    for (const child of n.children) {
      const kind = kindOf(child);
      if (kind === undefined) {
        ctx.sink.add("unknown-node", child, `${child.path} is not a boot module, static shared memory, static event channel or xen,vcpu node; Xen ignores it`);
      } else warnProperties(ctx, child, kind);
    }
  }
  for (const c of findNode(ctx.tree, "/chosen")?.children ?? []) {
    const kind = kindOf(c);
    if (kind === "shm" || kind === "evtchn") warnProperties(ctx, c, kind);
  }
}

function kindOf(node: DtNode): KnownNodeKind | undefined {
  if (isCompatible(node, SHM_COMPATIBLE)) return "shm";
  if (isCompatible(node, ...EVTCHN_COMPATIBLE)) return "evtchn";
  if (isCompatible(node, VCPU_COMPATIBLE)) return "vcpu";
  if (isCompatible(node, ...MODULE_COMPATIBLE, "multiboot,kernel", "multiboot,ramdisk", "multiboot,device-tree")) return "module";
  return undefined;
}

function warnProperties(ctx: RuleContext, node: DtNode, kind: KnownNodeKind): void {
  const known = knownProperties(kind);
  for (const p of node.properties) {
    if (known.includes(p.name)) continue;
    const hint = suggest(p.name, known);
    const tail = hint === undefined ? "Xen ignores it" : `did you mean ${hint}?`;
    ctx.sink.add("unknown-property", node, `${node.path} has unknown property ${p.name}; ${tail}`, p.name);
  }
}

/** Reports `&label` references outside `xen,evtchn` that name no node. */
export function checkReferences(ctx: RuleContext): void {
  walkNodes(ctx.tree.root, (n) => {
    for (const p of n.properties) {
      for (const r of p.refs) {
        if (r.resolvedPath !== undefined) continue;
        if (p.name === "xen,evtchn" && isCompatible(n, ...EVTCHN_COMPATIBLE)) continue;
        const what = r.target.startsWith("/") ? `&{${r.target}}` : `&${r.target}`;
        ctx.sink.at("unresolved-reference", n.path, r.loc, `${p.name} of ${n.path} refers to ${what}, which is not defined`);
      }
    }
  });
}
