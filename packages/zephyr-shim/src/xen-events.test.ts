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

  it("events that arrive with no handler bound are counted as missed, and the count resets on read", () => {
    const { clock, zephyr, peer } = setup();
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    expect(peer.get_missed_events(0xa)).toBe(2);
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

  it("after unbind_event_channel, events are missed again", () => {
    const { clock, zephyr, peer } = setup();
    let calls = 0;
    peer.bind_event_channel(0xa, () => calls++, null);
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    expect(peer.unbind_event_channel(0xa)).toBe(0);
    expect(peer.unbind_event_channel(0xa)).toBe(-Errno.ENOENT);
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    expect(calls).toBe(1);
    expect(peer.get_missed_events(0xa)).toBe(1);
  });

  it("binding twice is refused with -EBUSY", () => {
    const { peer } = setup();
    expect(peer.bind_event_channel(0xa, () => {}, 1)).toBe(0);
    expect(peer.bind_event_channel(0xa, () => {}, 2)).toBe(-Errno.EBUSY);
  });

  it("a masked port keeps its event pending and delivers it once when unmasked", () => {
    const { clock, zephyr, peer } = setup();
    let calls = 0;
    peer.bind_event_channel(0xa, () => calls++, null);
    peer.mask_event_channel(0xa);
    zephyr.notify_evtchn(0xa);
    zephyr.notify_evtchn(0xa);
    clock.runUntilIdle();
    expect(calls).toBe(0);
    expect(peer.is_event_pending(0xa)).toBe(true);
    peer.unmask_event_channel(0xa);
    clock.runUntilIdle();
    expect(calls).toBe(1);
    expect(peer.is_event_pending(0xa)).toBe(false);
  });

  it.each(["notify_evtchn", "get_missed_events", "mask_event_channel", "unbind_event_channel"] as const)(
    "%s on a port the domain does not have is a RangeError",
    (fn) => {
      const { zephyr } = setup();
      expect(() => zephyr[fn](0xb)).toThrow(RangeError);
    },
  );
});
