import { MemoryWindow } from "@v8r/fvp-core";
import type { DemoTraceEvent } from "./trace-events.ts";
import { layoutRegions, ringIndexOffsets, staticVringsLayout, VIRTIO_STATUS } from "@v8r/openamp-wasm";
import { describe, expect, it } from "vitest";
import { RPMSG_BUFFER_BYTES } from "../apps/rpmsg-demo/protocol/mod.ts";
import { LinkMonitor, RATE_HISTORY_POINTS } from "./_link-monitor.ts";

const SIZE = 0x10000;

/** A link region the test writes as the guests would, and a monitor over it. */
function setup(periodMs = 1000) {
  const buffer = new SharedArrayBuffer(SIZE);
  const win = new MemoryWindow({ kind: "v8r.window", buffer, byteOffset: 0, size: SIZE, base: 0x7fe0_0000, region: "rpmsg-shm" });
  const layout = staticVringsLayout({ shmSize: SIZE, bufferSize: RPMSG_BUFFER_BYTES });
  const status = layoutRegions(layout).find((r) => r.name === "status")?.offset ?? -1;
  const idx = ringIndexOffsets(layout);
  const view = new DataView(buffer);
  const states = new Map<string, string>([["zephyr", "running"], ["linux", "running"]]);
  const monitor = new LinkMonitor(win, { domainStates: () => states, hostDomain: "zephyr", remoteDomain: "linux", periodMs: () => periodMs }, 0);
  let sent = 0;
  return {
    monitor,
    states,
    driverOk: () => view.setUint8(status, VIRTIO_STATUS.DRIVER_OK | VIRTIO_STATUS.DRIVER | VIRTIO_STATUS.ACKNOWLEDGE),
    /** Zephyr publishes `n` messages (and Linux consumes them). */
    send: (n = 1) => {
      sent += n;
      view.setUint16(idx.toRemote.availIdx, sent & 0xffff, true);
      view.setUint16(idx.toRemote.usedIdx, sent & 0xffff, true);
    },
  };
}

const link = (state: "up" | "down" | "reinit"): DemoTraceEvent => ({ type: "zephyr.link", domain: "zephyr", domid: 1, state, tx: 0, rt: 2, ri: state === "reinit" ? 1 : 0, dr: 0, q: 0, delivered: 0 });
const domain = (state: "running" | "paused", generation: number): DemoTraceEvent => ({ type: "xen-domain", domid: 1, domain: "zephyr", state, generation, atMs: 0 });

describe("LinkMonitor: the link state from evidence", () => {
  it("is down before DRIVER_OK and until Zephyr says bound, then up while Zephyr's messages come", () => {
    const t = setup();
    expect(t.monitor.snapshot(0)).toMatchObject({ state: "down", reason: "the rings are not initialised (no DRIVER_OK)" });
    t.driverOk();
    expect(t.monitor.snapshot(0).state).toBe("down");
    t.monitor.observe(link("up"));
    t.send();
    expect(t.monitor.snapshot(500)).toMatchObject({ state: "up", retries: 2 });
    expect(t.monitor.snapshot(500).reason).toBeUndefined();
  });

  it("says stalled, with how long, when Zephyr sent nothing for three periods, and up again when it sends", () => {
    const t = setup(1000);
    t.driverOk();
    t.monitor.observe(link("up"));
    t.send();
    t.monitor.sample(1000);
    expect(t.monitor.snapshot(3900).state).toBe("up");
    expect(t.monitor.snapshot(4100)).toMatchObject({ state: "stalled", reason: "no message from zephyr for 3 s" });
    t.send();
    expect(t.monitor.snapshot(4200).state).toBe("up");
  });

  it("looks at the rings on every snapshot: a short period between two readings is not a stall", () => {
    const t = setup(250);
    t.driverOk();
    t.monitor.observe(link("up"));
    t.monitor.sample(1000);
    for (let now = 1250; now < 3000; now += 250) {
      t.send();
      expect(t.monitor.snapshot(now).state, `at ${now} ms`).toBe("up");
    }
    expect(t.monitor.snapshot(3800).state).toBe("stalled");
  });

  it("follows the domains: a destroyed or crashed one makes the link down, a paused one stalled, whatever the rings say", () => {
    const t = setup();
    t.driverOk();
    t.monitor.observe(link("up"));
    t.send();
    t.states.set("zephyr", "paused");
    expect(t.monitor.snapshot(10)).toMatchObject({ state: "stalled", reason: "zephyr paused" });
    t.states.set("zephyr", "destroyed");
    expect(t.monitor.snapshot(10)).toMatchObject({ state: "down", reason: "zephyr destroyed" });
    t.states.set("zephyr", "running");
    t.states.set("linux", "crashed");
    expect(t.monitor.snapshot(10)).toMatchObject({ state: "down", reason: "linux crashed" });
    t.states.delete("linux"); // unknown to Xen: gone
    expect(t.monitor.snapshot(10)).toMatchObject({ state: "down", reason: "linux destroyed" });
  });

  it("forgets the link of a Zephyr instance that ended, but not across a pause", () => {
    const t = setup();
    t.driverOk();
    t.monitor.observe(link("up"));
    t.send();
    t.monitor.observe(domain("paused", 0));
    t.monitor.observe(domain("running", 0)); // unpaused: same instance
    expect(t.monitor.snapshot(10).state).toBe("up");
    t.monitor.observe(domain("running", 1)); // a new instance
    expect(t.monitor.snapshot(10).state).toBe("down");
    t.monitor.observe(link("reinit"));
    expect(t.monitor.snapshot(10)).toMatchObject({ state: "re-initialising", reinits: 1 });
  });

  it("keeps one reading of the rates a second, the last minute, oldest first", () => {
    const t = setup();
    for (let s = 1; s <= RATE_HISTORY_POINTS + 5; s++) {
      t.send(2);
      t.monitor.sample(s * 1000);
    }
    const rates = t.monitor.rates();
    expect(rates).toHaveLength(RATE_HISTORY_POINTS);
    expect(rates[0]?.t).toBe(6000);
    expect(rates.at(-1)).toMatchObject({ t: (RATE_HISTORY_POINTS + 5) * 1000, tx: 2, rx: 0 });
  });
});
