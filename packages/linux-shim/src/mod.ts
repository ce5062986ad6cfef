/**
 * A Linux-like guest OS for v8r: root filesystem, kernel log, the status
 * history and page that the rpmsg-remote application keeps, and atomic
 * publishing of `zephyr-status.html` / `zephyr-status.json`.
 * This entry is portable (web-standard APIs only); a host-directory root
 * filesystem and the web server are in `@v8r/linux-shim/node`.
 *
 * @example
 * ```ts
 * import { MemoryRootFs, parseStatusSample, StatusHistory, StatusPublisher } from "@v8r/linux-shim";
 *
 * const fs = new MemoryRootFs();
 * const history = new StatusHistory();
 * const publisher = new StatusPublisher(fs);
 * const r = parseStatusSample(new TextEncoder().encode('{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"cpu":3.5}'));
 * if (r.ok) history.add(r.sample, Date.now());
 * else history.recordMalformed(r.reason, Date.now());
 * await publisher.publish(history);
 * console.log(await fs.readText("/usr/share/nginx/html/zephyr-status.json"));
 * ```
 * @module
 */

/** The npm name of this package. */
export const packageName = "@v8r/linux-shim";

export { RootFsErrno, RootFsError, type RootFs, type RootFsErrnoName, type RootFsStat } from "./rootfs.ts";
export { MemoryRootFs, type MemoryRootFsOptions } from "./rootfs-memory.ts";
export { formatKernelTimestamp, KernelLog, type KernelLogOptions } from "./kernel-log.ts";
export {
  MAX_SAMPLE_BYTES,
  parseStatusSample,
  STATUS_PROTOCOL_VERSION,
  type IpcCounters,
  type ParseSampleResult,
  type SampleRejectCode,
  type StatusSample,
  type ThreadStatus,
} from "./status-sample.ts";
export {
  StatusHistory,
  type BootRecord,
  type HistoryCounters,
  type HistoryEntry,
  type SampleOutcome,
  type StatusHistoryOptions,
} from "./status-history.ts";
export { renderStatusJson, renderStatusPage, statusJson, type RenderStatusPageOptions, type StatusJson } from "./status-page.ts";
export { DEFAULT_STATUS_DIR, StatusPublisher, writeFileAtomic, type StatusPublisherOptions } from "./status-publisher.ts";
// --- guest OS layer and rpmsg-remote (Linux guest half) ---
export { LinuxErrno, LinuxError, type LinuxErrnoName } from "./linux-error.ts";
export { bootargFlag, bootargInt, parseBootargs } from "./bootargs.ts";
export {
  EVTCHN_RING_SIZE,
  EvtchnDevice,
  EvtchnFile,
  IOCTL_EVTCHN_BIND_STATIC,
  IOCTL_EVTCHN_NOTIFY,
  IOCTL_EVTCHN_RESET,
  IOCTL_EVTCHN_UNBIND,
  type EvtchnIoctl,
  type EvtchnPortArg,
} from "./dev-evtchn.ts";
export { findXenSharedMemory, XEN_SHMEM_COMPATIBLE, type XenSharedMemory } from "./xen-shmem.ts";
export { bootLinux, LINUX_RELEASE, type BootLinuxOptions, type LinuxSystem } from "./linux.ts";
export { LinuxShell, splitCommandLine, type LinuxShellOptions, type ShellCommand, type ShellIo } from "./shell.ts";
export { isReadFileRequest, LINUX_FILE, LINUX_READ_FILE, type LinuxFileAnswer, type LinuxReadFileRequest, MAX_READ_FILE_BYTES, serveFileReads } from "./control-file-reader.ts";
export { LINUX_REQUEST, LINUX_RESPONSE, requestHost, type LinuxRequest, type LinuxRequestAction, type LinuxResponse } from "./host-request.ts";
export {
  DEFAULT_CTRL_TIMEOUT_MS,
  MAX_CTRL_BYTES,
  RpmsgCtrlClient,
  type CtrlCommand,
  type CtrlReply,
  type RpmsgCtrlClientOptions,
} from "./rpmsg-ctrl-client.ts";
export { LinkState, RpmsgDemoService, type LinkStateName, type RpmsgDemoCounters, type RpmsgDemoServiceOptions } from "./rpmsg-demo-service.ts";
export { RpmsgRemoteApp, rpmsgRemoteConfig, runRpmsgRemote, type RpmsgRemoteConfig, type RunRpmsgRemoteOptions } from "./rpmsg-remote-app.ts";
