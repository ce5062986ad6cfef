import { describe, expect, it } from "vitest";
import { wasiClockImports } from "./_wasi-clock.ts";
import { Waits } from "./_waits.ts";
import { realClock } from "./device-options.ts";

describe("wasiClockImports clock_time_get", () => {
  const setup = (now: number) => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const waits = new Waits({ clock: realClock, hostTime: () => 0, watchdogMs: 0, name: "t" });
    const c = wasiClockImports({ now: () => now, epochMs: 1_765_000_000_123, random: () => {}, waits, memory: () => memory });
    const get = (id: number, at: number): bigint => {
      expect(c.clock_time_get!(id as never, 0n as never, at as never)).toBe(0);
      return new DataView(memory.buffer).getBigUint64(at, true);
    };
    return { memory, get };
  };

  it("writes monotonic time in ns exactly (no rounding of a large value), and realtime from the epoch", () => {
    const ms = 86_400_000 * 90 + 0.123456; // 90 days and a fraction of a ms: over 2^52 ns
    const { get } = setup(ms);
    expect(get(1, 8)).toBe(BigInt(Math.round(ms * 1e6)));
    expect(get(0, 16)).toBe(1_765_000_000_123n * 1_000_000n + BigInt(Math.round(ms * 1e6)));
  });

  it("writes into the memory's new buffer after it grew", () => {
    const { memory, get } = setup(5.5);
    expect(get(1, 8)).toBe(5_500_000n);
    memory.grow(1);
    expect(get(1, 70_000)).toBe(5_500_000n);
  });
});
