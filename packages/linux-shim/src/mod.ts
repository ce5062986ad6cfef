/**
 * A Linux-like guest OS for v8r: root filesystem, kernel log, console
 * shell, `/dev/xen/evtchn`, static shared memory mapping, atomic file
 * replacement and requests to the host. It runs applications; it knows
 * none (the demo's rpmsg-remote lives in `v8r-demo/apps/rpmsg-demo`).
 * This entry is portable (web-standard APIs only); a host-directory root
 * filesystem and the web server are in `@v8r/linux-shim/node`.
 *
 * @example
 * ```ts
 * import type { DomainContext } from "@v8r/xen-dom0less";
 * import { bootLinux, writeFileAtomic, WEB_ROOT } from "@v8r/linux-shim";
 *
 * export async function start(ctx: DomainContext) {
 *   const linux = await bootLinux(ctx);
 *   await writeFileAtomic(linux.rootfs, `${WEB_ROOT}/hello.html`, "<p>hello</p>");
 * }
 * ```
 * @module
 */

/** The npm name of this package. */
export const packageName = "@v8r/linux-shim";

export { RootFsErrno, RootFsError, type RootFs, type RootFsErrnoName, type RootFsStat } from "./rootfs.ts";
export { MemoryRootFs, type MemoryRootFsOptions } from "./rootfs-memory.ts";
export { formatKernelTimestamp, KernelLog, type KernelLogOptions } from "./kernel-log.ts";
export { WEB_ROOT } from "./web-root.ts";
export { writeFileAtomic } from "./write-file-atomic.ts";
// --- guest OS layer ---
export { LinuxErrno, LinuxError, type LinuxErrnoName } from "./linux-error.ts";
export {
  EVTCHN_READ_MAX_PORTS,
  EVTCHN_RING_INITIAL_SIZE,
  EvtchnDevice,
  EvtchnFile,
  IOCTL_EVTCHN_BIND_INTERDOMAIN,
  IOCTL_EVTCHN_BIND_STATIC,
  IOCTL_EVTCHN_BIND_UNBOUND_PORT,
  IOCTL_EVTCHN_NOTIFY,
  IOCTL_EVTCHN_RESET,
  IOCTL_EVTCHN_UNBIND,
  type EvtchnBindInterdomainArg,
  type EvtchnBindUnboundArg,
  type EvtchnIoctl,
  type EvtchnPortArg,
} from "./dev-evtchn.ts";
export { findXenSharedMemory, reservedMemoryDeviceTree, XEN_SHMEM_COMPATIBLE, type XenSharedMemory } from "./xen-shmem.ts";
export { MemDevice, MemFile, PAGE_SIZE } from "./dev-mem.ts";
export { UIO_OF_ID_PARAM, UioDevice, UioFile, type UioMap } from "./dev-uio.ts";
export { bootLinux, LINUX_RELEASE, type BootLinuxOptions, type LinuxSystem } from "./linux.ts";
export { LinuxShell, splitCommandLine, type LinuxShellOptions, type ShellCommand, type ShellIo } from "./shell.ts";
export { isReadFileRequest, LINUX_FILE, LINUX_READ_FILE, type LinuxFileAnswer, type LinuxReadFileRequest, MAX_READ_FILE_BYTES, serveFileReads } from "./control-file-reader.ts";
export { LINUX_REQUEST, LINUX_RESPONSE, requestHost, type LinuxRequest, type LinuxRequestAction, type LinuxRequestFields, type LinuxResponse } from "./host-request.ts";
export type { LinuxShimEvent } from "./trace-events.ts";
