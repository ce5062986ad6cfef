/**
 * Internal: turn a dom0less configuration into a boot plan for a platform:
 * which pCPUs and UART each domain gets, its image URL, where each static
 * shared memory region lives in host memory, and each domain's static port
 * table. Everything v8r cannot boot becomes a {@link XenBootError} here,
 * before anything is mapped or started.
 */
import { type AnyPlatform, describeError } from "@v8r/fvp-core";
import type { ReservedMemoryNode } from "./domain-context.ts";
import type { Dom0lessConfig, DomainConfig, EvtchnPairConfig, ShmRole } from "./dom0less-config.ts";
import type { StaticPort } from "./event-channel.ts";
import { allocateStaticPorts } from "./_evtchn-alloc.ts";
import { MAX_VCPUS } from "./_rules-domain.ts";
import { planRam, rangesOverlap, type RamPlan } from "./guest-memory.ts";
import { hex } from "./_diag.ts";
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
  /** The image as an absolute URL (for a WASI program: the guest OS module that runs it). */
  readonly image: string;
  /** A WASI program (`v8r,image` ending in `.wasm`) as an absolute URL; the image runs it. */
  readonly program?: string;
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
  /** Where its RAM is (static placement is honoured: guest == host when direct-mapped). */
  readonly ram: RamPlan;
}

/** A static event channel as bound: its configuration and each end's port. */
export interface BoundChannel {
  readonly pair: EvtchnPairConfig;
  readonly portA: number;
  readonly portB: number;
}

/** The whole plan. */
export interface BootPlan {
  /** Domains in tree order. */
  readonly domains: readonly DomainPlan[];
  /** Regions, in config order. */
  readonly regions: readonly RegionPlan[];
  /** Channels bound (both ends in domUs), with the ports Xen gives each end (port 0 in the tree means the first free port). */
  readonly channels: readonly BoundChannel[];
  /** Channels with a dom0 end, which v8r cannot bind (it boots no dom0). */
  readonly skippedChannels: readonly EvtchnPairConfig[];
  /** Index of Xen's console UART. */
  readonly xenUart: number;
}

/** What planning needs besides the config. */
export interface PlanOptions {
  /** Turns a `v8r,image` specifier into an absolute URL. */
  readonly resolveImage: (specifier: string, domain: DomainConfig) => string;
  /** The guest image (a module URL) that runs a WASI program on `domain`; without it, a `.wasm` image cannot boot. */
  readonly wasiRunner?: (domain: DomainConfig) => string;
  /** Xen's console UART (default 0). */
  readonly xenUart?: string | number;
  /** Per-domain UART overrides. */
  readonly domainUarts?: Readonly<Record<string, string | number>>;
}

/** Plan the boot of `config` on `platform`; throws XenBootError for anything v8r cannot boot. */
export function planBoot(platform: AnyPlatform, config: Dom0lessConfig, opts: PlanOptions): BootPlan {
  const xenUart = uartIndex(platform, opts.xenUart ?? 0);
  const regions = planRegions(platform, config);
  const { channels, skipped, ports } = planChannels(config);
  checkStaticRam(config, regions);
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
      ...imageUrls(d, opts),
      pcpus,
      uart,
      ownConsole: d.vpl011 && uart !== xenUart,
      shm,
      reservedMemory: shm.map(reservedNode),
      ports: (ports.get(d.name) ?? []).map((e) => ({ port: e.port, peerDomid: config.domains.findIndex((x) => x.name === e.peer) + 1, peerPort: e.peerPort })),
      ram: planRam(d),
    };
  });
  return { domains, regions, channels, skippedChannels: skipped, xenUart };
}

/** The `/reserved-memory` node a guest finds for one mapped region. */
export function reservedNode(m: DomainShmPlan): ReservedMemoryNode {
  return {
    path: `/reserved-memory/xen-shmem@${m.guestAddr.toString(16)}`,
    compatible: "xen,shared-memory-v1",
    address: m.guestAddr,
    size: m.size,
    xenId: m.id,
    xenOffset: 0,
  };
}

/** XenBootError `domain-invalid` for a domain Xen would refuse (vCPUs, memory, static memory). */
export function checkDomain(platform: AnyPlatform, d: DomainConfig): void {
  const fail = (msg: string): never => {
    throw new XenBootError("domain-invalid", `[xen-dom0less] creating ${d.name} (${where(d.loc)}): ${msg}`, { domain: d.name, loc: d.loc });
  };
  if (!Number.isInteger(d.cpus) || d.cpus < 1) fail(`cpus must be at least 1, got ${d.cpus}`);
  if (d.cpus > MAX_VCPUS) fail(`it asks for ${d.cpus} vCPUs; Xen on Arm64 gives a domain at most ${MAX_VCPUS} (more vCPUs than ${platform.model.name}'s ${platform.cpus.length} CPUs share them)`);
  if (!(d.memoryKiB > 0)) fail("memory must be a positive number of KiB");
  const total = d.staticMem?.reduce((sum, b) => sum + b.size, 0);
  if (total !== undefined && total !== d.memoryKiB * 1024) fail(`memory (${d.memoryKiB} KiB) differs from the total of its xen,static-mem banks (${total} bytes)`);
  if (d.directMap && d.staticMem === undefined) fail("direct-map needs xen,static-mem");
}

