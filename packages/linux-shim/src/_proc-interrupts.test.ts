import { describe, expect, it } from "vitest";
import { formatProcInterrupts, interruptBootLines } from "./_proc-interrupts.ts";

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
});
