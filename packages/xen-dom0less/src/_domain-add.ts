/**
 * Internal: the plan of a domain created after boot (`xl create` of a
 * device-tree fragment): the next domid, the next pCPUs round-robin, the
 * next free UART for its vpl011, and the static shm regions Xen mapped at
 * boot. Static shm and static event channels are set up by Xen at boot
 * only: a created domain may borrow a region that exists (same host
 * address and size) and makes its channels at run time (EVTCHNOP_*).
 */
import type { AnyPlatform } from "@v8r/fvp-core";
import { type BootPlan, checkDomain, type DomainPlan, type DomainShmPlan, imageUrls, reservedNode } from "./_boot-plan.ts";
import { hex } from "./_diag.ts";
import type { DomainConfig } from "./dom0less-config.ts";
import { planRam, rangesOverlap } from "./guest-memory.ts";
import { where, XenBootError } from "./xen-boot-error.ts";

/** Domains that may be created after boot, besides the booted ones (their channel-table rows are made at boot). */
export const MAX_CREATED_DOMAINS = 8;

/** What planning an added domain needs. */
export interface AddedDomainInput {
  /** The platform. */
  readonly platform: AnyPlatform;
  /** The boot plan (regions, Xen's UART). */
  readonly boot: BootPlan;
  /** Every domain planned so far (booted and created, destroyed ones too: their domids and names are not reused). */
  readonly existing: readonly DomainPlan[];
  /** The new domain's node. */
  readonly domain: DomainConfig;
  /** Turns `v8r,image` into a module URL. */
  readonly resolveImage: (specifier: string, domain: DomainConfig) => string;
  /** The guest image that runs a WASI program (`v8r,image` ending in `.wasm`). */
  readonly wasiRunner?: (domain: DomainConfig) => string;
}

/** Plan a domain created after boot; XenBootError for anything Xen (or v8r) would refuse. */
export function planAddedDomain(input: AddedDomainInput): DomainPlan {
  const { platform, boot, existing, domain: d } = input;
  const fail = (code: "domain-invalid" | "shm-invalid" | "evtchn-invalid", msg: string): never => {
    throw new XenBootError(code, `[xen-dom0less] creating ${d.name} (${where(d.loc)}): ${msg}`, { domain: d.name, loc: d.loc });
  };
  const same = existing.find((p) => p.name === d.name);
  if (same !== undefined) fail("domain-invalid", `a domain named ${d.name} exists already (d${same.domid}); to start it again, xl create it by name`);
  const booted = boot.domains.length;
  if (existing.length >= booted + MAX_CREATED_DOMAINS) fail("domain-invalid", `v8r creates at most ${MAX_CREATED_DOMAINS} domains after boot`);
  checkDomain(platform, d);
  if (d.evtchns.length > 0) {
    fail("evtchn-invalid", `${d.evtchns[0]?.path ?? "an event channel node"}: Xen binds static event channels at boot only; a created domain makes its channels at run time (EVTCHNOP_alloc_unbound / EVTCHNOP_bind_interdomain)`);
  }
  const shm = d.shm.map((m): DomainShmPlan => {
    const r = boot.regions.find((x) => x.id === m.id);
    if (r === undefined) fail("shm-invalid", `static shm "${m.id}" does not exist; Xen sets up static shared memory at boot only (regions: ${boot.regions.map((x) => `"${x.id}"`).join(", ") || "none"})`);
    const region = r as NonNullable<typeof r>;
    if ((m.hostAddr !== undefined && m.hostAddr !== region.hostAddr) || m.size !== region.size) {
      fail("shm-invalid", `static shm "${m.id}" is ${hex(region.hostAddr)}+${hex(region.size)}, not ${m.hostAddr === undefined ? "" : hex(m.hostAddr)}+${hex(m.size)}`);
    }
    if (m.role === "owner") fail("shm-invalid", `static shm "${m.id}" has its owner already; a created domain can only borrow it`);
    return { id: m.id, guestAddr: m.guestAddr, hostAddr: region.hostAddr, size: region.size, role: m.role };
  });
  for (const b of d.staticMem ?? []) {
    const clash = existing.find((p) => (p.config.staticMem ?? []).some((o) => rangesOverlap(o, b))) ?? undefined;
    const region = boot.regions.find((r) => rangesOverlap({ addr: r.hostAddr, size: r.size }, b));
    if (clash !== undefined) fail("domain-invalid", `its static memory ${hex(b.addr)}+${hex(b.size)} overlaps the static memory of ${clash.name}`);
    if (region !== undefined) fail("domain-invalid", `its static memory ${hex(b.addr)}+${hex(b.size)} overlaps static shm "${region.id}"`);
  }
  const usedCpus = existing.reduce((n, p) => n + p.pcpus.length, 0);
  const pcpus = Array.from({ length: d.cpus }, (_, k) => (usedCpus + k) % platform.cpus.length);
  const taken = new Set([boot.xenUart, ...existing.map((p) => p.uart)]);
  const free = platform.uarts.findIndex((_, i) => i > 0 && !taken.has(i));
  const uart = d.vpl011 && free > 0 ? free : boot.xenUart;
  return {
    domid: Math.max(0, ...existing.map((p) => p.domid)) + 1,
    name: d.name,
    config: d,
    imageSpecifier: d.kernel?.image ?? "",
    ...imageUrls(d, input),
    pcpus,
    uart,
    ownConsole: d.vpl011 && uart !== boot.xenUart,
    shm,
    reservedMemory: shm.map(reservedNode),
    ports: [],
    ram: planRam(d),
  };
}