/** Static RAM must not overlap another domain's static RAM or a static shared memory region. */
function checkStaticRam(config: Dom0lessConfig, regions: readonly RegionPlan[]): void {
  const taken: { what: string; addr: number; size: number }[] = regions.map((r) => ({ what: `static shm "${r.id}"`, addr: r.hostAddr, size: r.size }));
  for (const d of config.domains) {
    for (const b of d.staticMem ?? []) {
      const clash = taken.find((t) => rangesOverlap(t, b));
      if (clash !== undefined) {
        throw new XenBootError("domain-invalid", `[xen-dom0less] creating ${d.name} (${where(d.loc)}): its static memory ${hex(b.addr)}+${hex(b.size)} overlaps ${clash.what}`, { domain: d.name, loc: d.loc });
      }
      taken.push({ what: `the static memory of ${d.name}`, addr: b.addr, size: b.size });
    }
  }
}

/** A `.wasm` image is a WASI program: a bare file name is relative to the device tree, as `./name.wasm`. */
const WASI_IMAGE = /\.wasm$/i;

/** The image to start, and the WASI program it runs when `v8r,image` names one. */
export function imageUrls(d: DomainConfig, opts: Pick<PlanOptions, "resolveImage" | "wasiRunner">): { image: string; program?: string } {
  const url = imageUrl(d, opts);
  if (!WASI_IMAGE.test(new URL(url).pathname)) return { image: url };
  const runner = opts.wasiRunner?.(d);
  if (runner === undefined) {
    throw new XenBootError(
      "image-unresolved",
      `[xen-dom0less] booting ${d.name}: v8r,image "${d.kernel?.image ?? ""}" is a WASI program, and nothing here runs one (bootXen's wasiRunner option names the guest OS that does; v8r-demo gives Zephyr's or Linux's)`,
      { domain: d.name, ...(d.kernel ? { loc: d.kernel.loc } : {}) },
    );
  }
  return { image: new URL(runner).href, program: url };
}

/** The absolute URL of a domain's `v8r,image`; XenBootError `image-missing` / `image-unresolved` otherwise. */
export function imageUrl(d: DomainConfig, opts: Pick<PlanOptions, "resolveImage">): string {
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
    const bare = WASI_IMAGE.test(kernel.image) && !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(kernel.image);
    url = new URL(opts.resolveImage(bare ? `./${kernel.image}` : kernel.image, d)).href;
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

function uartIndex(platform: AnyPlatform, which: string | number): number {
  const i = typeof which === "number" ? which : platform.uarts.findIndex((u) => u.name === which);
  if (!Number.isInteger(i) || i < 0 || i >= platform.uarts.length) {
    throw new RangeError(`[xen-dom0less] choosing a console: ${platform.model.name} has no UART ${JSON.stringify(which)} (it has ${platform.uarts.map((u) => u.name).join(", ")})`);
  }
  return i;
}

function planRegions(platform: AnyPlatform, config: Dom0lessConfig): RegionPlan[] {
  const out: RegionPlan[] = [];
  const taken = platform.memory.regions().map((r) => ({ addr: r.base, size: r.size }));
  for (const r of config.sharedMemory) {
    if (r.hostAddr !== undefined) taken.push({ addr: r.hostAddr, size: r.size });
  }
  for (const d of config.domains) for (const b of d.staticMem ?? []) taken.push(b);
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

/**
 * The channels to bind, with Xen's port allocation (port 0: the first free port). Channels with a
 * dom0 end are skipped (v8r boots no dom0); nodes Xen ignores (compatible only "xen,evtchn") are
 * not in `config.eventChannels`, so they are not created either. Xen binds a channel whatever
 * `xen,enhanced` says.
 */
function planChannels(config: Dom0lessConfig): { channels: BoundChannel[]; skipped: EvtchnPairConfig[]; ports: Map<string, PortEnd[]> } {
  const { ports: allocated, problems } = allocateStaticPorts(config);
  const problem = problems[0];
  if (problem !== undefined) {
    const why = problem.kind === "busy" ? `it is already used by ${problem.takenBy?.path ?? "another channel"}` : problem.kind === "full" ? "no port is free" : `${problem.end.domain} may use ports 1 to ${problem.max}`;
    throw new XenBootError("evtchn-invalid", `[xen-dom0less] binding static event channel ${problem.end.path}: port ${problem.end.port}: ${why}`, { domain: problem.end.domain });
  }
  const channels: BoundChannel[] = [];
  const skipped: EvtchnPairConfig[] = [];
  const ports = new Map<string, PortEnd[]>();
  const add = (domain: string, e: PortEnd): void => {
    ports.set(domain, [...(ports.get(domain) ?? []), e]);
  };
  for (const pair of config.eventChannels) {
    if (pair.a.domain === "dom0" || pair.b.domain === "dom0") {
      skipped.push(pair);
      continue;
    }
    const portA = allocated.get(pair.a.path) ?? pair.a.port;
    const portB = allocated.get(pair.b.path) ?? pair.b.port;
    channels.push({ pair, portA, portB });
    add(pair.a.domain, { port: portA, peer: pair.b.domain, peerPort: portB });
    add(pair.b.domain, { port: portB, peer: pair.a.domain, peerPort: portA });
  }
  for (const d of config.domains) {
    for (const e of d.evtchns) {
      const bound = config.eventChannels.some((p) => p.a.path === e.path || p.b.path === e.path);
      if (e.v1 && !bound) {
        throw new XenBootError("evtchn-invalid", `[xen-dom0less] binding static event channel ${e.path} (${where(e.loc)}): its peer ${e.peerRef} does not point back at it`, { domain: d.name, loc: e.loc });
      }
    }
  }
  return { channels, skipped, ports };
}
