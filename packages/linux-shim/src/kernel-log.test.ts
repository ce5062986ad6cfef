import { describe, expect, it } from "vitest";
import { formatKernelTimestamp, KernelLog } from "./kernel-log.ts";

describe("formatKernelTimestamp", () => {
  it.each([
    [0, "[    0.000000]"],
    [123.4567, "[    0.123456]"],
    [1500, "[    1.500000]"],
    [99_999_999.999, "[99999.999999]"],
    [123_456_789, "[123456.789000]"],
    [-5, "[    0.000000]"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatKernelTimestamp(ms)).toBe(text);
  });
});

describe("KernelLog", () => {
  it("stamps lines with the time since boot and sends them to the sink", () => {
    let now = 10_000;
    const seen: string[] = [];
    const klog = new KernelLog({ now: () => now, sink: (l) => seen.push(l) });
    now += 1.25;
    klog.log("Booting Linux");
    now += 2000;
    klog.log("xen:evtchn: Event-channel device installed");
    expect(klog.dmesg()).toEqual([
      "[    0.001250] Booting Linux",
      "[    2.001250] xen:evtchn: Event-channel device installed",
    ]);
    expect(seen).toEqual(klog.dmesg());
  });

  it("stamps each line of a multi-line message", () => {
    const klog = new KernelLog({ now: () => 0 });
    klog.log("one\ntwo\n");
    expect(klog.dmesg()).toEqual(["[    0.000000] one", "[    0.000000] two"]);
  });

  it("drops the oldest lines beyond its capacity and counts them", () => {
    const klog = new KernelLog({ now: () => 0, capacity: 2 });
    for (const m of ["a", "b", "c"]) klog.log(m);
    expect(klog.dmesg().map((l) => l.slice(15))).toEqual(["b", "c"]);
    expect(klog.dropped).toBe(1);
    klog.clear();
    expect(klog.dmesg()).toEqual([]);
  });

  it("rejects a missing clock and a bad capacity", () => {
    expect(() => new KernelLog({} as never)).toThrow(TypeError);
    expect(() => new KernelLog({ now: () => 0, capacity: 0 })).toThrow(RangeError);
  });
});
