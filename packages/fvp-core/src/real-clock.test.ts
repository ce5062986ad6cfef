import { describe, expect, it } from "vitest";
import { RealClock } from "./real-clock.ts";

describe("RealClock", () => {
  it("counts from its origin and two clocks with the same origin agree", () => {
    const a = new RealClock();
    const b = new RealClock({ origin: a.origin });
    expect(a.kind).toBe("real");
    expect(Math.abs(a.now() - b.now())).toBeLessThan(5);
    expect(a.now()).toBeGreaterThanOrEqual(0);
  });

  it("fires a timeout after its delay and marks it inactive", async () => {
    const clock = new RealClock();
    const t0 = clock.now();
    const at = await new Promise<number>((r) => clock.setTimeout(() => r(clock.now()), 20));
    expect(at - t0).toBeGreaterThanOrEqual(15);
  });

  it("cancelled timers do not fire; intervals repeat until cancelled", async () => {
    const clock = new RealClock();
    let once = 0;
    const h = clock.setTimeout(() => once++, 5);
    h.cancel();
    let ticks = 0;
    const every = clock.setInterval(() => ticks++, 5);
    while (ticks < 3) await new Promise((r) => setTimeout(r, 5));
    every.cancel();
    const after = ticks;
    await new Promise((r) => setTimeout(r, 20));
    expect(once).toBe(0);
    expect(h.active).toBe(false);
    expect(every.active).toBe(false);
    expect(ticks).toBe(after);
  });
});
