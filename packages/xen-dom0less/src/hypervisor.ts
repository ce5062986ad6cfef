/**
 * The running hypervisor returned by `bootXen`: `xl`-like control of the
 * domains (list, pause/unpause, destroy, restart, consoles) and host-side
 * access to the static shared memory regions.
 *
 * @module
 */
import { type AnyPlatform, MemoryWindow, type Uart } from "@v8r/fvp-core";
import type { Dom0lessConfig, DomainConfig } from "./dom0less-config.ts";
import type { BootPlan } from "./_boot-plan.ts";
import type { InterruptLine } from "./domain-context.ts";
import { type Domain, type DomainInfo, type DomainRecord, type DomainState } from "./domain.ts";

/** What {@link Xen} is built from (by `bootXen`). */
export interface XenParts {
  /** The platform. */
  readonly platform: AnyPlatform;
  /** The configuration booted. */
  readonly config: Dom0lessConfig;
  /** The boot plan. */
  readonly plan: BootPlan;
  /** The domains, in domid order. */
  readonly domains: readonly Domain[];
  /** Platform region names of the static shm regions, by id. */
  readonly regionNames: ReadonlyMap<string, string>;
  /** Cancels the timed faults. */
  readonly cancelFaults: () => void;
  /** Plan, build and start a domain created after boot (`xl create` of a device-tree fragment). */
  readonly addDomain: (config: DomainConfig) => Promise<Domain>;
}

/**
 * A booted dom0less system. Domains are named by name or domid.
 *
 * @example
 * ```ts
 * const xen = await bootXen(platform, config);
 * console.table(xen.list());
 * xen.pause("linux");
 * xen.unpause("linux");
 * await xen.restart("zephyr");
 * await xen.shutdown();
 * ```
 */
export class Xen {
  /** The platform the domains run on. */
  readonly platform: AnyPlatform;
  /** The configuration that was booted. */
  readonly config: Dom0lessConfig;
  readonly #parts: XenParts;
  #down = false;

  /** Use {@link bootXen}; this only wraps what it built. */
  constructor(parts: XenParts) {
    this.platform = parts.platform;
    this.config = parts.config;
    this.#parts = parts;
  }

  /** `xl list`: every domain not destroyed, in domid order. */
  list(): DomainInfo[] {
    return this.#parts.domains.filter((d) => d.state !== "destroyed").map((d) => d.info());
  }

  /** Every domain Xen knows of, destroyed ones included, in domid order, with the counts Xen keeps (`restarts`, `crashes`). */
  records(): DomainRecord[] {
    return this.#parts.domains.map((d) => d.record());
  }

  /** The state of a domain, `"destroyed"` once destroyed; RangeError for an unknown domain. */
  state(domain: string | number): DomainState | "destroyed" {
    return this.#domain("state", domain).state;
  }

  /** `xl pause`: events stay pending, timers and control messages wait. */
  pause(domain: string | number): void {
    this.#domain("pause", domain).pause();
  }

  /** `xl unpause`: held work runs, pending events are delivered. */
  unpause(domain: string | number): void {
    this.#domain("unpause", domain).unpause();
  }

  /** `xl destroy`: stop the domain; it leaves the list and its event channels are closed (the peers' ends become unbound). */
  destroy(domain: string | number, reason = "xl destroy"): Promise<void> {
    return this.#domain("destroy", domain).destroy(reason);
  }

  /** Start the image again from scratch, whatever the domain's state (same domid; static shm owned by Xen keeps its bytes, static channels are bound again with nothing pending). Works on destroyed domains too. */
  restart(domain: string | number, reason = "restart"): Promise<void> {
    return this.#domain("restart", domain).restart(reason);
  }

  /** `xl shutdown`: ask the guest to power off (it ends in state `shutdown`); `XenError` `ESRCH` unless it runs or is paused (a paused guest answers once unpaused). */
  shutdownDomain(domain: string | number): void {
    this.#domain("shutdown", domain).requestShutdown("poweroff");
  }

  /** `xl reboot`: ask the guest to reboot (a new instance starts, counted as a restart); `XenError` `ESRCH` unless it runs or is paused. */
  reboot(domain: string | number): void {
    this.#domain("reboot", domain).requestShutdown("reboot");
  }

  /**
   * `xl create`: with a name, build a destroyed domain again from its
   * dom0less node (same domid, static channels bound again; `XenError`
   * `EEXIST` unless it was destroyed); with a domain's configuration (a node
   * of a device-tree fragment, from `loadDom0lessConfig`), create a new
   * domain with the next domid (`XenBootError` for what cannot be created).
   * Resolves once its image started.
   */
  async create(domain: string | number | DomainConfig): Promise<DomainInfo> {
    if (typeof domain === "object") return (await this.#parts.addDomain(domain)).info();
    const d = this.#domain("create", domain);
    await d.recreate();
    return d.info();
  }

  /** Crash a domain as if its guest had failed (fault injection); its crash policy applies. */
  crash(domain: string | number, reason = "crash requested"): Promise<void> {
    return this.#domain("crash", domain).crash(reason);
  }

  /** `xl console`: the UART of a domain's console, or Xen's own console without an argument. Attach with `{ replay: true }` to also get what it printed before. */
  console(domain?: string | number): Uart {
    if (domain === undefined) return this.platform.uart(this.#parts.plan.xenUart);
    return this.platform.uart(this.#domain("console", domain).plan.uart);
  }

  /** The lines of a domain's vGIC (event-channel upcall, console) with how often each vCPU took them since its instance started. */
  interrupts(domain: string | number): InterruptLine[] {
    return this.#domain("interrupts", domain).interrupts();
  }

  /** Send a control message to a domain (`ctx.onControl` listeners); dropped when it is not running. */
  post(domain: string | number, message: unknown): void {
    this.#domain("post", domain).post(message);
  }

  /** A host-side window on static shm region `id` (its real bytes); RangeError for an unknown id. */
  sharedMemory(id: string): MemoryWindow {
    const name = this.#parts.regionNames.get(id);
    const region = name === undefined ? undefined : this.platform.memory.region(name);
    if (region === undefined) {
      const have = [...this.#parts.regionNames.keys()].map((k) => JSON.stringify(k)).join(", ") || "none";
      throw new RangeError(`[xen-dom0less] opening static shm ${JSON.stringify(id)}: no such region (regions: ${have})`);
    }
    return this.platform.memory.window(region.base, region.size);
  }

  /** Destroy every domain, cancel pending faults and unmap the static shm regions. Idempotent. */
  async shutdown(): Promise<void> {
    if (this.#down) return;
    this.#down = true;
    this.#parts.cancelFaults();
    await Promise.all(this.#parts.domains.map((d) => d.destroy()));
    for (const name of this.#parts.regionNames.values()) {
      if (this.platform.memory.region(name) !== undefined) this.platform.memory.unmap(name);
    }
  }

  #domain(op: string, which: string | number): Domain {
    const d = this.#parts.domains.find((x) => (typeof which === "number" ? x.domid === which : x.name === which));
    if (d === undefined) {
      const names = this.#parts.domains.map((x) => `d${x.domid} ${x.name}`).join(", ");
      throw new RangeError(`[xen-dom0less] ${op} ${JSON.stringify(which)}: no such domain (domains: ${names})`);
    }
    return d;
  }
}
