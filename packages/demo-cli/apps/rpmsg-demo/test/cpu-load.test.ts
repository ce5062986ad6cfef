// The load Zephyr reports is the work it does per period (the CPU chart is
// not flat at 0 %), and it grows when the period is lowered.
import { afterEach, describe, expect, it } from "vitest";
import { sampleWorkUs } from "../zephyr-rpmsg-host/sampler.ts";
import { bootDemoSystem, type DemoSystem } from "./_demo-system.ts";

let sys: DemoSystem | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

const latestCpu = (s: DemoSystem): number => s.remote().service?.history.latest()?.sample.cpu ?? Number.NaN;

describe("the vCPU load Zephyr samples", () => {
  it("is the sampling work over one period: about ten times more at 100 ms than at 1 s", async () => {
    sys = await bootDemoSystem();
    const s = sys;
    await s.run(6000);
    const slow = latestCpu(s);
    const perSample = sampleWorkUs(5, 300) / 1000; // ms, about
    expect(slow).toBeGreaterThan(0.1);
    expect(slow).toBeLessThan(1);
    s.host().setPeriod(100);
    await s.run(3000);
    const fast = latestCpu(s);
    expect(fast).toBeGreaterThan(slow * 5);
    expect(fast).toBeGreaterThan((perSample / 100) * 100 * 0.5);
    expect(fast).toBeLessThan(20);
  });
});
