// One interrupt path: the event-channel upcall and the console's receive
// interrupt reach a domain through its vGIC (fvp-core's GIC model), counted
// per line and per vCPU, inline and in Workers.
import { afterEach, describe, expect, it } from "vitest";
import { boot, MODES, pairDomains, type System } from "../test/guests/_harness.ts";

let sys: System | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

const countOf = (s: System, domain: string, irq: number): number => s.xen.interrupts(domain).find((l) => l.irq === irq)?.perCpu[0] ?? -1;

describe.each(MODES)("interrupts through the vGIC (%s)", (mode) => {
  it("takes one event-channel upcall (PPI 31) per send that raised it, and the guest sees the same counts", async () => {
    sys = await boot(mode, pairDomains({ a: {}, b: {} }));
    const s = sys;
    await s.waitFor((e) => e.type === "probe-up" && e["domain"] === "b");
    await s.act("b", { op: "bind", port: 10 });
    for (let k = 1; k <= 3; k++) {
      await s.act("a", { op: "send", port: 10 });
      await s.waitFor(() => s.of("probe-event", "b").length === k);
    }
    expect(countOf(s, "b", 31)).toBe(3);
    expect(countOf(s, "a", 31)).toBe(0);
    await s.act("b", { op: "irqs" });
    expect(s.of("probe-irqs", "b").at(-1)?.["lines"]).toEqual([
      { irq: 31, source: "xen-evtchn", type: "PPI", perCpu: [3] },
      { irq: 32, source: "vpl011", type: "SPI", perCpu: [0] },
    ]);
  });

  it("hands console input over from the UART's interrupt and the vpl011's (SPI 32), each counted", async () => {
    sys = await boot(mode, pairDomains({ a: {}, b: {} }));
    const s = sys;
    await s.waitFor((e) => e.type === "probe-up" && e["domain"] === "b");
    const uart = s.xen.console("b");
    uart.input("uptime\n");
    const got = await s.waitFor((e) => e.type === "probe-input" && e["domain"] === "b");
    expect(got["text"]).toBe("uptime\n");
    expect(countOf(s, "b", 32)).toBe(1);
    expect(s.platform.gic.count(uart.irq, s.platform.gic.target(uart.irq))).toBe(1);
  });

  it("starts a restarted instance with its counts at zero and nothing pending", async () => {
    sys = await boot(mode, pairDomains({ a: {}, b: {} }));
    const s = sys;
    await s.waitFor((e) => e.type === "probe-up" && e["domain"] === "b");
    await s.act("b", { op: "bind", port: 10 });
    await s.act("a", { op: "send", port: 10 });
    await s.waitFor((e) => e.type === "probe-event" && e["domain"] === "b");
    expect(countOf(s, "b", 31)).toBe(1);
    await s.xen.restart("b");
    await s.waitFor((e) => e.type === "probe-up" && e["domain"] === "b" && s.of("probe-up", "b").length === 2);
    expect(countOf(s, "b", 31)).toBe(0);
    await s.act("b", { op: "bind", port: 10 });
    await s.act("a", { op: "send", port: 10 });
    await s.waitFor(() => s.of("probe-event", "b").length === 2);
    expect(countOf(s, "b", 31)).toBe(1);
  });
});
