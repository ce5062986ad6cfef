import type { Diagnostic, SourceLocation } from "./diagnostic.ts";
import { findNode, getProperty, isCompatible, propertyString, type DeviceTree } from "./device-tree.ts";
import { DiagnosticSink } from "./_diag.ts";
import { collectRegions, findDom0Kernel, readDom0, readDomain } from "./_config-readers.ts";
import { collectPairs, endsInXenOrder } from "./_read-evtchn.ts";

/** Values of `xen,enhanced` (`"enabled"` is also what an empty `xen,enhanced;` means). */
export type XenEnhanced = "enabled" | "legacy" | "disabled" | "no-xenstore";

/** `v8r_el1_msa` on Armv8-R: the memory system a domain runs at EL1, MPU (PMSA, the default) or MMU (VMSA). */
export type V8rEl1Msa = "mpu" | "mmu";

/** Bits of the `capabilities` property of a domain (Xen's public/bootfdt.h). */
export const DOMAIN_CAPS = { control: 1, hardware: 2, xenstore: 4, deviceModel: 8, notHypercallTarget: 16 } as const;

/** Role of a domain in a static shared memory region; `"borrower"` when `role` is absent. */
export type ShmRole = "owner" | "borrower";

/** An address range in bytes. */
export interface MemoryRange {
  /** Start address. */
  readonly addr: number;
  /** Size in bytes. */
  readonly size: number;
}

/** The kernel boot module of a domain (`compatible = "multiboot,kernel", "multiboot,module"`). */
export interface KernelModuleConfig {
  /** Path of the module node. */
  readonly path: string;
  /** `v8r,image`: ES module specifier of the guest image v8r loads (e.g. `"v8r-demo/apps/rpmsg-demo/zephyr-rpmsg-host"`). */
  readonly image?: string;
  /** `bootargs`: the guest's command line. */
  readonly bootargs?: string;
  /** `reg`: `[address, size]` of the module in memory, as a real boot loader places it. */
  readonly reg?: readonly [number, number];
  /** Where the module node is. */
  readonly loc: SourceLocation;
}

/** One static shared memory node of a domain (`compatible = "xen,domain-shared-memory-v1"`). */
export interface DomainShmMapping {
  /** `xen,shm-id`. */
  readonly id: string;
  /** Path of the node. */
  readonly path: string;
  /** Host physical address, `undefined` when `xen,shared-mem` omits it (Xen places the region). */
  readonly hostAddr?: number;
  /** Guest physical address the region appears at. */
  readonly guestAddr: number;
  /** Size in bytes. */
  readonly size: number;
  /** `role`, `"borrower"` when absent. */
  readonly role: ShmRole;
  /** Whether `role` is written: without it Xen makes DOMID_IO the owner of the region. */
  readonly roleGiven: boolean;
  /** Where the node is. */
  readonly loc: SourceLocation;
}

/** One static event channel node of a domain (`compatible = "xen,evtchn-v1"`). */
export interface DomainEvtchnConfig {
  /** Path of the node. */
  readonly path: string;
  /** Local port (first cell of `xen,evtchn`); 0 asks Xen for the first free port. */
  readonly port: number;
  /** Compatible with `"xen,evtchn-v1"`, the only static event channel nodes Xen reads. */
  readonly v1: boolean;
  /** How the peer was named: `"&ec5"` in a .dts, `"phandle 0x5"` in a .dtb. */
  readonly peerRef: string;
  /** Path of the peer node, `undefined` when the reference names no node. */
  readonly peerPath?: string;
  /** Name of the domain the peer node belongs to (`"dom0"` for a node directly under `/chosen`). */
  readonly peerDomain?: string;
  /** The peer's local port, when the peer is a readable event channel node. */
  readonly peerPort?: number;
  /** Where the node is. */
  readonly loc: SourceLocation;
}

/** A domain Xen creates at boot (`compatible = "xen,domain"` under `/chosen`). */
export interface DomainConfig {
  /** Node name as written under `/chosen` (with its unit address, if any), e.g. `"domU1"`, `"zephyr"`. */
  readonly name: string;
  /** Node path, e.g. `/chosen/domU1`. */
  readonly path: string;
  /** `memory`: RAM in KiB (0 when missing or invalid; a diagnostic says so). */
  readonly memoryKiB: number;
  /** `cpus`: number of vCPUs (0 when missing or invalid). */
  readonly cpus: number;
  /** `vpl011` present: the domain has a virtual PL011 UART. */
  readonly vpl011: boolean;
  /** `xen,enhanced`; `undefined` when absent (PV interfaces disabled). */
  readonly enhanced: XenEnhanced | undefined;
  /** `direct-map` present: guest physical == host physical. */
  readonly directMap: boolean;
  /** `xen,static-mem` banks, when given (read with the cells of `/chosen`, as Xen 4.17 and later do). */
  readonly staticMem?: readonly MemoryRange[];
  /** `capabilities` bits (see {@link DOMAIN_CAPS}); 0 when absent. */
  readonly capabilities: number;
  /** `v8r_el1_msa`, when given. */
  readonly v8rEl1Msa?: V8rEl1Msa;
  /** The kernel module, when the domain has one. */
  readonly kernel?: KernelModuleConfig;
  /** Static shared memory nodes of the domain. */
  readonly shm: readonly DomainShmMapping[];
  /** Static event channel nodes of the domain. */
  readonly evtchns: readonly DomainEvtchnConfig[];
  /** Where the domain node is. */
  readonly loc: SourceLocation;
}

/** Shared memory and event channel nodes placed directly under `/chosen`: they belong to dom0. */
export interface Dom0Config {
  /** Always `/chosen`. */
  readonly path: string;
  /** Static shared memory nodes of dom0. */
  readonly shm: readonly DomainShmMapping[];
  /** Static event channel nodes of dom0. */
  readonly evtchns: readonly DomainEvtchnConfig[];
}

