/**
 * `bootXen`: boot a dom0less configuration on an fvp-core platform, the way
 * Xen does it from the device tree: print the boot log, map each static
 * shared memory region once, bind the static event channels, create every
 * domain and start its image on the platform's executor.
 *
 * @module
 */
import { type AnyPlatform, describeError, type TraceSink } from "@v8r/fvp-core";
import { bootDoneLines, bootLogLines, domainLines, XEN_LOG_PREFIX } from "./boot-log.ts";
import type { Dom0lessConfig, DomainConfig } from "./dom0less-config.ts";
import { type BootPlan, type DomainPlan, planBoot } from "./_boot-plan.ts";
import type { DomainInit } from "./_domain-init.ts";
import { Domain, type CrashPolicy, type DomainShared } from "./domain.ts";
import type { ShmRange } from "./fault-kind.ts";
import { checkFaultPlan, type FaultPlan, scheduleFaults, sendFaultPlan } from "./faults.ts";
import { Xen } from "./hypervisor.ts";
import { ChannelTable, createChannelTable } from "./_evtchn-table.ts";
import { bindStaticChannels, closeDomainChannels, rebindDomainChannels } from "./evtchn-ops.ts";
import { DOMU_MAX_EVTCHN_PORT, maxStaticPort } from "./_evtchn-alloc.ts";
import { MAX_CREATED_DOMAINS, planAddedDomain } from "./_domain-add.ts";
import type { PeerEnvelope } from "./_domain-init.ts";
import type { XenTraceEvent } from "./trace-events.ts";
import { XenBootError } from "./xen-boot-error.ts";

/** Options of {@link bootXen}. */
export interface BootXenOptions {
  /** Turn a `v8r,image` specifier into a module URL (default: absolute URLs as they are, `./`/`../` against `baseUrl`, else `import.meta.resolve`). */
  readonly resolveImage?: (specifier: string, domain: DomainConfig) => string | URL;
  /** Base URL for relative `v8r,image` specifiers (e.g. the URL of the .dts file). */
  readonly baseUrl?: string | URL;
  /**
   * The guest image that runs a WASI program on `domain` (`v8r,image` naming a `.wasm`, relative to the
   * device tree): the module URL of a guest OS that does (zephyr-shim's or linux-shim's `wasi-guest`).
   * The domain's context then has the program's URL in `ctx.program`.
   */
  readonly wasiRunner?: (domain: DomainConfig) => string | URL;
  /** `on_crash` policy: one for all domains or per domain name (default `"destroy"`, like xl). */
  readonly onCrash?: CrashPolicy | Readonly<Record<string, CrashPolicy>>;
  /** Fault injection plan. */
  readonly faults?: FaultPlan;
  /** Named byte ranges of a static shm region that `corrupt` faults can aim at (e.g. `layoutRegions` of an OpenAMP layout from @v8r/openamp-wasm). */
  readonly shmRanges?: (region: { readonly id: string; readonly size: number }) => readonly ShmRange[];
  /** Consoles: Xen's UART (default 0) and per-domain overrides; otherwise each domain with vpl011 gets the next free UART. */
  readonly console?: { readonly xen?: string | number; readonly domains?: Readonly<Record<string, string | number>> };
  /** Worker mode: microseconds an idle vCPU polls its wake word before sleeping (default 0; tens of µs trade CPU for latency). */
  readonly spinUs?: number;
}

