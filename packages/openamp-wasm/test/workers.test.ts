import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { openamp } from "./_pair.ts";

interface Result { role: string; sent: number[]; received: number[]; errors: string[]; stats: { ioFaults: number; droppedMalformed: number } }

function run(data: object): Promise<Result> {
  const url = new URL("./_link-worker.ts", import.meta.url).href;
  const w = new Worker(new URL("./_worker-bootstrap.mjs", import.meta.url), { workerData: { ...data, url } });
  return new Promise((resolve, reject) => {
    w.once("message", (m: Result) => { resolve(m); void w.terminate(); });
    w.once("error", reject);
  });
}

describe("host and remote in two Workers on one SharedArrayBuffer", () => {
  it.each([
    { endpoints: 1, total: 100_000 },
    { endpoints: 4, total: 5_000 },
  ])("carries $total messages of random sizes each way on each of $endpoints endpoint(s), in order", async ({ endpoints, total }) => {
    const oa = await openamp();
    const shm = new SharedArrayBuffer(0x10000);
    const bells = new SharedArrayBuffer(16);
    // the compiled module is posted to both Workers
    const [host, remote] = await Promise.all([
      run({ module: oa.module, shm, bells, role: "host", total, endpoints }),
      run({ module: oa.module, shm, bells, role: "remote", total, endpoints }),
    ]);
    for (const r of [host, remote]) {
      expect(r.errors).toEqual([]);
      expect(r.sent).toEqual(Array(endpoints).fill(total));
      expect(r.received).toEqual(Array(endpoints).fill(total));
      expect(r.stats.ioFaults).toBe(0);
      expect(r.stats.droppedMalformed).toBe(0);
    }
  }, 60_000);
});
