import { findNode, isCompatible, walkNodes, type DeviceTree, type DtNode } from "./device-tree.ts";
import type { Dom0lessConfig } from "./dom0less-config.ts";
import type { DiagnosticSink } from "./_diag.ts";
import { EVTCHN_COMPATIBLE, SHM_COMPATIBLE } from "./_config-readers.ts";
import { DOMAIN_PROPERTIES, EVTCHN_PROPERTIES, MODULE_PROPERTIES, SHM_PROPERTIES, suggest } from "./_known-properties.ts";

/** Checks each domain on its own: vCPUs against the platform, kernel module, direct map. */
export function checkDomains(tree: DeviceTree, config: Dom0lessConfig, platformCpus: number, sink: DiagnosticSink): void {
  for (const d of config.domains) {
    const n = findNode(tree, d.path);
    if (n === undefined) continue;
    if (d.cpus > platformCpus) {
      sink.error("cpus-over-platform", n, `${d.name} asks for ${d.cpus} vCPUs but the platform has ${platformCpus} CPUs`, "cpus");
    }
    if (d.kernel === undefined) {
      sink.error("kernel-missing", n, `${d.name} has no kernel module (a sub-node with compatible = "multiboot,kernel", "multiboot,module")`);
    } else if (d.kernel.reg === undefined && d.kernel.image === undefined) {
      const k = findNode(tree, d.kernel.path);
      if (k !== undefined) {
        sink.error("property-missing", k, `kernel module ${d.kernel.path} has neither reg (where a boot loader placed it) nor v8r,image (the guest image v8r loads)`);
      }
    }
    if (d.directMap && d.staticMem === undefined) {
      sink.error("direct-map-without-static-mem", n, `${d.name} has direct-map but no xen,static-mem; a direct-mapped domain needs statically allocated RAM`, "direct-map");
    }
  }
}

/** Warns about properties and sub-nodes of domains that neither Xen nor v8r reads (typos, mostly). */
export function checkUnknown(tree: DeviceTree, config: Dom0lessConfig, sink: DiagnosticSink): void {
  for (const d of config.domains) {
    const n = findNode(tree, d.path);
    if (n === undefined) continue;
    warnProperties(n, DOMAIN_PROPERTIES, sink);
    for (const child of n.children) {
      const known = knownFor(child);
      if (known === undefined) {
        sink.report("warning", "unknown-node", child, `${child.path} is not a boot module, static shared memory or static event channel node; Xen ignores it`);
      } else warnProperties(child, known, sink);
    }
  }
  for (const c of findNode(tree, "/chosen")?.children ?? []) {
    if (isCompatible(c, SHM_COMPATIBLE) || isCompatible(c, ...EVTCHN_COMPATIBLE)) warnProperties(c, knownFor(c) ?? [], sink);
  }
}

function knownFor(node: DtNode): readonly string[] | undefined {
  if (isCompatible(node, SHM_COMPATIBLE)) return SHM_PROPERTIES;
  if (isCompatible(node, ...EVTCHN_COMPATIBLE)) return EVTCHN_PROPERTIES;
  if (isCompatible(node, "multiboot,kernel", "multiboot,module", "multiboot,ramdisk", "multiboot,device-tree")) return MODULE_PROPERTIES;
  return undefined;
}

function warnProperties(node: DtNode, known: readonly string[], sink: DiagnosticSink): void {
  for (const p of node.properties) {
    if (known.includes(p.name)) continue;
    const hint = suggest(p.name, known);
    const tail = hint === undefined ? "Xen ignores it" : `did you mean ${hint}?`;
    sink.report("warning", "unknown-property", node, `${node.path} has unknown property ${p.name}; ${tail}`, p.name);
  }
}

/** Reports `&label` references outside `xen,evtchn` that name no node. */
export function checkReferences(tree: DeviceTree, sink: DiagnosticSink): void {
  walkNodes(tree.root, (n) => {
    for (const p of n.properties) {
      for (const r of p.refs) {
        if (r.resolvedPath !== undefined) continue;
        if (p.name === "xen,evtchn" && isCompatible(n, ...EVTCHN_COMPATIBLE)) continue;
        const what = r.target.startsWith("/") ? `&{${r.target}}` : `&${r.target}`;
        sink.at("error", "unresolved-reference", n.path, r.loc, `${p.name} of ${n.path} refers to ${what}, which is not defined`);
      }
    }
  });
}
