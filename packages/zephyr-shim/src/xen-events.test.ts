import { describe, expect, it } from "vitest";
import { createFakeDomainPair } from "../test/_fake-domain.ts";
import { VirtualClock } from "@v8r/fvp-core";
import { Errno } from "./kernel/errno.ts";
import { XenEvents } from "./xen-events.ts";

function setup() {
  const clock = new VirtualClock();
  const pair = createFakeDomainPair({ clock, port: 0xa });
  const zephyr = new XenEvents(pair.zephyr.ctx.evtchn);
  const peer = new XenEvents(pair.linux.ctx.evtchn);
  return { clock, zephyr, peer, pair };
}

describe("Xen events", () => {
  it("notify_evtchn runs the peer's bound handler with its data", () => {
    const { clock, zephyr, peer } = setup();
    const got: string[] = [];
    expect(peer.bind_event_channel(0xa, (d: string) => got.push(d), "ctx-data")).toBe(0);
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    expect(got).toEqual(["ctx-data"]);
  });

  it("events that arrive with no handler bound set the missed flag: get_missed_events returns 1 once, then 0", () => {
    const { clock, zephyr, peer } = setup();
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    expect(peer.get_missed_events(0xa)).toBe(1);
    expect(peer.get_missed_events(0xa)).toBe(0);
  });

  it("an event sent before the domain attached its event API is reported as missed", () => {
    const clock = new VirtualClock();
    const pair = createFakeDomainPair({ clock });
    const zephyr = new XenEvents(pair.zephyr.ctx.evtchn);
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    const late = new XenEvents(pair.linux.ctx.evtchn);
    clock.runUntilIdle();
    expect(late.get_missed_events(0xa)).toBe(1);
  });

  it("unbind_event_channel returns 0 whether or not a handler was bound, forgets the missed flag, and later events are missed", () => {
    const { clock, zephyr, peer } = setup();
    let calls = 0;
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    peer.bind_event_channel(0xa, () => calls++, null);
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    expect(peer.unbind_event_channel(0xa)).toBe(0);
    expect(peer.get_missed_events(0xa)).toBe(0);
    expect(peer.unbind_event_channel(0xa)).toBe(0);
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    expect(calls).toBe(1);
    expect(peer.get_missed_events(0xa)).toBe(1);
  });

  it("binding a port again replaces its handler, returns 0 and warns", () => {
    const clock = new VirtualClock();
    const pair = createFakeDomainPair({ clock });
    const warnings: string[] = [];
    const peer = new XenEvents(pair.linux.ctx.evtchn, { warn: (m) => warnings.push(m) });
    const got: number[] = [];
    expect(peer.bind_event_channel(0xa, (d: number) => got.push(d), 1)).toBe(0);
    expect(peer.bind_event_channel(0xa, (d: number) => got.push(d), 2)).toBe(0);
    expect(warnings).toEqual(["bind_event_channel: re-bind callback for evtchn #10"]);
    new XenEvents(pair.zephyr.ctx.evtchn).notify_evtchn(0xa);
    clock.runUntilIdle();
    expect(got).toEqual([2]);
  });

  it("a masked port keeps its event pending and delivers it once when unmasked; clear_event_channel forgets it", () => {
    const { clock, zephyr, peer } = setup();
    let calls = 0;
    peer.bind_event_channel(0xa, () => calls++, null);
    expect(peer.mask_event_channel(0xa)).toBe(0);
    zephyr.notify_evtchn(0xa);
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    expect(calls).toBe(0);
    expect(peer.is_event_pending(0xa)).toBe(true);
    expect(peer.unmask_event_channel(0xa)).toBe(0);
    clock.runUntilIdle();
    expect(calls).toBe(1);
    expect(peer.is_event_pending(0xa)).toBe(false);
    peer.mask_event_channel(0xa);
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    peer.clear_event_channel(0xa);
    expect(peer.is_event_pending(0xa)).toBe(false);
    peer.unmask_event_channel(0xa);
    clock.runUntilIdle();
    expect(calls).toBe(1);
  });

  it("the hypercall wrappers return -ENOSYS on a host without event-channel hypercalls", () => {
    const { peer } = setup();
    expect(peer.alloc_unbound_event_channel(1)).toBe(-Errno.ENOSYS);
    expect(peer.bind_interdomain_event_channel(1, 5, () => {}, null)).toBe(-Errno.ENOSYS);
    expect(peer.evtchn_close(0xa)).toBe(-Errno.ENOSYS);
    expect(peer.evtchn_status({ dom: 0x7ff0, port: 0xa })).toBe(-Errno.ENOSYS);
  });

  it.each(["notify_evtchn", "get_missed_events", "mask_event_channel", "unbind_event_channel", "clear_event_channel"] as const)(
    "%s on a number that is not a 2-level port is a RangeError",
    (fn) => {
      const { zephyr } = setup();
      expect(() => zephyr[fn](4096)).toThrow(RangeError);
      expect(() => zephyr[fn](-1)).toThrow(RangeError);
    },
  );
});
