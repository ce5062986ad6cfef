import { describe, expect, it } from "vitest";
import type { Executor } from "./executor.ts";
import { InlineExecutor } from "./inline-executor.ts";
import { nodeWorkerExecutor } from "./node.ts";
import { createPlatform, type Platform } from "./platform.ts";
import { FVP_BaseR_AEMv8R } from "./platform-model.ts";
import { RealClock } from "./real-clock.ts";
import type { FvpTraceEvent } from "./trace-bus.ts";
import { MemorySink } from "./uart.ts";
import { VirtualClock } from "./virtual-clock.ts";
import { WorkerExecutor } from "./worker-executor.ts";

const example = (name: string) => new URL(`../examples/${name}.ts`, import.meta.url);

/** Map the example's shared region and start pong (cpu 1) and ping (cpu 0). */
async function startPingPong(p: Platform, rounds: number) {
  p.memory.map({ base: 0x7fe0_0000, size: 0x1000, name: "shm" });
  const box = (n: number) => p.memory.window(0x7fe0_0000 + n * 128, 128).describe();
  await p.startGuest({ name: "pong", image: example("pong-guest"), cpus: [1], uart: 1, init: { inbox: box(0), outbox: box(1), peerCpu: 0 } });
  const ping = await p.startGuest({ name: "ping", image: example("ping-guest"), cpus: [0], uart: 0, init: { outbox: box(0), inbox: box(1), peerCpu: 1, rounds } });
  return { done: new Promise<unknown>((resolve) => ping.onMessage(resolve)) };
}

describe("FVP_BaseR_AEMv8R model", () => {
  it("has 4 CPUs, two DRAM banks, four UARTs 0x10000 apart and the GIC at 0xaf00_0000", () => {
    const m = FVP_BaseR_AEMv8R;
    expect(m.cpus).toBe(4);
    expect(m.memory).toEqual([
      { name: "dram0", base: 0, size: 0x8000_0000 },
      { name: "dram1", base: 0x8_8000_0000, size: 0x8000_0000 },
    ]);
    expect(m.uarts.map((u) => u.base)).toEqual([0x9c09_0000, 0x9c0a_0000, 0x9c0b_0000, 0x9c0c_0000]);
    expect(m.gic.distributor).toBe(0xaf00_0000);
  });

  it("backs memory only where something is mapped, and only inside DRAM", () => {
    const p = createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock() });
    expect(p.memory.regions()).toEqual([]);
    p.memory.map({ base: 0x8_8000_0000, size: 0x1000, name: "hi" });
    expect(() => p.memory.map({ base: 0x9c09_0000, size: 0x1000, name: "uart-regs" })).toThrow(/not inside one memory bank/);
    expect(() => p.memory.map({ base: 0x7fff_f000, size: 0x2000, name: "straddle" })).toThrow(RangeError);
  });

  it("builds one CPU and one UART per model entry and finds UARTs by name or index", () => {
    const p = createPlatform(FVP_BaseR_AEMv8R);
    expect(p.cpus.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(p.uart("uart2")).toBe(p.uarts[2]);
    expect(p.uart(1).base).toBe(0x9c0a_0000);
    expect(() => p.uart("uart9")).toThrow(/uart0, uart1, uart2, uart3/);
    expect(p.uartFor({ name: "x", image: "file:///x.js", cpus: [3] }).name).toBe("uart3");
  });

  it("refuses Worker guests on a VirtualClock", () => {
    expect(() => createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock(), executor: new WorkerExecutor() })).toThrow(/inline only/);
  });
});

describe.each<{ name: string; make: () => Executor }>([
  { name: "InlineExecutor", make: () => new InlineExecutor() },
  { name: "WorkerExecutor", make: () => nodeWorkerExecutor() },
])("two guests exchanging messages: $name", ({ make }) => {
  it("ping and pong exchange through shared memory and SGIs on real time", async () => {
    const p = createPlatform(FVP_BaseR_AEMv8R, { clock: new RealClock(), executor: make() });
    const sinks = [new MemorySink(), new MemorySink()];
    sinks.forEach((s, i) => p.uart(i).attach(s));
    try {
      const { done } = await startPingPong(p, 3);
      expect(await done).toEqual({ done: true, rounds: 3 });
      expect(sinks[0]!.lines.filter((l) => l.startsWith("ping: got"))).toHaveLength(3);
      expect(sinks[1]!.lines).toContain('pong: got "ping 3", answering');
      expect(p.cpus[0]!.stats().busyMs).toBeGreaterThanOrEqual(6); // 3 x 2 ms charged
    } finally {
      await p.shutdown();
    }
  });
});

describe("inline guests on a VirtualClock", () => {
  async function runOnce(): Promise<{ trace: string[]; now: number }> {
    const clock = new VirtualClock();
    const p = createPlatform(FVP_BaseR_AEMv8R, { clock, executor: new InlineExecutor() });
    const trace: string[] = [];
    p.trace.on((e: FvpTraceEvent) => trace.push(`${clock.now()} ${JSON.stringify(e)}`));
    const { done } = await startPingPong(p, 5);
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished && clock.now() < 10_000) await clock.run(clock.now() + 50);
    await p.shutdown();
    return { trace, now: clock.now() };
  }

  it("produces the same trace twice and runs 5 rounds in 500 virtual ms", async () => {
    const a = await runOnce();
    const b = await runOnce();
    expect(a.trace.length).toBeGreaterThan(30);
    expect(b.trace).toEqual(a.trace);
    expect(a.now).toBe(500);
    expect(a.trace.filter((l) => l.includes('"irq-handled"'))).toHaveLength(10);
  });
});
