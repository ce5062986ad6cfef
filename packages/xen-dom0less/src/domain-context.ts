/**
 * What a guest gets from the hypervisor: the only object a domain's image
 * receives in `start(ctx)`. Guests never hold each other's objects; the
 * only things that cross between domains are bytes in static shared memory
 * and event-channel notifications.
 *
 * @module
 */
import type { Clock, CpuHandle, MemoryWindow } from "@v8r/fvp-core";
import type { GuestEvent } from "./trace-events.ts";
import type { EventChannelOps } from "./evtchn-ops.ts";

/** Xen hypercall error names used by {@link XenError}. */
export const XenErrno = {
  EINVAL: "EINVAL",
  ENOENT: "ENOENT",
  EPERM: "EPERM",
  EBUSY: "EBUSY",
  ESRCH: "ESRCH",
  ENOSPC: "ENOSPC",
  EEXIST: "EEXIST",
} as const;

/** One of the Xen error names in {@link XenErrno}. */
export type XenErrnoName = (typeof XenErrno)[keyof typeof XenErrno];

/** A failed hypercall, carrying the Xen error name in `code`. */
export class XenError extends Error {
  /** The Xen error name, e.g. `"EINVAL"` for an unbound port. */
  readonly code: XenErrnoName;
  /** Build an error; `message` says what was being done and what was wrong. */
  constructor(code: XenErrnoName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "XenError";
    this.code = code;
  }
}

/**
 * A `/reserved-memory/xen-shmem@<addr>` node as the guest finds it in its
 * device tree (`compatible = "xen,shared-memory-v1"`).
 */
export interface ReservedMemoryNode {
  /** Full node path, e.g. `/reserved-memory/xen-shmem@7a000000`. */
  readonly path: string;
  /** Always `"xen,shared-memory-v1"`. */
  readonly compatible: string;
  /** Guest physical address of the region. */
  readonly address: number;
  /** Size of the region in bytes. */
  readonly size: number;
  /** The `xen,id` property: the static shm id. */
  readonly xenId: string;
  /** The `xen,offset` property (always 0 today). */
  readonly xenOffset: number;
}

/** One interrupt line of the domain's virtual GIC and how often each vCPU took it. */
export interface InterruptLine {
  /** GIC interrupt ID: 31 the event-channel upcall PPI (Xen's GUEST_EVTCHN_PPI), 32 the vpl011 console's SPI. */
  readonly irq: number;
  /** What raises it: `"xen-evtchn"` or `"vpl011"`. */
  readonly source: string;
  /** `"PPI"` (banked per vCPU) or `"SPI"`. */
  readonly type: "PPI" | "SPI";
  /** Times taken, by vCPU. */
  readonly perCpu: readonly number[];
}

/** Handler of an event-channel port; runs on the domain's vCPU. */
export type EventHandler = (port: number) => void;

/**
 * The 2-level event channel interface of one domain, over its static
 * channels (bound by Xen before the domain runs).
 */
export interface EventChannels {
  /** The static local ports configured for this domain. */
  ports(): readonly number[];
  /** `EVTCHNOP_send`: raise the peer's end. Throws XenError EINVAL for a port that is not bound here. */
  send(port: number): void;
  /** Attach a handler; an event that is already pending is delivered right after binding ("missed events"). */
  bind(port: number, handler: EventHandler): void;
  /** Detach the handler; the port stays bound in Xen and keeps collecting pending events. */
  unbind(port: number): void;
  /** Set the mask bit: events stay pending and are not delivered. */
  mask(port: number): void;
  /** Clear the mask bit; a pending event fires now. */
  unmask(port: number): void;
  /** Whether the port's pending bit is set. */
  isPending(port: number): boolean;
  /** Whether the port's mask bit is set. */
  isMasked(port: number): boolean;
  /** Clear the port's pending bit (Zephyr's `clear_event_channel`). */
  clear?(port: number): void;
}

/** The domain's virtual PL011 console. */
export interface GuestConsole {
  /** Write text or bytes; output is line-buffered by the platform UART. */
  write(data: string | Uint8Array): void;
  /** Receive input typed on this console. Returns a function that removes the listener. */
  onInput(listener: (data: Uint8Array) => void): () => void;
}

/** Why a domain shuts itself down (`SCHEDOP_shutdown` reasons). */
export type ShutdownReason = "poweroff" | "reboot" | "crash";

/**
 * Everything a guest image gets: `export function start(ctx: DomainContext)`.
 * The same object shape inline and in a Worker.
 */
export interface DomainContext {
  /** Domain id (1, 2, ... in device-tree order; 0 is never used: there is no dom0). */
  readonly domid: number;
  /** Domain name (its node name under `/chosen`). */
  readonly name: string;
  /** The kernel module's `bootargs`, empty when none. */
  readonly bootargs: string;
  /** URL of the WASI program the kernel module names (`v8r,image` ending in `.wasm`); the guest OS image runs it. */
  readonly program?: string;
  /** The domain's console (its vpl011). */
  readonly console: GuestConsole;
  /** The platform clock (virtual or real); guest code never uses bare setTimeout. */
  readonly clock: Clock;
  /** The domain's vCPUs with load accounting. */
  readonly cpus: readonly CpuHandle[];
  /** Memory of the domain in KiB, as configured. */
  readonly memoryKiB: number;
  /** The `xen-shmem` reserved-memory nodes of the domain's device tree. */
  readonly reservedMemory: readonly ReservedMemoryNode[];
  /** Map a static shared memory region by its `xen,id`. Throws XenError ENOENT when it is not mapped into this domain. */
  mapSharedMemory(id: string): MemoryWindow;
  /** The domain's event channels (the static ones, and those made with `evtchnOps`). */
  readonly evtchn: EventChannels;
  /** The other event-channel hypercalls: allocate, bind, close, status (absent where the host has no channel table). */
  readonly evtchnOps?: EventChannelOps;
  /** The lines of the domain's virtual GIC with how often each vCPU took them since this instance started (`/proc/interrupts`). */
  interrupts(): readonly InterruptLine[];
  /** Shut the domain down; `"crash"` applies the domain's `on_crash` policy. `detail` (one line) goes to Xen's console with it. */
  shutdown(reason: ShutdownReason, detail?: string): void;
  /**
   * Worker mode only (where the domain has a thread of its own): block the
   * thread until an interrupt is pending for the vCPU (the event channel, the
   * console) or `timeoutMs` passed, then take what is pending, as the Arm WFI
   * instruction does. For guest code that blocks (a WASI program). False once
   * the domain is stopping. Absent inline, where blocking would stop every domain.
   */
  waitForInterrupt?(timeoutMs: number): boolean;
  /**
   * Publish a guest-level event on the platform trace bus (e.g. link
   * statistics for a dashboard); Xen adds `domain` and `domid`. The software
   * that publishes exports the union of its events, which the layer that
   * creates the platform names (`XenBusEvent`, trace-events.ts).
   */
  publish<G extends GuestEvent>(event: G): void;
  /** Receive control messages sent to this domain from outside (the demo's command channel). Returns an unsubscribe function. */
  onControl(listener: (message: unknown) => void): () => void;
}
