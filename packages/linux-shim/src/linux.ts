/**
 * Boot the Linux guest OS layer on a domain: kernel log and boot messages
 * on the console, root filesystem, `/dev/xen/evtchn`, static shared memory
 * lookup and the console shell.
 *
 * @module
 */
import { bootargFlag, parseBootargs, type DomainContext } from "@v8r/xen-dom0less";
import { interruptBootLines } from "./_proc-interrupts.ts";
import { EvtchnDevice, type EvtchnFile } from "./dev-evtchn.ts";
import { MemDevice, type MemFile } from "./dev-mem.ts";
import { uioDevices, type UioDevice, type UioFile } from "./dev-uio.ts";
import { kernelFiles } from "./_kernel-files.ts";
import { LinuxError } from "./linux-error.ts";
import { SystemFs } from "./_system-fs.ts";
import { normalizeGuestPath } from "./_guest-path.ts";
import { KernelLog } from "./kernel-log.ts";
import { LINUX_RELEASE } from "./_release.ts";
import { registerLinuxBuiltins } from "./_shell-builtins.ts";
import { MemoryRootFs } from "./rootfs-memory.ts";
import type { RootFs } from "./rootfs.ts";
import { LinuxShell } from "./shell.ts";
import { WEB_ROOT } from "./web-root.ts";
import { findXenSharedMemory, XEN_SHMEM_COMPATIBLE, type XenSharedMemory } from "./xen-shmem.ts";

export { LINUX_RELEASE };

/** Options of {@link bootLinux}. */
export interface BootLinuxOptions {
  /** Root filesystem; default an empty {@link MemoryRootFs} on the domain clock. */
  readonly rootfs?: RootFs;
  /** Host name; default `v8r64-linux`. */
  readonly hostname?: string;
  /** Start the console shell after boot (default true); with false, call `startConsole()` later. */
  readonly shell?: boolean;
}

/** A booted Linux guest. */
export interface LinuxSystem {
  /** The domain it runs on. */
  readonly ctx: DomainContext;
  /** Host name (the shell prompt shows it). */
  readonly hostname: string;
  /** The parsed kernel command line. */
  readonly cmdline: ReadonlyMap<string, string>;
  /** The root filesystem. */
  readonly rootfs: RootFs;
  /** The whole file tree: the root filesystem with the kernel's read-only `/dev`, `/sys` and `/proc` (UIO attributes, the device tree, the command line). */
  readonly fs: RootFs;
  /** The kernel log (`dmesg`). */
  readonly klog: KernelLog;
  /** Character devices. */
  readonly devices: {
    /** `/dev/xen/evtchn` (one device per system; `open()` it). */
    evtchn(): EvtchnDevice;
    /** `/dev/mem`: the static shared memory regions, mapped by physical address. */
    mem(): MemDevice;
    /** `/dev/uioN`: one per static shared memory region with `uio_pdrv_genirq.of_id=xen,shared-memory-v1` in the bootargs, else none. */
    uio(): readonly UioDevice[];
  };
  /** `open(path)` of a device file: `/dev/mem`, `/dev/uioN` or `/dev/xen/evtchn`; LinuxError ENOENT for anything else. */
  open(path: "/dev/mem"): MemFile;
  open(path: "/dev/xen/evtchn"): EvtchnFile;
  open(path: `/dev/uio${number}`): UioFile;
  open(path: string): MemFile | UioFile | EvtchnFile;
  /** Find a `xen-shmem` reserved-memory region by `xen,id` and map it. */
  findSharedMemory(id: string): XenSharedMemory;
  /** The console shell; applications register their commands on it. */
  readonly shell: LinuxShell;
  /** Milliseconds since boot on the domain clock. */
  uptimeMs(): number;
  /** Print the login banner and start the shell on the console (idempotent; bootLinux does it unless `shell: false`). */
  startConsole(): void;
}

/**
 * Boot Linux on `ctx`: print the boot log (Linux timestamps; `quiet` in the
 * bootargs keeps it out of the console but in `dmesg`), prepare the root
 * filesystem (creates `/usr/share/nginx/html`), install the devices and
 * start the shell on the console.
 *
 * @example
 * ```ts
 * export async function start(ctx: DomainContext) {
 *   const linux = await bootLinux(ctx);
 *   const { window } = linux.findSharedMemory("rpmsg-shm");
 *   const evtchn = linux.devices.evtchn().open();
 * }
 * ```
 */
