/**
 * The Xen-style boot log `bootXen` prints on Xen's console: banner, command
 * line, each static shm region, each domain created with its vCPUs and
 * memory, each region mapped into each domain, each static event channel
 * bound. Every line starts with `(XEN) `. The wording is v8r's own.
 *
 * @module
 */
import type { AnyPlatform } from "@v8r/fvp-core";
import { formatBytes } from "./_diag.ts";
import type { Dom0lessConfig } from "./dom0less-config.ts";
import type { BootPlan, DomainPlan } from "./_boot-plan.ts";

/** The Xen version v8r reports (the interfaces it follows: Xen 4.17+ static shm and static evtchn). */
export const XEN_VERSION = "4.18-v8r";

/** Prefix of every line on Xen's console. */
export const XEN_LOG_PREFIX = "(XEN) ";

/** Format `n` as `0x` + 8 or more hex digits. */
export function hex8(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

/** The lines printed before any domain starts (without the `(XEN) ` prefix). */
export function bootLogLines(platform: AnyPlatform, config: Dom0lessConfig, plan: BootPlan): string[] {
  const lines = [
    `Xen version ${XEN_VERSION} (v8r) dom0less, 2-level event channels`,
    `Command line: ${config.xenBootargs ?? ""}`.trimEnd(),
    `Platform: ${platform.model.name}, ${platform.cpus.length} CPUs, ${platform.executor.kind} executor, ${platform.clock.kind} clock`,
    `Device tree: ${config.source.file} (${config.source.format})`,
  ];
  for (const r of plan.regions) {
    const owner = r.owner === undefined ? "Xen (DOMID_IO)" : r.owner;
    lines.push(`Static shm "${r.id}": host ${hex8(r.hostAddr)}-${hex8(r.hostAddr + r.size - 1)} (${formatBytes(r.size)}), owner ${owner}${r.placed ? ", placed by Xen" : ""}`);
  }
  for (const d of plan.domains) lines.push(...domainLines(platform, d));
  for (const { pair, portA, portB } of plan.channels) {
    const a = plan.domains.find((d) => d.name === pair.a.domain);
    const b = plan.domains.find((d) => d.name === pair.b.domain);
    const free = (asked: number): string => (asked === 0 ? " (0 in the device tree: the first free port)" : "");
    lines.push(`Static event channel: d${a?.domid ?? "?"} port ${portA}${free(pair.a.port)} <-> d${b?.domid ?? "?"} port ${portB}${free(pair.b.port)} bound`);
  }
  for (const c of plan.skippedChannels) {
    lines.push(`Static event channel ${c.a.path} <-> ${c.b.path} not bound: v8r boots no dom0`);
  }
  for (const path of config.ignoredEventChannels) {
    lines.push(`Static event channel ${path} ignored: it is not compatible with "xen,evtchn-v1"`);
  }
  return lines;
}

/** The lines saying where a domain's RAM is: static banks host and guest (guest == host when direct-mapped), or heap RAM by guest address. */
function ramLines(d: DomainPlan): string[] {
  const range = (at: number, size: number): string => `${hex8(at)}-${hex8(at + size - 1)}`;
  return d.ram.banks.map((b, i) => {
    if (b.hostAddr === undefined) return `d${d.domid}: RAM guest ${range(b.guestAddr, b.size)} (${formatBytes(b.size)}, from Xen's heap)`;
    if (d.ram.kind === "direct-map") return `d${d.domid}: STATIC BANK[${i}] ${range(b.hostAddr, b.size)} (${formatBytes(b.size)}), direct-map: guest == host`;
    return `d${d.domid}: STATIC BANK[${i}] host ${range(b.hostAddr, b.size)} -> guest ${range(b.guestAddr, b.size)} (${formatBytes(b.size)})`;
  });
}

/** The lines of one domain being built (at boot, or by `xl create`). */
export function domainLines(platform: AnyPlatform, d: DomainPlan): string[] {
  const c = d.config;
  const uart = platform.uarts[d.uart]?.name ?? `uart${d.uart}`;
  const lines = [
    `*** LOADING DOMU cpus=${c.cpus} memory=0x${c.memoryKiB.toString(16)}KB ***`,
    `d${d.domid} (${d.name}): ${c.cpus} vCPU${c.cpus === 1 ? "" : "s"} on pCPU ${d.pcpus.join(",")}, ${formatBytes(c.memoryKiB * 1024)} RAM`,
    `d${d.domid}: kernel image ${d.imageSpecifier}`,
  ];
  lines.push(...ramLines(d));
  if (c.kernel?.bootargs !== undefined) lines.push(`d${d.domid}: bootargs "${c.kernel.bootargs}"`);
  for (const m of d.shm) {
    lines.push(`d${d.domid}: STATIC SHM "${m.id}" host ${hex8(m.hostAddr)} -> guest ${hex8(m.guestAddr)} (${formatBytes(m.size)}, ${m.role})`);
  }
  lines.push(d.ownConsole ? `d${d.domid}: vpl011 console on ${uart}` : `d${d.domid}: console on Xen's ${uart}, lines prefixed (d${d.domid})`);
  return lines;
}

/** The lines printed once every domain runs. */
export function bootDoneLines(plan: BootPlan): string[] {
  return [`Brought up ${plan.domains.length} domain${plan.domains.length === 1 ? "" : "s"}: ${plan.domains.map((d) => `d${d.domid} ${d.name}`).join(", ")}`];
}
