import { it, expect } from "vitest";
import { createPlatform, FVP_BaseR_AEMv8R, RealClock } from "@v8r/fvp-core";
import { nodeWorkerExecutor } from "@v8r/fvp-core/node";
it("probe", async () => {
  console.log(process.execArgv);
  const p = createPlatform(FVP_BaseR_AEMv8R, { clock: new RealClock(), executor: nodeWorkerExecutor() });
  p.trace.on(e=>console.log(JSON.stringify(e)));
  const g = await p.startGuest({ name: "g", image: new URL("../test/guests/_probe.ts", import.meta.url), cpus: [0] });
  const m = await new Promise(r => g.onMessage(r));
  expect(m).toEqual({ ok: "function" });
  await p.shutdown();
});
