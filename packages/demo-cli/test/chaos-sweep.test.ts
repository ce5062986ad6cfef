// The chaos sweep: random fault plans from the whole fault menu (drop,
// delay, duplicate, corruption of 1 byte up to the whole region, crash,
// restart and pause of either domain, and their combinations) over seeds
// and sampling periods from 100 ms to 60 s, each run twice in virtual time
// in this process. Every run must keep the recovery guarantees (see
// _chaos-checks.ts and the README's "Guarantees under faults") and replay
// byte for byte. A failing case names its seed: rerun it with
// `v8r-demo --virtual-time --seed N --period P --duration D --faults SPEC`.
import { describe, expect, it } from "vitest";
import { checkRun } from "./_chaos-checks.ts";
import { SWEEP_PERIODS, sweepCase } from "./_fault-plans.ts";
import { runVirtual } from "./_virtual-system.ts";

/** Rounds of plans, each covering every period once, and the first seed: `V8R_CHAOS_ROUNDS=50 V8R_CHAOS_SEED=5000` sweeps further. */
const ROUNDS = Number(process.env["V8R_CHAOS_ROUNDS"] ?? 4);
const FIRST_SEED = Number(process.env["V8R_CHAOS_SEED"] ?? 1000);

describe("chaos sweep: liveness, accounting and determinism under random fault plans", () => {
  for (let round = 0; round < ROUNDS; round++) {
    const cases = SWEEP_PERIODS.map((p, i) => sweepCase(FIRST_SEED + round * SWEEP_PERIODS.length + i, p));
    it.each(cases.map((c) => [`seed ${c.seed}, period ${c.periodMs} ms: ${c.plan.spec}`, c] as const))("%s", async (_name, c) => {
      const spec = { seed: c.seed, periodMs: c.periodMs, durationMs: c.durationMs, faults: c.plan.spec };
      const run = await runVirtual(spec);
      const report = checkRun(run, c.plan, c.durationMs);
      expect(report.violations, `${JSON.stringify(spec)}\n${run.console.filter((l) => /rpmsg|fault/.test(l)).slice(-40).join("\n")}`).toEqual([]);
      expect(report.delivered).toBeGreaterThan(0);
      const again = await runVirtual(spec);
      expect(again.digest, "the same seed and plan gave another run").toBe(run.digest);
    }, 120_000);
  }
});
