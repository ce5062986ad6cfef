import { describe, expect, it } from "vitest";
import { spawnFixture } from "../test/fixtures/_spawn.ts";
import { PhysicalMemory } from "./physical-memory.ts";

describe("acquire/release visibility across Workers", () => {
  it("a consumer Worker sees every payload a producer Worker published with storeRelease16", async () => {
    const mem = new PhysicalMemory();
    mem.map({ base: 0x7fe0_0000, size: 0x1000, name: "ring" });
    const window = mem.window(0x7fe0_0100, 16 + 16 * 8).describe();
    const producer = spawnFixture("ring-worker");
    const consumer = spawnFixture("ring-worker");
    try {
      const count = 20_000;
      const [p, c] = await Promise.all([
        producer.request<{ result: number }>({ role: "producer", window, count, slots: 8 }),
        consumer.request<{ result: number }>({ role: "consumer", window, count, slots: 8 }),
      ]);
      expect(p.result).toBe(count);
      expect(c.result).toBe(0); // no torn or stale payloads
      const w = mem.window(0x7fe0_0100, 4);
      expect(w.loadAcquire16(0)).toBe(count & 0xffff);
      expect(w.loadAcquire16(2)).toBe(count & 0xffff);
    } finally {
      await Promise.all([producer.close(), consumer.close()]);
    }
  });
});
