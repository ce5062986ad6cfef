/**
 * A guest image for the Worker test: runs kernel checks and rpmsg-host
 * (over openamp-wasm, with an IPC-service remote on a second fake domain)
 * on the platform's real clock inside a Worker, and posts what it observed.
 */
import type { GuestEnv } from "@v8r/fvp-core";
import { loadOpenAmp } from "@v8r/openamp-wasm";
import { createOpenAmpLinkFactory } from "../../src/ipc/openamp-link.ts";
import { startHost } from "../_host-harness.ts";
import { ZephyrKernel } from "../../src/kernel/kernel.ts";

function sleep(env: GuestEnv, ms: number): Promise<void> {
  return new Promise((resolve) => env.clock.setTimeout(resolve, ms));
}

/** Wait until `done()` holds (checked every 10 ms), at most `capMs`: a loaded machine only makes this slower. */
async function waitUntil(env: GuestEnv, done: () => boolean, capMs: number): Promise<void> {
  const until = env.clock.now() + capMs;
  while (!done() && env.clock.now() < until) await sleep(env, 10);
}

async function kernelChecks(env: GuestEnv) {
  const k = new ZephyrKernel({ clock: env.clock, write: () => {}, ...(env.cpus[0] ? { cpu: env.cpus[0] } : {}) });
  const ticks: number[] = [];
  const timer = k.k_timer_init(() => ticks.push(k.k_uptime_get()));
  k.k_timer_start(timer, 20, 20);
  const order: number[] = [];
  for (let i = 0; i < 5; i++) k.k_work_submit(k.k_work_init(() => order.push(i)));
  const sem = k.k_sem_init(0, 1);
  const t0 = k.k_uptime_get();
  const take = await k.k_sem_take(sem, 30);
  const waited = k.k_uptime_get() - t0;
  await waitUntil(env, () => ticks.length >= 4, 10_000);
  k.k_timer_stop(timer);
  return { ticks, order, take, waited };
}

async function hostChecks(env: GuestEnv) {
  const factory = createOpenAmpLinkFactory({ openamp: loadOpenAmp() });
  const h = await startHost({ factory, bootargs: "period_ms=100 seed=3", clock: env.clock, shmSize: 64 * 1024 });
  await sleep(env, 50);
  await h.command({ id: 1, cmd: "ping" });
  await waitUntil(env, () => h.samples.length >= 4, 10_000);
  await h.app.stop();
  return { seqs: h.samples.map((s) => s.seq), maxSize: Math.max(0, ...h.sizes), replies: h.replies };
}

/** Guest entry: wait for `{ op: "run" }`, post `{ op: "result", ... }`. */
export function start(env: GuestEnv): void {
  env.control.onMessage((m) => {
    if ((m as { op?: string }).op !== "run") return;
    void (async () => {
      try {
        env.control.post({ op: "result", kernel: await kernelChecks(env), host: await hostChecks(env) });
      } catch (error) {
        env.control.post({ op: "error", message: String(error) });
      }
    })();
  });
}
