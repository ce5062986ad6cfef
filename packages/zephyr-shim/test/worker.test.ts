import { createPlatform, FVP_BaseR_AEMv8R } from "@v8r/fvp-core";
import { nodeWorkerExecutor } from "@v8r/fvp-core/node";
import { describe, expect, it } from "vitest";

interface Result {
  op: string;
  message?: string;
  kernel: { ticks: number[]; order: number[]; take: number; waited: number };
  ipc: { received: string[]; acks: string[] };
}

describe("zephyr-shim in a Worker (real clock)", () => {
  it("runs the kernel and the IPC service over openamp-wasm the same way as inline", async () => {
    const platform = createPlatform(FVP_BaseR_AEMv8R, { executor: nodeWorkerExecutor({ stopTimeoutMs: 500 }) });
    try {
      const guest = await platform.startGuest({ name: "zephyr-suite", image: new URL("./worker/suite-guest.ts", import.meta.url), cpus: [0] });
      const result = await new Promise<Result>((resolve) => {
        guest.onMessage((m) => resolve(m as Result));
        guest.post({ op: "run" });
      });
      expect(result.message).toBeUndefined();
      expect(result.kernel.order).toEqual([0, 1, 2, 3, 4]);
      expect(result.kernel.take).toBe(-11);
      expect(result.kernel.waited).toBeGreaterThanOrEqual(29);
      expect(result.kernel.ticks.length).toBeGreaterThanOrEqual(4);
      // expiry n of a 20 ms periodic timer is due at 20 * n ms: not early (beyond the host timer resolution); late is load
      result.kernel.ticks.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(20 * (i + 1) - 2));
      expect(result.ipc.received).toEqual(["m0", "m1", "m2", "m3"]);
      expect(result.ipc.acks).toEqual(["ack m0", "ack m1", "ack m2", "ack m3"]);
    } finally {
      await platform.shutdown();
    }
  });
});
