/**
 * Internal: the kernel's read-only files of a booted Linux guest: device
 * nodes in `/dev`, UIO attributes in `/sys/class/uio`, the reserved-memory
 * part of the device tree (`/proc/device-tree`, also under
 * `/sys/firmware/devicetree/base`), `/proc/cmdline` and `/proc/interrupts`.
 */
import type { DomainContext } from "@v8r/xen-dom0less";
import type { UioDevice } from "./dev-uio.ts";
import { formatProcInterrupts } from "./_proc-interrupts.ts";
import type { KernelFile } from "./_system-fs.ts";
import { reservedMemoryDeviceTree } from "./xen-shmem.ts";

/** The files, by absolute path. */
export function kernelFiles(ctx: Pick<DomainContext, "bootargs" | "reservedMemory" | "interrupts" | "cpus">, uio: readonly UioDevice[]): Map<string, KernelFile> {
  const enc = new TextEncoder();
  const files = new Map<string, KernelFile>([
    ["/dev/mem", "chardev"],
    ["/dev/xen/evtchn", "chardev"],
    ["/proc/cmdline", enc.encode(`${ctx.bootargs}\n`)],
    ["/proc/interrupts", () => enc.encode(formatProcInterrupts(ctx.interrupts(), ctx.cpus.length))],
  ]);
  for (const dev of uio) {
    files.set(dev.path, "chardev");
    for (const [rel, text] of dev.sysfs()) files.set(`/sys/class/uio/uio${dev.index}/${rel}`, enc.encode(text));
  }
  for (const [rel, bytes] of reservedMemoryDeviceTree(ctx.reservedMemory)) {
    files.set(`/proc/device-tree/${rel}`, bytes);
    files.set(`/sys/firmware/devicetree/base/${rel}`, bytes);
  }
  return files;
}
