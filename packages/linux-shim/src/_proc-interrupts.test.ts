import type { InterruptLine } from "@v8r/xen-dom0less";
import { describe, expect, it } from "vitest";
import { createFakePair } from "../test/_fake-domain.ts";
import { formatProcInterrupts, interruptBootLines } from "./_proc-interrupts.ts";
import { bootLinux } from "./linux.ts";

const lines = [
  { irq: 31, source: "xen-evtchn", type: "PPI", perCpu: [1234, 7] },
  { irq: 32, source: "vpl011", type: "SPI", perCpu: [56, 0] },
] as const;

describe("/proc/interrupts", () => {
  it("lays out one column per vCPU and one row per line, with Linux's action names", () => {
    expect(formatProcInterrupts(lines, 2).split("\n")).toEqual([
      "           CPU0       CPU1       ",
      " 31:       1234          7     GICv3  31 Level     events",
      " 32:         56          0     GICv3  32 Level     uart-pl011",
      "Err:          0",
      "",
    ]);
  });

  it("names each wired line in the boot log", () => {
    expect(interruptBootLines(lines)).toEqual([
      "GICv3: PPI 31 (Xen event-channel upcall, per vCPU) -> events",
      "GICv3: SPI 32 (Xen vpl011 console receive) -> uart-pl011",
    ]);
  });

  it("is made from the domain's counts each time it is read, and named in dmesg", async () => {
    const { b } = createFakePair();
    let taken = 3;
    const now = (): InterruptLine[] => [{ irq: 31, source: "xen-evtchn", type: "PPI", perCpu: [taken] }];
    const linux = await bootLinux({ ...b.ctx, interrupts: now }, { shell: false });
    expect(await linux.fs.readText("/proc/interrupts")).toContain(" 31:          3     GICv3  31 Level     events\n");
    taken = 40;
    expect(await linux.fs.readText("/proc/interrupts")).toContain(" 31:         40     GICv3  31 Level     events\n");
    expect(await linux.fs.readdir("/proc")).toContain("interrupts");
    expect(linux.klog.dmesg().some((l) => l.endsWith("GICv3: PPI 31 (Xen event-channel upcall, per vCPU) -> events"))).toBe(true);
  });
});
