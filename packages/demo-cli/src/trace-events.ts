/**
 * The events on the demo's platform trace bus, composed from each package's
 * own: fvp-core's, Xen's, those of the Linux shim and of the rpmsg-demo apps
 * (stamped by Xen with the publishing domain), and the demo's own `xl`
 * event. A listener on a {@link DemoPlatform}'s bus that checks `e.type`
 * gets typed fields.
 *
 * @module
 */
import type { FvpTraceEvent, Platform } from "@v8r/fvp-core";
import type { LinuxShimEvent } from "@v8r/linux-shim";
import type { ProgramExitEvent, XenBusEvent } from "@v8r/xen-dom0less";
import type { RpmsgRemoteEvent } from "../apps/rpmsg-demo/linux-rpmsg-remote/events.ts";
import type { RpmsgHostEvent } from "../apps/rpmsg-demo/zephyr-rpmsg-host/host-link.ts";
import type { XlAction } from "./xl-list.ts";

/** A `v8r-demo xl` command was run against the demo. */
export interface XlTraceEvent {
  /** Always `xl`. */
  readonly type: "xl";
  /** What was asked. */
  readonly action: XlAction;
  /** The domain it names. */
  readonly domain: string;
  /** Platform time, ms. */
  readonly atMs: number;
}

/** Every event on the demo's platform trace bus. */
export type DemoTraceEvent = FvpTraceEvent | XenBusEvent<LinuxShimEvent | RpmsgRemoteEvent | RpmsgHostEvent | ProgramExitEvent> | XlTraceEvent;

/** The demo's platform: its trace bus carries {@link DemoTraceEvent}s. */
export type DemoPlatform = Platform<DemoTraceEvent>;
