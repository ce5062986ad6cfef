/**
 * Internal: turn a dom0less configuration into a boot plan for a platform:
 * which pCPUs and UART each domain gets, its image URL, where each static
 * shared memory region lives in host memory, and each domain's static port
 * table. Everything v8r cannot boot becomes a {@link XenBootError} here,
 * before anything is mapped or started.
 */
import { describeError, type Platform } from "@v8r/fvp-core";
import type { ReservedMemoryNode } from "./domain-context.ts";
import type { Dom0lessConfig, DomainConfig, EvtchnPairConfig, ShmRole } from "./dom0less-config.ts";
import type { StaticPort } from "./event-channel.ts";
import { EVTCHN_2L_PORTS, isPortNumber } from "./_evtchn-layout.ts";
import { rangesOverlap } from "./guest-memory.ts";
import { where, XenBootError } from "./xen-boot-error.ts";

/** Where each region goes when the config leaves its host address to Xen (the published v8r64 shared-memory section). */
export const SHM_POOL_BASE = 0x7a00_0000;
const PAGE = 0x1000;

/** How one region is laid out in host memory. */
export interface RegionPlan {
  /** `xen,shm-id`. */
  readonly id: string;
  /** Host physical address. */
  readonly hostAddr: number;
  /** Size in bytes. */
  readonly size: number;
  /** The owning domain, `undefined` when Xen owns it. */
  readonly owner: string | undefined;
  /** True when the config gave no host address and Xen placed it. */
  readonly placed: boolean;
}

/** One region as mapped into one domain. */
export interface DomainShmPlan {
  /** `xen,shm-id`. */
  readonly id: string;
  /** Guest physical address. */
  readonly guestAddr: number;
  /** Host physical address. */
  readonly hostAddr: number;
  /** Size in bytes. */
  readonly size: number;
  /** The domain's role. */
  readonly role: ShmRole;
}

/** How one domain is booted. */
export interface DomainPlan {
  /** Domain id (1-based, tree order). */
  readonly domid: number;
  /** Domain name. */
  readonly name: string;
  /** The domain's configuration. */
  readonly config: DomainConfig;
  /** `v8r,image` as written. */
  readonly imageSpecifier: string;
  /** The image as an absolute URL. */
  readonly image: string;
  /** Physical CPUs its vCPUs run on. */
  readonly pcpus: readonly number[];
  /** Index of the UART its console goes to. */
  readonly uart: number;
  /** Whether that UART is its own vpl011 (else it shares Xen's console). */
  readonly ownConsole: boolean;
  /** Regions mapped into it. */
  readonly shm: readonly DomainShmPlan[];
  /** Its reserved-memory nodes. */
  readonly reservedMemory: readonly ReservedMemoryNode[];
  /** Its static ports. */
  readonly ports: readonly StaticPort[];
}

/** The whole plan. */
export interface BootPlan {
  /** Domains in tree order. */
  readonly domains: readonly DomainPlan[];
  /** Regions, in config order. */
  readonly regions: readonly RegionPlan[];
  /** Channels bound (both ends in domUs). */
  readonly channels: readonly EvtchnPairConfig[];
  /** Channels with a dom0 end, which v8r cannot bind (it boots no dom0). */
  readonly skippedChannels: readonly EvtchnPairConfig[];
  /** Index of Xen's console UART. */
  readonly xenUart: number;
}

/** What planning needs besides the config. */
export interface PlanOptions {
  /** Turns a `v8r,image` specifier into an absolute URL. */
  readonly resolveImage: (specifier: string, domain: DomainConfig) => string;
  /** Xen's console UART (default 0). */
  readonly xenUart?: string | number;
  /** Per-domain UART overrides. */
  readonly domainUarts?: Readonly<Record<string, string | number>>;
}

