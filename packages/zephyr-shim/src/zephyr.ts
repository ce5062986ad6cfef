/**
 * Boot a Zephyr-like OS on a domain: the kernel, the Xen event API and the
 * boot banner, on the domain's console, clock and first vCPU.
 *
 * @module
 */
import type { DomainContext } from "@v8r/xen-dom0less";
import { ZephyrKernel } from "./kernel/kernel.ts";
import type { LogLevelValue } from "./kernel/log.ts";
import { XenEvents, type evtchn_cb_t, type evtchn_status_t } from "./xen-events.ts";

/** The Zephyr release this shim follows, as the banner prints it. */
export const ZEPHYR_VERSION = "v3.7.0-v8r";

/** Options of {@link bootZephyr}. */
export interface BootOptions {
  /** Application name for the banner (`*** Booting <app> <version> - Zephyr OS build ... ***`). */
  readonly appName?: string;
  /** Application version for the banner, e.g. `"v1.0.0"`. */
  readonly version?: string;
  /** System heap size in bytes, default 16384. */
  readonly heapSize?: number;
  /** Default log level of log modules. */
  readonly logLevel?: LogLevelValue;
}

/** A booted Zephyr: the kernel API plus the Xen event API of its domain. */
export class Zephyr extends ZephyrKernel {
  /** The domain this Zephyr runs in. */
  readonly ctx: DomainContext;
  /** The Xen event channel API (also offered as methods below). */
  readonly xen: XenEvents;

  /** Prefer {@link bootZephyr}. */
  constructor(ctx: DomainContext, options: BootOptions = {}) {
    const cpu = ctx.cpus[0];
    super({
      clock: ctx.clock,
      write: (text) => ctx.console.write(text),
      ...(cpu ? { cpu } : {}),
      ...(options.heapSize !== undefined ? { heapSize: options.heapSize } : {}),
      ...(options.logLevel !== undefined ? { logLevel: options.logLevel } : {}),
    });
    this.ctx = ctx;
    const log = this.LOG_MODULE_REGISTER("xen_events");
    this.xen = new XenEvents(ctx.evtchn, {
      ...(ctx.evtchnOps !== undefined ? { ops: ctx.evtchnOps } : {}),
      isr: (fn) => this._isr(fn),
      warn: (message) => log.LOG_WRN("%s", message),
    });
  }

  /** `notify_evtchn`: 0, or -EINVAL for a port the domain does not have. */
  notify_evtchn(port: number): number {
    return this.xen.notify_evtchn(port);
  }

  /** `bind_event_channel`: replaces a handler already bound; 0. */
  bind_event_channel<T>(port: number, cb: evtchn_cb_t<T>, data: T): number {
    return this.xen.bind_event_channel(port, cb, data);
  }

  /** `unbind_event_channel`: 0, bound or not. */
  unbind_event_channel(port: number): number {
    return this.xen.unbind_event_channel(port);
  }

  /** `get_missed_events`: 1 when events came with no handler bound (reset on read), else 0. */
  get_missed_events(port: number): number {
    return this.xen.get_missed_events(port);
  }

  /** `mask_event_channel`: 0 or -EINVAL. */
  mask_event_channel(port: number): number {
    return this.xen.mask_event_channel(port);
  }

  /** `unmask_event_channel`: 0 or -EINVAL. */
  unmask_event_channel(port: number): number {
    return this.xen.unmask_event_channel(port);
  }

  /** `clear_event_channel`: forget a pending event. */
  clear_event_channel(port: number): void {
    this.xen.clear_event_channel(port);
  }

  /** `evtchn_status`: fills `status`; 0 or a negative errno. */
  evtchn_status(status: evtchn_status_t): number {
    return this.xen.evtchn_status(status);
  }

  /** `evtchn_close`: 0 or a negative errno. */
  evtchn_close(port: number): number {
    return this.xen.evtchn_close(port);
  }

  /** `alloc_unbound_event_channel`: the new port, or a negative errno. */
  alloc_unbound_event_channel(remote_dom: number): number {
    return this.xen.alloc_unbound_event_channel(remote_dom);
  }

  /** `bind_interdomain_event_channel`: the local port, or a negative errno. */
  bind_interdomain_event_channel<T>(remote_dom: number, remote_port: number, cb: evtchn_cb_t<T>, data: T): number {
    return this.xen.bind_interdomain_event_channel(remote_dom, remote_port, cb, data);
  }
}

/** The banner line Zephyr prints at boot. */
export function bootBanner(options: BootOptions = {}): string {
  if (options.appName) {
    const version = options.version ? ` ${options.version}` : "";
    return `*** Booting ${options.appName}${version} - Zephyr OS build ${ZEPHYR_VERSION} ***\n`;
  }
  return `*** Booting Zephyr OS build ${ZEPHYR_VERSION} ***\n`;
}

/**
 * Boot Zephyr on a domain: create the kernel (uptime 0 = now), attach the
 * Xen event API to the domain's static ports and print the boot banner.
 * The code that calls it runs as the `main` thread.
 *
 * @example
 * ```ts
 * export async function start(ctx: DomainContext) {
 *   const k = bootZephyr(ctx, { appName: "hello", version: "v1.0.0" });
 *   const log = k.LOG_MODULE_REGISTER("hello");
 *   await k.k_msleep(100);
 *   log.LOG_INF("uptime %d ms", k.k_uptime_get());
 * }
 * ```
 */
export function bootZephyr(ctx: DomainContext, options: BootOptions = {}): Zephyr {
  const zephyr = new Zephyr(ctx, options);
  ctx.console.write(bootBanner(options));
  return zephyr;
}