/** A static shared memory region, merged over every node naming its id. */
export interface ShmRegionConfig {
  /** `xen,shm-id`. */
  readonly id: string;
  /** Host address, `undefined` when no node gives one (Xen places the region). */
  readonly hostAddr?: number;
  /** Size in bytes (from the first node naming the id). */
  readonly size: number;
  /** Name of the owning domain, `undefined` when Xen owns it (every mapping is a borrower). */
  readonly owner?: string;
  /** Each domain's mapping of the region, in tree order. */
  readonly mappings: readonly { readonly domain: string; readonly path: string; readonly guestAddr: number; readonly role: ShmRole }[];
}

/** One end of a static event channel. */
export interface EvtchnEndConfig {
  /** Domain name (`"dom0"` for a node directly under `/chosen`). */
  readonly domain: string;
  /** Local port in that domain. */
  readonly port: number;
  /** Path of the node. */
  readonly path: string;
}

/** A static event channel Xen creates: two nodes that point at each other, at least one of them `xen,evtchn-v1`. */
export interface EvtchnPairConfig {
  /** The end Xen reads first (a `xen,evtchn-v1` node): its port is allocated first. */
  readonly a: EvtchnEndConfig;
  /** The other end, bound to `a`. */
  readonly b: EvtchnEndConfig;
}

/** The typed dom0less configuration read from a device tree. */
export interface Dom0lessConfig {
  /** Domains in tree order (dom0 is not one of them; see {@link Dom0lessConfig.dom0}). */
  readonly domains: readonly DomainConfig[];
  /** dom0's shared memory and event channel nodes, when `/chosen` has any. */
  readonly dom0?: Dom0Config;
  /** Shared memory regions merged per id. */
  readonly sharedMemory: readonly ShmRegionConfig[];
  /** The static event channels Xen creates, in the order it creates them. */
  readonly eventChannels: readonly EvtchnPairConfig[];
  /** Event channel nodes Xen ignores: compatible only with `"xen,evtchn"`, and no `xen,evtchn-v1` peer reads them. */
  readonly ignoredEventChannels: readonly string[];
  /** Path of dom0's kernel module (a module directly under `/chosen`) when Xen boots a dom0 too. */
  readonly dom0Kernel?: string;
  /** The hardware domain: `"dom0"` when Xen boots one, else the domain with the hardware capability, if any. It owns the nodes directly under `/chosen`. */
  readonly hardwareDomain?: string;
  /** `xen,xen-bootargs` from `/chosen`. */
  readonly xenBootargs?: string;
  /** Where the tree came from. */
  readonly source: { readonly file: string; readonly format: "dts" | "dtb" };
}

/** What {@link loadDom0lessConfig} returns. */
export interface LoadedConfig {
  /** The typed model (built even when there are diagnostics, with best-effort values). */
  readonly config: Dom0lessConfig;
  /** Problems found while reading properties (missing, wrong length, unknown values). */
  readonly diagnostics: Diagnostic[];
}

/**
 * Reads the dom0less configuration from a parsed tree: domains under `/chosen`, their kernel
 * modules, static shared memory and static event channels. Structural problems (a missing
 * `memory`, a `xen,shared-mem` of the wrong length) become diagnostics; the cross-node rules
 * run in {@link lint}.
 * @example
 * const { config } = loadDom0lessConfig(parseDts(text, { file: "xen.dts" }));
 * config.domains.map((d) => `${d.name}: ${d.cpus} vCPU, ${d.memoryKiB} KiB`);
 */
export function loadDom0lessConfig(tree: DeviceTree): LoadedConfig {
  const sink = new DiagnosticSink();
  const chosen = findNode(tree, "/chosen");
  const domains: DomainConfig[] = [];
  let dom0: Dom0Config | undefined;
  let xenBootargs: string | undefined;
  let dom0Kernel: string | undefined;
  if (chosen !== undefined) {
    for (const node of chosen.children) {
      if (isCompatible(node, "xen,domain")) domains.push(readDomain(tree, node, sink));
    }
    dom0 = readDom0(tree, chosen, sink);
    dom0Kernel = findDom0Kernel(chosen);
    const args = getProperty(chosen, "xen,xen-bootargs");
    if (args !== undefined) {
      xenBootargs = propertyString(args);
      if (xenBootargs === undefined) sink.add("property-invalid", chosen, "xen,xen-bootargs must be one string", args.name);
    }
  }
  if (domains.length === 0) {
    sink.add("no-domains", chosen ?? tree.root, `no node under /chosen has compatible = "xen,domain"`);
  }
  const hardwareDomain = dom0Kernel !== undefined ? "dom0" : domains.find((d) => (d.capabilities & DOMAIN_CAPS.hardware) !== 0)?.name;
  const ends = endsInXenOrder(chosen?.children.map((c) => c.path) ?? [], domains, dom0, hardwareDomain);
  const { pairs, ignored } = collectPairs(ends, hardwareDomain !== undefined);
  const config: Dom0lessConfig = {
    domains,
    ...(dom0 !== undefined ? { dom0 } : {}),
    sharedMemory: collectRegions(domains, dom0),
    eventChannels: pairs,
    ignoredEventChannels: ignored,
    ...(dom0Kernel !== undefined ? { dom0Kernel } : {}),
    ...(hardwareDomain !== undefined ? { hardwareDomain } : {}),
    ...(xenBootargs !== undefined ? { xenBootargs } : {}),
    source: { file: tree.file, format: tree.format },
  };
  return { config, diagnostics: sink.list };
}