export async function bootLinux(ctx: DomainContext, options: BootLinuxOptions = {}): Promise<LinuxSystem> {
  if (ctx === null || typeof ctx !== "object" || typeof ctx.console?.write !== "function") {
    throw new TypeError("[linux-shim] bootLinux needs the domain's DomainContext");
  }
  const bootMs = ctx.clock.now();
  const cmdline = parseBootargs(ctx.bootargs ?? "");
  const quiet = bootargFlag(cmdline, "quiet", false);
  const klog = new KernelLog({ now: () => ctx.clock.now(), bootMs, sink: quiet ? undefined : (line) => ctx.console.write(`${line}\n`) });
  const hostname = options.hostname ?? "v8r64-linux";
  printBootLog(ctx, klog);
  const rootfs = options.rootfs ?? new MemoryRootFs({ now: () => ctx.clock.now() });
  await ctx.clock.hold(rootfs.mkdir(WEB_ROOT, { recursive: true }));
  let evtchn: EvtchnDevice | undefined;
  const mem = new MemDevice(ctx);
  const uio = uioDevices(ctx, cmdline);
  const devices = { evtchn: () => (evtchn ??= new EvtchnDevice(ctx.evtchn, ctx.evtchnOps)), mem: () => mem, uio: () => uio };
  for (const dev of uio) klog.log(`uio_pdrv_genirq: ${dev.name}: ${dev.path} (map0 ${dev.maps[0]?.size ?? 0} bytes)`);
  klog.log("xen:xen_evtchn: Event-channel device installed");
  klog.log(`VFS: Mounted root (${rootfs instanceof MemoryRootFs ? "tmpfs" : "hostfs"} filesystem) on device 0:1.`);
  klog.log("Run /sbin/init as init process");
  const shell = new LinuxShell({ console: ctx.console, hostname });
  const system: LinuxSystem = {
    ctx,
    hostname,
    cmdline,
    rootfs,
    fs: new SystemFs(rootfs, kernelFiles(ctx, uio), bootMs),
    klog,
    devices,
    open: ((path: string) => openDevice(path, devices)) as LinuxSystem["open"],
    findSharedMemory: (id) => findXenSharedMemory(ctx, id),
    shell,
    uptimeMs: () => ctx.clock.now() - bootMs,
    startConsole: () => {
      if (consoleStarted) return;
      consoleStarted = true;
      ctx.console.write(`\nv8r64 Linux ${LINUX_RELEASE} ${hostname} hvc0\n\n`);
      shell.start();
    },
  };
  let consoleStarted = false;
  registerLinuxBuiltins(system);
  if (options.shell !== false) system.startConsole();
  return system;
}

/** The device file at `path`. */
function openDevice(path: string, devices: LinuxSystem["devices"]): MemFile | UioFile | EvtchnFile {
  const p = normalizeGuestPath(path, "the device path");
  if (p === "/dev/mem") return devices.mem().open();
  if (p === "/dev/xen/evtchn") return devices.evtchn().open();
  const uio = /^\/dev\/uio(\d+)$/.exec(p);
  const dev = uio !== null ? devices.uio()[Number(uio[1])] : undefined;
  if (dev !== undefined) return dev.open();
  throw new LinuxError("ENOENT", `[linux-shim] open ${p}: no such device (devices: /dev/mem, /dev/xen/evtchn${devices.uio().map((d) => `, ${d.path}`).join("")}; read other files through linux.fs)`);
}

function printBootLog(ctx: DomainContext, klog: KernelLog): void {
  klog.log("Booting Linux on physical CPU 0x0000000000 [0x410fd150]");
  klog.log(`Linux version ${LINUX_RELEASE} (root@v8r) (TypeScript/WebAssembly) #1 SMP PREEMPT`);
  klog.log(`Machine model: XENVM-4.18 (dom0less domU "${ctx.name}", domid ${ctx.domid})`);
  klog.log("Xen 4.18 support found");
  for (const node of ctx.reservedMemory) {
    if (node.compatible !== XEN_SHMEM_COMPATIBLE) continue;
    const end = node.address + node.size - 1;
    klog.log(
      `OF: reserved mem: ${hex16(node.address)}..${hex16(end)} (${Math.round(node.size / 1024)} KiB) map non-reusable ${node.path.split("/").pop() ?? node.path} (xen,id "${node.xenId}")`,
    );
  }
  klog.log(`Kernel command line: ${ctx.bootargs}`);
  klog.log(`Memory: ${ctx.memoryKiB}K/${ctx.memoryKiB}K available`);
  klog.log(`smp: Brought up 1 node, ${ctx.cpus.length} CPU${ctx.cpus.length === 1 ? "" : "s"}`);
  klog.log("xen:events: Using 2-level ABI");
  for (const line of interruptBootLines(ctx.interrupts())) klog.log(line);
  const ports = [...ctx.evtchn.ports()].sort((a, b) => a - b);
  klog.log(
    ports.length > 0
      ? `xen:events: static event channels bound by Xen: ${ports.map((p) => `${p} (0x${p.toString(16)})`).join(", ")}`
      : "xen:events: no static event channels",
  );
  klog.log("hvc0: console [hvc0] enabled (Xen vpl011)");
}

function hex16(n: number): string {
  return `0x${n.toString(16).padStart(16, "0")}`;
}
