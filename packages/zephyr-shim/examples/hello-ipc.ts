/**
 * The README's minimal guest image: Zephyr as RPMsg host on "rpmsg-shm",
 * sending its uptime every second on "rpmsg-demo" once it is bound.
 *
 * @module
 */
import type { DomainContext } from "@v8r/xen-dom0less";
import {
  bootZephyr,
  createRpmsgIpcInstance,
  ipc_service_open_instance,
  ipc_service_register_endpoint,
  ipc_service_send,
  K_MSEC,
} from "../src/mod.ts";

/** Guest entry point. */
export async function start(ctx: DomainContext): Promise<void> {
  const k = bootZephyr(ctx, { appName: "hello-ipc", version: "v0.1.0" });
  const log = k.LOG_MODULE_REGISTER("hello");

  // RPMsg host over the static shm region "rpmsg-shm", doorbell = static event channel 0xa
  const ipc0 = createRpmsgIpcInstance(k, { role: "host", shmId: "rpmsg-shm", port: 0xa });
  await ipc_service_open_instance(ipc0);

  const ept = ipc_service_register_endpoint(ipc0, {
    name: "rpmsg-demo",
    cb: {
      bound: () => log.LOG_INF("endpoint bound"),
      received: (data) => log.LOG_INF("received %d bytes", data.length),
    },
  });

  const timer = k.k_timer_init(() => {
    if (ept.bound) void ipc_service_send(ept, new TextEncoder().encode(`uptime ${k.k_uptime_get()}`));
  });
  k.k_timer_start(timer, K_MSEC(1000), K_MSEC(1000));
}
