// Same seed, same everything: a --virtual-time run is a pure function of its
// seed, configuration and fault plan. Each case runs twice in this process
// (inline, Linux's root filesystem in memory) and must give byte-identical
// consoles, trace, status files; another seed must give another run (so
// the comparison is not empty). The CLI's own runs are compared in
// virtual-time.test.ts and chaos.test.ts.
import { describe, expect, it } from "vitest";
import { randomPlan } from "./_fault-plans.ts";
import { runVirtual, type VirtualRunResult, type VirtualRunSpec } from "./_virtual-system.ts";

/** The first difference between two runs, for the failure message. */
function firstDifference(a: VirtualRunResult, b: VirtualRunResult): string {
  for (const k of ["console", "trace"] as const) {
    const n = Math.max(a[k].length, b[k].length);
    for (let i = 0; i < n; i++) if (a[k][i] !== b[k][i]) return `${k} line ${i + 1}:\n  ${a[k][i]}\n  ${b[k][i]}`;
  }
  return a.html !== b.html ? "zephyr-status.html" : a.jsonText !== b.jsonText ? "zephyr-status.json" : "none";
}

async function expectReplay(spec: VirtualRunSpec): Promise<VirtualRunResult> {
  const a = await runVirtual(spec);
  const b = await runVirtual(spec);
  expect(b.digest, `${JSON.stringify(spec)}: runs differ at ${firstDifference(a, b)}`).toBe(a.digest);
  return a;
}

const CASES: VirtualRunSpec[] = [
  { seed: 1, durationMs: 20_000 },
  { seed: 2, durationMs: 20_000, periodMs: 100 },
  { seed: 3, durationMs: 65_000, periodMs: 60_000 },
  // the plans, shortened
  { seed: 1, durationMs: 25_000, faults: "drop=30%,corrupt@8s,crash:zephyr@15s" },
  { seed: 5, durationMs: 20_000, faults: "corrupt:rpmsg-shm:65536@6s" },
  // regression: the status files a destroyed Linux left depended on the wall time
  { seed: 7, durationMs: 15_000, periodMs: 100, faults: "dup=20%,destroy:linux@9s" },
  ...[11, 12, 13, 14, 15, 16].map((seed) => ({ seed, durationMs: 25_000, periodMs: [100, 500, 1000, 3000][seed % 4], faults: randomPlan(seed, { durationMs: 25_000 }).spec })),
];

describe("--virtual-time runs replay byte for byte", () => {
  it.each(CASES.map((c) => [JSON.stringify(c), c] as const))("%s", async (_name, spec) => {
    const run = await expectReplay(spec);
    expect(run.json.counters.received).toBeGreaterThan(0);
  }, 60_000);

  it("gives another run for another seed (the comparison is not empty)", async () => {
    const a = await runVirtual({ seed: 21, durationMs: 10_000 });
    const b = await runVirtual({ seed: 22, durationMs: 10_000 });
    expect(a.digest).not.toBe(b.digest);
    expect(a.json.boots[0]?.boot).not.toBe(b.json.boots[0]?.boot);
  }, 60_000);
});
