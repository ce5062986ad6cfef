/**
 * A Zephyr-like guest OS for v8r: the slice of the Zephyr kernel API that
 * ported code expects (uptime, sleeping, `k_timer`, `k_work`, `k_sem`,
 * `k_mutex`, `k_msgq`, `k_fifo`, `k_event`, `k_poll`, threads with runtime
 * statistics, heap statistics, `printk` and logging), Zephyr's Xen event
 * channel API with its hypercalls, the IPC service with an RPMsg static-vrings backend
 * over Xen static shared memory. It runs applications and knows none (the
 * demo's rpmsg-host lives in `v8r-demo/apps/rpmsg-demo`).
 *
 * Zephyr's functions keep their names and are methods of the kernel object
 * that {@link bootZephyr} returns (one per domain; no global state).
 *
 * @example
 * ```ts
 * import type { DomainContext } from "@v8r/xen-dom0less";
 * import {
 *   bootZephyr, createRpmsgIpcInstance, ipc_service_open_instance,
 *   ipc_service_register_endpoint, ipc_service_send,
 * } from "@v8r/zephyr-shim";
 *
 * export async function start(ctx: DomainContext) {
 *   const k = bootZephyr(ctx, { appName: "hello-ipc", version: "v0.1.0" });
 *   const log = k.LOG_MODULE_REGISTER("hello");
 *   const ipc0 = createRpmsgIpcInstance(k, { role: "host", shmId: "rpmsg-shm", port: 0xa });
 *   await ipc_service_open_instance(ipc0);
 *   const ept = ipc_service_register_endpoint(ipc0, {
 *     name: "rpmsg-demo",
 *     cb: {
 *       bound: () => void ipc_service_send(ept, new TextEncoder().encode("hello")),
 *       received: (data) => log.LOG_INF("got %d bytes", data.length),
 *     },
 *   });
 * }
 * ```
 * @module
 */

export { bootBanner, bootZephyr, Zephyr, ZEPHYR_VERSION, type BootOptions } from "./zephyr.ts";
export { ZephyrKernel, type KernelOptions, type ThreadOptions } from "./kernel/kernel.ts";
export { KThread, ThreadState, type k_thread_entry_t, type k_thread_runtime_stats_t, type ThreadStateName } from "./kernel/thread.ts";
export { KTimer, type k_timer_fn } from "./kernel/k-timer.ts";
export { KWork, KWorkDelayable, KWorkQueue, type k_work_handler_t } from "./kernel/k-work.ts";
export { KSem } from "./kernel/k-sem.ts";
export { KMutex } from "./kernel/k-mutex.ts";
export { KMsgq, type k_msgq_attrs } from "./kernel/k-msgq.ts";
export { KFifo } from "./kernel/k-fifo.ts";
export { KEvent } from "./kernel/k-event.ts";
export {
  K_POLL_MODE_NOTIFY_ONLY,
  K_POLL_STATE_CANCELLED,
  K_POLL_STATE_DATA_AVAILABLE,
  K_POLL_STATE_FIFO_DATA_AVAILABLE,
  K_POLL_STATE_MSGQ_DATA_AVAILABLE,
  K_POLL_STATE_NOT_READY,
  K_POLL_STATE_SEM_AVAILABLE,
  K_POLL_STATE_SIGNALED,
  K_POLL_TYPE_DATA_AVAILABLE,
  K_POLL_TYPE_FIFO_DATA_AVAILABLE,
  K_POLL_TYPE_IGNORE,
  K_POLL_TYPE_MSGQ_DATA_AVAILABLE,
  K_POLL_TYPE_SEM_AVAILABLE,
  K_POLL_TYPE_SIGNAL,
  KPollEvent,
  KPollSignal,
  type Pollable,
} from "./kernel/k-poll.ts";
export { KHeap, type HeapBlock, type sys_memory_stats } from "./kernel/k-heap.ts";
export { formatLogTimestamp, formatPrintf, Logger, LogLevel, type LogLevelValue } from "./kernel/log.ts";
export { K_FOREVER, K_MSEC, K_NO_WAIT, K_SECONDS, type k_timeout_t } from "./kernel/timeout.ts";
export { Errno, type ErrnoName } from "./kernel/errno.ts";
export { EVTCHN_2L_NR_CHANNELS, XenEvents, type evtchn_cb_t, type evtchn_status_t } from "./xen-events.ts";
export { DOMID_SELF, EVTCHNSTAT } from "@v8r/xen-dom0less";
export { IpcError } from "./ipc/ipc-error.ts";
export {
  ipc_service_close_instance,
  ipc_service_deregister_endpoint,
  ipc_service_drop_tx_buffer,
  ipc_service_get_tx_buffer,
  ipc_service_get_tx_buffer_size,
  ipc_service_hold_rx_buffer,
  ipc_service_open_instance,
  ipc_service_register_endpoint,
  ipc_service_release_rx_buffer,
  ipc_service_send,
  ipc_service_send_nocopy,
  IpcEndpoint,
  IpcInstance,
  type ipc_ept_cfg,
  type ipc_service_cb,
  type IpcBackend,
  type IpcTxBuffer,
  RPMSG_SEND_TIMEOUT_MS,
  type SendOptions,
} from "./ipc/ipc-service.ts";
export { createRpmsgIpcInstance, RpmsgStaticVringsBackend, type RpmsgStaticVringsConfig } from "./ipc/rpmsg-static-vrings.ts";
export {
  LinkError,
  RPMSG_ADDR_ANY,
  type LinkEndpoint,
  type LinkEndpointOptions,
  type LinkFactory,
  type LinkHeldBuffer,
  type LinkOptions,
  type LinkTxBuffer,
  type RpmsgLink,
} from "./ipc/rpmsg-link.ts";
export { createOpenAmpLinkFactory, type OpenAmpLinkFactoryOptions } from "./ipc/openamp-link.ts";
export { zephyrProgramImports } from "./wasi-zephyr-api.ts";

/** The npm name of this package. */
export const packageName = "@v8r/zephyr-shim";
