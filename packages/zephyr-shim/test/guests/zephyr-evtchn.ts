/**
 * A guest image for the Xen events test: a Zephyr that runs Xen event API
 * calls sent to it as control messages (`{ id, op, ... }`) and publishes
 * each result (`zx.result`) and each event its handlers get (`zx.event`).
 */
import type { DomainContext } from "@v8r/xen-dom0less";
import { bootZephyr } from "../../src/zephyr.ts";
import type { evtchn_status_t } from "../../src/xen-events.ts";

/** What this guest publishes: a handler got an event; the result of one op; it is ready for ops. */
export type ZxEvent =
  | { readonly type: "zx.event"; readonly tag: string; readonly port: number }
  | { readonly type: "zx.result"; readonly id: number; readonly value: unknown }
  | { readonly type: "zx.up" };

interface Op {
  readonly id: number;
  readonly op: string;
  readonly dom?: number;
  readonly port?: number;
}

/** Guest entry point. */
export function start(ctx: DomainContext): void {
  const k = bootZephyr(ctx, { appName: "zephyr-evtchn" });
  const handler = (tag: string) => (port: number) => ctx.publish<ZxEvent>({ type: "zx.event", tag, port });
  const ops: Record<string, (m: Op) => unknown> = {
    alloc: (m) => k.alloc_unbound_event_channel(m.dom!),
    "bind-inter": (m) => k.bind_interdomain_event_channel(m.dom!, m.port!, handler("inter"), m.port!),
    bind: (m) => k.bind_event_channel(m.port!, handler("bound"), m.port!),
    unbind: (m) => k.unbind_event_channel(m.port!),
    notify: (m) => k.notify_evtchn(m.port!),
    missed: (m) => k.get_missed_events(m.port!),
    close: (m) => k.evtchn_close(m.port!),
    clear: (m) => {
      k.clear_event_channel(m.port!);
      return k.xen.is_event_pending(m.port!);
    },
    mask: (m) => k.mask_event_channel(m.port!),
    unmask: (m) => k.unmask_event_channel(m.port!),
    status: (m) => {
      const status: evtchn_status_t = { dom: m.dom!, port: m.port! };
      return { rc: k.evtchn_status(status), status };
    },
  };
  ctx.onControl((raw) => {
    const m = raw as Op;
    ctx.publish<ZxEvent>({ type: "zx.result", id: m.id, value: ops[m.op]!(m) });
  });
  ctx.publish<ZxEvent>({ type: "zx.up" });
}