/** Plan the boot of `config` on `platform`; throws XenBootError for anything v8r cannot boot. */
export function planBoot(platform: Platform, config: Dom0lessConfig, opts: PlanOptions): BootPlan {
  const xenUart = uartIndex(platform, opts.xenUart ?? 0);
  const regions = planRegions(platform, config);
  const { channels, skipped, ports } = planChannels(config);
  let nextCpu = 0;
  let nextUart = 1;
  const domains = config.domains.map((d, i): DomainPlan => {
    checkDomain(platform, d);
    const pcpus = Array.from({ length: d.cpus }, (_, k) => (nextCpu + k) % platform.cpus.length);
    nextCpu = (nextCpu + d.cpus) % platform.cpus.length;
    const override = opts.domainUarts?.[d.name];
    let uart = xenUart;
    if (override !== undefined) uart = uartIndex(platform, override);
    else if (d.vpl011) {
      while (nextUart === xenUart) nextUart++;
      if (nextUart < platform.uarts.length) uart = nextUart++;
    }
    const shm = d.shm.map((m): DomainShmPlan => {
      const r = regions.find((x) => x.id === m.id);
      if (r === undefined) throw new XenBootError("shm-invalid", `[xen-dom0less] mapping static shm "${m.id}" into ${d.name}: the region is unknown`, { domain: d.name, loc: m.loc });
      return { id: m.id, guestAddr: m.guestAddr, hostAddr: r.hostAddr, size: r.size, role: m.role };
    });
    return {
      domid: i + 1,
      name: d.name,
      config: d,
      imageSpecifier: d.kernel?.image ?? "",
      image: imageUrl(d, opts),
      pcpus,
      uart,
      ownConsole: d.vpl011 && uart !== xenUart,
      shm,
      reservedMemory: shm.map(reservedNode),
      ports: (ports.get(d.name) ?? []).map((e) => ({ port: e.port, peerDomid: config.domains.findIndex((x) => x.name === e.peer) + 1, peerPort: e.peerPort })),
    };
  });
  return { domains, regions, channels, skippedChannels: skipped, xenUart };
}

function reservedNode(m: DomainShmPlan): ReservedMemoryNode {
  return {
    path: `/reserved-memory/xen-shmem@${m.guestAddr.toString(16)}`,
    compatible: "xen,shared-memory-v1",
    address: m.guestAddr,
    size: m.size,
    xenId: m.id,
    xenOffset: 0,
  };
}

function checkDomain(platform: Platform, d: DomainConfig): void {
  const fail = (msg: string): never => {
    throw new XenBootError("domain-invalid", `[xen-dom0less] creating ${d.name} (${where(d.loc)}): ${msg}`, { domain: d.name, loc: d.loc });
  };
  if (!Number.isInteger(d.cpus) || d.cpus < 1) fail(`cpus must be at least 1, got ${d.cpus}`);
  if (d.cpus > platform.cpus.length) fail(`it asks for ${d.cpus} vCPUs but ${platform.model.name} has ${platform.cpus.length} CPUs`);
  if (!(d.memoryKiB > 0)) fail("memory must be a positive number of KiB");
}

function imageUrl(d: DomainConfig, opts: PlanOptions): string {
  const kernel = d.kernel;
  if (kernel === undefined) {
    throw new XenBootError("image-missing", `[xen-dom0less] booting ${d.name} (${where(d.loc)}): the domain has no kernel module (compatible = "multiboot,kernel", "multiboot,module")`, {
      domain: d.name,
      loc: d.loc,
    });
  }
  if (kernel.image === undefined || kernel.image === "") {
    throw new XenBootError(
      "image-missing",
      `[xen-dom0less] booting ${d.name} (${where(kernel.loc)}): its kernel module ${kernel.path} has no v8r,image; v8r needs v8r,image = "<ES module specifier>" to know which guest image to load (reg alone only places a binary for real Xen)`,
      { domain: d.name, loc: kernel.loc },
    );
  }
  let url: string;
  try {
    url = new URL(opts.resolveImage(kernel.image, d)).href;
  } catch (e) {
    const why = describeError(e).error;
    throw new XenBootError("image-unresolved", `[xen-dom0less] booting ${d.name}: v8r,image "${kernel.image}" could not be resolved to a module URL: ${why}`, {
      domain: d.name,
      loc: kernel.loc,
      cause: e,
    });
  }
  return url;
}

function uartIndex(platform: Platform, which: string | number): number {
  const i = typeof which === "number" ? which : platform.uarts.findIndex((u) => u.name === which);
  if (!Number.isInteger(i) || i < 0 || i >= platform.uarts.length) {
    throw new RangeError(`[xen-dom0less] choosing a console: ${platform.model.name} has no UART ${JSON.stringify(which)} (it has ${platform.uarts.map((u) => u.name).join(", ")})`);
  }
  return i;
}

