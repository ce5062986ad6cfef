import type { DemoTraceEvent } from "./trace-events.ts";
import type { DomainRecord } from "@v8r/xen-dom0less";
import { describe, expect, it } from "vitest";
import { summaryLines } from "./_run-summary.ts";
import { Timeline, TIMELINE_CAPACITY } from "./_timeline.ts";

const domain = (state: "running" | "paused" | "crashed" | "destroyed", generation: number, reason?: string): DemoTraceEvent =>
  ({ type: "xen-domain", domid: 1, domain: "zephyr", state, generation, atMs: 0, ...(reason === undefined ? {} : { reason }) });
const drop = (atMs: number): DemoTraceEvent => ({ type: "xen-fault", kind: "drop", atMs, domain: "zephyr", port: 10 });

describe("Timeline", () => {
  it("tells a domain's life in words: started, paused, unpaused, crashed, started again, destroyed by whom", () => {
    const tl = new Timeline();
    const events: [DemoTraceEvent, number][] = [
      [{ type: "xen-booted", domains: ["zephyr", "linux"], atMs: 0 }, 0],
      [domain("running", 0), 1],
      [domain("paused", 0), 2_000],
      [domain("running", 0), 3_000],
      [domain("crashed", 0, "panic"), 4_000],
      [domain("running", 1), 5_000],
      [{ type: "zephyr.link", domain: "zephyr", domid: 1, state: "reinit", tx: 9, rt: 0, ri: 1, dr: 0, q: 0, delivered: 9 }, 6_000],
      [{ type: "xl", action: "destroy", domain: "zephyr", atMs: 7_000 }, 7_000],
      [domain("destroyed", 1, "xl destroy"), 7_001],
      [{ type: "region-mapped", name: "ram", base: 0, size: 1 }, 7_002], // not a timeline event
    ];
    for (const [e, t] of events) tl.observe(e, t);
    expect(tl.entries().map((e) => [e.t, e.kind, e.level, e.text])).toEqual([
      [0, "boot", "info", "Xen booted zephyr, linux"],
      [1, "boot", "info", "zephyr (d1) started"],
      [2_000, "domain", "warn", "zephyr paused"],
      [3_000, "domain", "info", "zephyr unpaused"],
      [4_000, "crash", "error", "zephyr crashed (panic)"],
      [5_000, "restart", "warn", "zephyr (d1) started again (instance 2)"],
      [6_000, "reinit", "warn", "link re-init #1"],
      [7_000, "xl", "info", "xl destroy zephyr"],
      [7_001, "domain", "error", "zephyr destroyed (xl destroy)"],
    ]);
  });

  it("folds repeats: consecutive ones within a second, delivery faults within ten seconds even between other events", () => {
    const tl = new Timeline();
    tl.observe(drop(0), 0);
    tl.observe(domain("paused", 0), 100);
    tl.observe(drop(5_000), 5_000); // folds into the first, across the pause
    tl.observe(drop(16_000), 16_000); // too late: a new entry
    const entries = tl.entries();
    expect(entries.map((e) => [e.t, e.kind, e.count])).toEqual([[0, "fault", 2], [100, "domain", undefined], [16_000, "fault", undefined]]);
    expect(entries[0]?.text).toBe("fault: drop from zephyr on port 10");
  });

  it(`keeps the latest ${TIMELINE_CAPACITY} entries`, () => {
    const tl = new Timeline();
    for (let i = 0; i < TIMELINE_CAPACITY + 10; i++) tl.observe(domain(i % 2 === 0 ? "paused" : "running", 0), i * 2_000);
    const entries = tl.entries();
    expect(entries).toHaveLength(TIMELINE_CAPACITY);
    expect(entries[0]?.t).toBe(20_000);
  });
});

const record = (domid: number, name: string, state: DomainRecord["state"], restarts: number, crashes: number): DomainRecord =>
  ({ domid, name, state, restarts, crashes, vcpus: 1, memoryKiB: 1024, uptimeMs: 0, pcpus: [0], cpuTimeMs: 0 });

describe("summaryLines", () => {
  const counters = { received: 58, lost: 1, restarts: 0, malformed: 0, stale: 0, outOfOrder: 0 };
  const base = { latest: null, sendFaults: new Map<string, number>(), page: "/tmp/zephyr-status.html", hostDomain: "zephyr" };

  it("takes Zephyr's restarts from Xen, which outlived them, not from a Linux that restarted since", () => {
    const { samples, lines } = summaryLines({ ...base, counters, domains: [record(1, "zephyr", "running", 1, 1), record(2, "linux", "running", 1, 0)] });
    expect(samples).toBe(58);
    expect(lines.slice(0, 2)).toEqual([
      "Linux received 58 samples, lost 1, rejected 0 malformed; Zephyr restarted 1 time(s)",
      "Xen: zephyr (d1) running, 1 restart, 1 crash; linux (d2) running, 1 restart, 0 crashes",
    ]);
    expect(lines.at(-1)).toBe("final status page: /tmp/zephyr-status.html");
  });

  it("says when Linux received nothing, and still gives Xen's view (a destroyed domain too)", () => {
    const { samples, lines } = summaryLines({ ...base, counters: undefined, domains: [record(1, "zephyr", "destroyed", 0, 0)] });
    expect(samples).toBe(0);
    expect(lines).toEqual(["Linux received no sample; the status page (/tmp/zephyr-status.html) has none", "Xen: zephyr (d1) destroyed, 0 restarts, 0 crashes"]);
  });
});
