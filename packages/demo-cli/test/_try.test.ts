import { it } from "vitest";
import { runVirtual } from "./_virtual-system.ts";
it("try", async () => {
  await runVirtual({ seed: 1, durationMs: 5_000 });
  const t0 = performance.now();
  const r = await runVirtual({ seed: 2, durationMs: 20_000, periodMs: 100 });
  console.log("RUN", performance.now() - t0, r.trace.length, r.json.counters.received);
}, 60_000);