function planRegions(platform: Platform, config: Dom0lessConfig): RegionPlan[] {
  const out: RegionPlan[] = [];
  const taken = platform.memory.regions().map((r) => ({ addr: r.base, size: r.size }));
  for (const r of config.sharedMemory) {
    if (r.hostAddr !== undefined) taken.push({ addr: r.hostAddr, size: r.size });
  }
  let cursor = SHM_POOL_BASE;
  for (const r of config.sharedMemory) {
    const first = r.mappings[0];
    if (!(r.size > 0)) throw new XenBootError("shm-invalid", `[xen-dom0less] mapping static shm "${r.id}": its size must be positive`, first ? { domain: first.domain } : {});
    if (r.owner === "dom0" || r.mappings.some((m) => m.domain === "dom0")) {
      throw new XenBootError("shm-invalid", `[xen-dom0less] mapping static shm "${r.id}": it is shared with dom0, and v8r boots no dom0`);
    }
    let hostAddr = r.hostAddr;
    if (hostAddr === undefined) {
      hostAddr = placeRegion(cursor, r.size, taken);
      taken.push({ addr: hostAddr, size: r.size });
      cursor = hostAddr + roundUp(r.size);
    }
    out.push({ id: r.id, hostAddr, size: r.size, owner: r.owner, placed: r.hostAddr === undefined });
  }
  return out;
}

function placeRegion(from: number, size: number, taken: readonly { addr: number; size: number }[]): number {
  let addr = roundUp(from);
  for (let guard = 0; guard < 10_000; guard++) {
    const clash = taken.find((t) => rangesOverlap(t, { addr, size }));
    if (clash === undefined) return addr;
    addr = roundUp(clash.addr + clash.size);
  }
  throw new XenBootError("shm-invalid", `[xen-dom0less] placing a static shm region of ${size} bytes: no free host range found`);
}

function roundUp(n: number): number {
  return Math.ceil(n / PAGE) * PAGE;
}

interface PortEnd {
  readonly port: number;
  readonly peer: string;
  readonly peerPort: number;
}

function planChannels(config: Dom0lessConfig): { channels: EvtchnPairConfig[]; skipped: EvtchnPairConfig[]; ports: Map<string, PortEnd[]> } {
  const channels: EvtchnPairConfig[] = [];
  const skipped: EvtchnPairConfig[] = [];
  const ports = new Map<string, PortEnd[]>();
  const add = (domain: string, e: PortEnd, path: string): void => {
    const list = ports.get(domain) ?? [];
    if (!isPortNumber(e.port) || list.some((x) => x.port === e.port)) {
      throw new XenBootError("evtchn-invalid", `[xen-dom0less] binding static event channel ${path}: port ${e.port} is 0, over the 2-level limit of ${EVTCHN_2L_PORTS - 1} or used twice in ${domain}`, { domain });
    }
    list.push(e);
    ports.set(domain, list);
  };
  for (const pair of config.eventChannels) {
    if (pair.a.domain === "dom0" || pair.b.domain === "dom0") {
      skipped.push(pair);
      continue;
    }
    channels.push(pair);
    add(pair.a.domain, { port: pair.a.port, peer: pair.b.domain, peerPort: pair.b.port }, pair.a.path);
    add(pair.b.domain, { port: pair.b.port, peer: pair.a.domain, peerPort: pair.a.port }, pair.b.path);
  }
  for (const d of config.domains) {
    for (const e of d.evtchns) {
      const paired = config.eventChannels.some((p) => p.a.path === e.path || p.b.path === e.path);
      if (!paired) {
        throw new XenBootError("evtchn-invalid", `[xen-dom0less] binding static event channel ${e.path} (${where(e.loc)}): its peer ${e.peerRef} does not point back at it`, { domain: d.name, loc: e.loc });
      }
    }
    if (d.evtchns.length > 0 && (d.enhanced === undefined || d.enhanced === "disabled")) {
      throw new XenBootError("evtchn-invalid", `[xen-dom0less] binding the static event channels of ${d.name} (${where(d.loc)}): the domain has no xen,enhanced (use "no-xenstore")`, { domain: d.name, loc: d.loc });
    }
  }
  return { channels, skipped, ports };
}