/** URL of the guest runtime module next to this one (`.ts` from sources, `.js` when built). */
export function xenRuntimeUrl(): URL {
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./xen-runtime${ext}`, import.meta.url);
}

/**
 * Boot `config` on `platform`: every domain under `/chosen` is created and
 * its image (`v8r,image`) started, in domid order. Rejects with
 * {@link XenBootError} when something cannot be booted (a kernel without
 * `v8r,image`, a region that cannot be mapped, an image that fails to load);
 * nothing is left running then.
 * @example
 * ```ts
 * const { config } = loadDom0lessConfig(parseDts(text, { file: "xen.dts" }));
 * const platform = createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock() });
 * platform.uarts[0]?.attach(new PrefixSink((s) => console.log(s.trimEnd())));
 * const xen = await bootXen(platform, config, { baseUrl: import.meta.url });
 * await (platform.clock as VirtualClock).run(1000);
 * console.table(xen.list());
 * ```
 */
export async function bootXen(platform: AnyPlatform, config: Dom0lessConfig, options: BootXenOptions = {}): Promise<Xen> {
  if (options.spinUs !== undefined && !(options.spinUs >= 0 && options.spinUs <= 10_000)) {
    throw new RangeError(`[xen-dom0less] booting: spinUs ${String(options.spinUs)} must be 0..10000 microseconds`);
  }
  const wasiRunner = options.wasiRunner !== undefined ? { wasiRunner: (d: DomainConfig) => String(options.wasiRunner!(d)) } : {};
  const plan = planBoot(platform, config, {
    resolveImage: (s, d) => resolveSpecifier(s, d, options),
    ...wasiRunner,
    ...(options.console?.xen !== undefined ? { xenUart: options.console.xen } : {}),
    ...(options.console?.domains !== undefined ? { domainUarts: options.console.domains } : {}),
  });
  const xenUart = platform.uart(plan.xenUart);
  const log = (line: string): void => xenUart.write(`${XEN_LOG_PREFIX}${line}\n`);
  const regionNames = mapRegions(platform, plan);
  const mode = platform.executor.kind;
  const runtime = xenRuntimeUrl().href;
  const domains: Domain[] = [];
  // Rows for the booted domains and for the ones `xl create` may add later.
  const tableBuffer = createChannelTable(Math.max(...plan.domains.map((d) => d.domid), 1) + MAX_CREATED_DOMAINS);
  const table = new ChannelTable(tableBuffer);
  bindStaticChannels(table, plan.domains.map((d) => ({ domid: d.domid, ports: d.ports, maxPort: maxStaticPort(config, d.name) })));
  const host = (p: DomainPlan) => ({
    platform,
    runtime,
    onCrash: crashPolicy(options.onCrash, p.name),
    initFor: (dp: DomainPlan, own: DomainShared, generation: number) => initFor(platform, dp, own, generation, { mode, domains, options, table: tableBuffer }),
    beforeRestart: (dp: DomainPlan) => {
      clearOwnedRegions(platform, plan, regionNames, dp, log);
      rebindDomainChannels(table, dp.domid, dp.ports);
    },
    afterDestroy: (dp: DomainPlan) => closeDomainChannels(table, dp.domid),
    log,
  });
  for (const p of plan.domains) domains.push(new Domain(p, host(p)));
  let cancelFaults = (): void => {};
  const addDomain = async (d: DomainConfig): Promise<Domain> => {
    const resolveImage = (s: string, dc: DomainConfig): string => resolveSpecifier(s, dc, options);
    const p = planAddedDomain({ platform, boot: plan, existing: domains.map((x) => x.plan), domain: d, resolveImage, ...wasiRunner });
    table.addDomain(p.domid, DOMU_MAX_EVTCHN_PORT);
    const domain = new Domain(p, host(p));
    domains.push(domain);
    for (const line of domainLines(platform, p)) log(line);
    log(`Starting d${p.domid} (${p.name})`);
    try {
      await createDomain(domain);
    } catch (e) {
      await domain.destroy("creation failed");
      domains.splice(domains.indexOf(domain), 1); // nothing is left: the same fragment may be created again once fixed
      throw e;
    }
    // Domains that started before it learn where it is (channels made at run time may lead to it).
    const peer: PeerEnvelope = { xen: "peer", peer: { domid: p.domid, state: domain.evtchnState, vgic: domain.vgic.describe() } };
    for (const other of domains) if (other !== domain) other.postRaw(peer);
    return domain;
  };
  const xen = new Xen({ platform, config, plan, domains, regionNames, cancelFaults: () => cancelFaults(), addDomain });
  const target = {
    clock: platform.clock,
    trace: platform.trace,
    regions: () => plan.regions.map((r) => ({ id: r.id, size: r.size })),
    ranges: (id: string) => shmRanges(options, plan, id),
    window: (id: string) => (regionNames.has(id) ? xen.sharedMemory(id) : undefined),
    hasDomain: (name: string) => domains.some((d) => d.name === name),
    crash: (name: string, reason: string) => xen.crash(name, reason),
    restart: (name: string) => xen.restart(name),
    destroy: (name: string) => xen.destroy(name, "fault injection"),
    pause: (name: string) => xen.pause(name),
    unpause: (name: string) => xen.unpause(name),
  };
  try {
    if (options.faults !== undefined) checkFaultPlan(options.faults, target);
    for (const line of bootLogLines(platform, config, plan)) log(line);
    await startDomains(domains, mode, log);
  } catch (e) {
    await xen.shutdown();
    throw e;
  }
  if (options.faults !== undefined) cancelFaults = scheduleFaults(options.faults, target);
  for (const line of bootDoneLines(plan)) log(line);
  const trace: TraceSink<XenTraceEvent> = platform.trace;
  if (trace.active) trace.emit({ type: "xen-booted", domains: domains.map((d) => d.name), atMs: platform.clock.now() });
  return xen;
}

/**
 * Start every domain. Inline, one after the other (a deterministic order);
 * in Workers, all at once, as Xen unpauses all dom0less domains together at
 * the end of boot, so their threads load in parallel. Fails with the first
 * domain that failed, once every start has settled.
 */
async function startDomains(domains: readonly Domain[], mode: "inline" | "worker", log: (line: string) => void): Promise<void> {
  if (mode === "inline") {
    for (const d of domains) {
      log(`Starting d${d.domid} (${d.name})`);
      await createDomain(d);
    }
    return;
  }
  for (const d of domains) log(`Starting d${d.domid} (${d.name})`);
  const settled = await Promise.allSettled(domains.map((d) => createDomain(d)));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed !== undefined) throw failed.reason;
}

async function createDomain(d: Domain): Promise<void> {
  try {
    await d.create();
  } catch (e) {
    const why = describeError(e).error;
    throw new XenBootError("domain-start-failed", `[xen-dom0less] starting d${d.domid} (${d.name}): ${why}`, { domain: d.name, cause: e });
  }
}

function resolveSpecifier(specifier: string, domain: DomainConfig, options: BootXenOptions): string {
  if (options.resolveImage !== undefined) return String(options.resolveImage(specifier, domain));
  if (URL.canParse?.(specifier) ?? isAbsolute(specifier)) return new URL(specifier).href;
  if (/^\.{0,2}\//.test(specifier)) {
    if (options.baseUrl === undefined) throw new TypeError(`the relative specifier needs the baseUrl option (e.g. the URL of the device tree file)`);
    return new URL(specifier, options.baseUrl).href;
  }
  const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
  if (typeof resolve !== "function") throw new TypeError(`this runtime has no import.meta.resolve; pass the resolveImage option`);
  return resolve(specifier);
}

function isAbsolute(s: string): boolean {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

function shmRanges(options: BootXenOptions, plan: BootPlan, id: string): readonly ShmRange[] {
  const r = plan.regions.find((x) => x.id === id);
  return r === undefined || options.shmRanges === undefined ? [] : options.shmRanges({ id, size: r.size });
}

function crashPolicy(opt: BootXenOptions["onCrash"], name: string): CrashPolicy {
  const p = typeof opt === "string" ? opt : (opt?.[name] ?? "destroy");
  if (p !== "destroy" && p !== "restart" && p !== "preserve") {
    throw new TypeError(`[xen-dom0less] on_crash of ${name}: ${JSON.stringify(p)} is not destroy, restart or preserve`);
  }
  return p;
}

function mapRegions(platform: AnyPlatform, plan: BootPlan): Map<string, string> {
  const names = new Map<string, string>();
  try {
    for (const r of plan.regions) {
      const name = `xen-shm:${r.id}`;
      platform.memory.map({ base: r.hostAddr, size: r.size, name });
      names.set(r.id, name);
    }
  } catch (e) {
    for (const name of names.values()) platform.memory.unmap(name);
    const why = describeError(e).error;
    throw new XenBootError("shm-map-failed", `[xen-dom0less] mapping the static shared memory regions: ${why}`, { cause: e });
  }
  return names;
}

function clearOwnedRegions(platform: AnyPlatform, plan: BootPlan, names: ReadonlyMap<string, string>, d: DomainPlan, log: (l: string) => void): void {
  for (const r of plan.regions) {
    const region = r.owner === d.name ? platform.memory.region(names.get(r.id) ?? "") : undefined;
    if (region === undefined) continue;
    new Uint8Array(region.buffer).fill(0);
    log(`d${d.domid}: static shm "${r.id}" is owned by the domain: cleared for the new instance`);
  }
}

interface InitContext {
  readonly mode: "inline" | "worker";
  readonly domains: readonly Domain[];
  readonly options: BootXenOptions;
  readonly table: SharedArrayBuffer;
}

function initFor(platform: AnyPlatform, p: DomainPlan, own: DomainShared, generation: number, c: InitContext): DomainInit {
  const faults = sendFaultPlan(c.options.faults);
  return {
    kind: "v8r.xen-domain",
    mode: c.mode,
    domid: p.domid,
    name: p.name,
    bootargs: p.config.kernel?.bootargs ?? "",
    ...(p.program !== undefined ? { program: p.program } : {}),
    memoryKiB: p.config.memoryKiB,
    generation,
    vpl011: p.ownConsole,
    reservedMemory: p.reservedMemory,
    shm: p.shm.map((m) => ({ id: m.id, window: { ...platform.memory.window(m.hostAddr, m.size).describe(), base: m.guestAddr } })),
    vgic: own.vgic.describe(),
    evtchn: {
      state: own.evtchnState,
      table: c.table,
      ports: p.ports,
      // every other domain: a channel made at run time (EVTCHNOP_bind_interdomain) may lead to any of them
      peers: c.domains.filter((d) => d.domid !== p.domid).map((d) => ({ domid: d.domid, state: d.evtchnState, vgic: d.vgic.describe() })),
    },
    ...(faults !== undefined ? { faults } : {}),
    ...(c.options.spinUs !== undefined && c.mode === "worker" ? { spinUs: c.options.spinUs } : {}),
  };
}
