/**
 * A guest image for the Worker test: runs kernel checks and an IPC service
 * exchange (host and remote instances over openamp-wasm, on two fake
 * domains) on the platform's real clock inside a Worker, and posts what it
 * observed.
 */
import type { GuestEnv } from "@v8r/fvp-core";
import { loadOpenAmp } from "@v8r/openamp-wasm";
import { ipc_service_open_instance, ipc_service_register_endpoint, ipc_service_send, type IpcEndpoint } from "../../src/ipc/ipc-service.ts";
import { createOpenAmpLinkFactory } from "../../src/ipc/openamp-link.ts";
import { createRpmsgIpcInstance } from "../../src/ipc/rpmsg-static-vrings.ts";
import { ZephyrKernel } from "../../src/kernel/kernel.ts";
import { bootZephyr } from "../../src/zephyr.ts";
import { createFakeDomainPair } from "../_fake-domain.ts";

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

async function ipcChecks(env: GuestEnv) {
  const factory = createOpenAmpLinkFactory({ openamp: loadOpenAmp() });
  const pair = createFakeDomainPair({ clock: env.clock, shmSize: 64 * 1024 });
  const dec = new TextDecoder();
  const received: string[] = [];
  const acks: string[] = [];
  const remote = createRpmsgIpcInstance(bootZephyr(pair.linux.ctx), { role: "remote", linkFactory: factory });
  const host = createRpmsgIpcInstance(bootZephyr(pair.zephyr.ctx), { role: "host", linkFactory: factory });
  await Promise.all([ipc_service_open_instance(remote), ipc_service_open_instance(host)]);
  const echo: IpcEndpoint = ipc_service_register_endpoint(remote, {
    name: "echo",
    cb: {
      received: (d) => {
        const text = dec.decode(d.slice());
        received.push(text);
        void ipc_service_send(echo, new TextEncoder().encode(`ack ${text}`));
      },
    },
  });
  let bound = false;
  const ept: IpcEndpoint = ipc_service_register_endpoint(host, { name: "echo", cb: { bound: () => (bound = true), received: (d) => acks.push(dec.decode(d.slice())) } });
  await waitUntil(env, () => bound, 10_000);
  for (let i = 0; i < 4; i++) await ipc_service_send(ept, new TextEncoder().encode(`m${i}`));
  await waitUntil(env, () => acks.length >= 4, 10_000);
  return { received, acks };
}

/** Guest entry: wait for `{ op: "run" }`, post `{ op: "result", ... }`. */
export function start(env: GuestEnv): void {
  env.control.onMessage((m) => {
    if ((m as { op?: string }).op !== "run") return;
    void (async () => {
      try {
        env.control.post({ op: "result", kernel: await kernelChecks(env), ipc: await ipcChecks(env) });
      } catch (error) {
        env.control.post({ op: "error", message: String(error) });
      }
    })();
  });
}
