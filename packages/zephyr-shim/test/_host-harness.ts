/**
 * Test helper: rpmsg-host on a fake Zephyr domain, and a scripted remote
 * on the fake Linux domain built on the IPC service in remote role, both
 * over one link factory and one VirtualClock.
 */
import { createFakeDomainPair } from "./_fake-domain.ts";
import { VirtualClock, type Clock } from "@v8r/fvp-core";
import type { LinkFactory } from "../src/ipc/rpmsg-link.ts";
import { ipc_service_open_instance, ipc_service_register_endpoint, ipc_service_send, type IpcEndpoint } from "../src/ipc/ipc-service.ts";
import { createRpmsgIpcInstance } from "../src/ipc/rpmsg-static-vrings.ts";
import { runRpmsgHost, type RpmsgHostOptions } from "../src/rpmsg-host/rpmsg-host.ts";
import { bootZephyr } from "../src/zephyr.ts";

export interface Sample {
  v: number;
  seq: number;
  boot: string;
  t: number;
  cpu: number;
  thr: Array<[string, string, number]>;
  heap: [number, number];
  ipc: { tx: number; rt: number; ri: number; dr: number; q: number };
  per: number;
}

export async function startHost(opts: { factory: LinkFactory; bootargs?: string; shmSize?: number; options?: RpmsgHostOptions; clock?: Clock }) {
  const clock = (opts.clock ?? new VirtualClock()) as VirtualClock; // a real clock in the Worker suite, which never calls run()
  const pair = createFakeDomainPair({ clock, bootargs: opts.bootargs ?? "seed=7", ...(opts.shmSize ? { shmSize: opts.shmSize } : {}) });
  const samples: Sample[] = [];
  const sizes: number[] = [];
  const replies: Array<Record<string, unknown>> = [];
  const remoteK = bootZephyr(pair.linux.ctx);
  // No ring poll: masking its port must stop this remote from consuming (a stalled peer).
  const inst = createRpmsgIpcInstance(remoteK, { role: "remote", linkFactory: opts.factory, pollMs: 0 });
  await ipc_service_open_instance(inst);
  const dec = new TextDecoder();
  ipc_service_register_endpoint(inst, {
    name: "rpmsg-demo",
    cb: {
      received: (d) => {
        sizes.push(d.length);
        samples.push(JSON.parse(dec.decode(d)) as Sample);
      },
    },
  });
  const ctrl: IpcEndpoint = ipc_service_register_endpoint(inst, {
    name: "rpmsg-ctrl",
    cb: { received: (d) => replies.push(JSON.parse(dec.decode(d)) as Record<string, unknown>) },
  });
  const app = await runRpmsgHost(pair.zephyr.ctx, { linkFactory: opts.factory, ...opts.options });
  const command = (cmd: unknown) =>
    ipc_service_send(ctrl, new TextEncoder().encode(typeof cmd === "string" ? cmd : JSON.stringify(cmd)), { timeoutMs: 10 });
  /** Drive virtual time to `t` in 10 ms steps, waiting for real-time work (wasm instantiation) of both kernels between steps. */
  const run = async (t: number) => {
    while (clock.now() < t) {
      await clock.run(Math.min(t, clock.now() + 10));
      await app.kernel.settled();
      await remoteK.settled();
    }
  };
  return { clock, pair, app, samples, sizes, replies, command, remoteK, run };
}
