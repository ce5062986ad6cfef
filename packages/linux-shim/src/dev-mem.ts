/**
 * `/dev/mem`: physical memory, mapped with `mmap(fd, length, offset =
 * physical address)`. What a Linux user on a dom0less domU does to reach a
 * static shared memory region: read its address from the device tree
 * (`/proc/device-tree/reserved-memory/xen-shmem@.../reg`) and map it. The
 * regions are reserved memory outside the domain's RAM, which
 * `CONFIG_STRICT_DEVMEM` lets user space map; v8r maps only them.
 *
 * @module
 */
import type { MemoryWindow } from "@v8r/fvp-core";
import type { DomainContext, ReservedMemoryNode } from "@v8r/xen-dom0less";
import { LinuxError } from "./linux-error.ts";
import { XEN_SHMEM_COMPATIBLE } from "./xen-shmem.ts";

/** The page size mappings are made in. */
export const PAGE_SIZE = 4096;

/** What the memory devices need from the domain. */
export type ShmemContext = Pick<DomainContext, "reservedMemory" | "mapSharedMemory">;

/**
 * A window on `length` bytes at guest physical address `phys`, which must
 * lie inside one `xen-shmem` region; LinuxError EPERM elsewhere (as
 * STRICT_DEVMEM refuses RAM), ENXIO when the hypervisor does not map it.
 */
export function mapPhysical(ctx: ShmemContext, phys: number, length: number, what: string): MemoryWindow {
  const node = ctx.reservedMemory.find((n) => n.compatible === XEN_SHMEM_COMPATIBLE && phys >= n.address && phys + length <= n.address + n.size);
  if (node === undefined) {
    const regions = ctx.reservedMemory.map((n) => `${hex(n.address)}..${hex(n.address + n.size - 1)} ("${n.xenId}")`).join(", ") || "none";
    throw new LinuxError("EPERM", `[linux-shim] ${what}: ${hex(phys)}..${hex(phys + length - 1)} is not inside a static shared memory region (regions: ${regions})`);
  }
  return windowOf(ctx, node, what).subwindow(phys - node.address, length);
}

/** The whole mapping of a region's node; LinuxError ENXIO when the hypervisor refuses it. */
export function windowOf(ctx: ShmemContext, node: ReservedMemoryNode, what: string): MemoryWindow {
  try {
    return ctx.mapSharedMemory(node.xenId);
  } catch (cause) {
    throw new LinuxError("ENXIO", `[linux-shim] ${what}: the hypervisor does not map "${node.xenId}" at ${hex(node.address)} into this domain`, { cause });
  }
}

/** Check an mmap length and offset: length >= 1, offset a multiple of the page size (EINVAL otherwise, as mmap(2)). */
export function checkMmap(length: number, offset: number, what: string): void {
  if (!Number.isInteger(length) || length < 1) throw new LinuxError("EINVAL", `[linux-shim] ${what}: length ${String(length)} is not a positive byte count`);
  if (!Number.isInteger(offset) || offset < 0 || offset % PAGE_SIZE !== 0) {
    throw new LinuxError("EINVAL", `[linux-shim] ${what}: offset ${String(offset)} is not a multiple of the ${PAGE_SIZE}-byte page`);
  }
}

/** The `/dev/mem` character device of one domain. */
export class MemDevice {
  readonly #ctx: ShmemContext;

  /** A device over the domain's reserved memory. */
  constructor(ctx: ShmemContext) {
    this.#ctx = ctx;
  }

  /** `open("/dev/mem", O_RDWR | O_SYNC)`. */
  open(): MemFile {
    return new MemFile(this.#ctx);
  }
}

/**
 * An open `/dev/mem`.
 *
 * @example
 * ```ts
 * const mem = linux.open("/dev/mem");
 * const shm = mem.mmap(0x10000, 0x7a000000); // the rpmsg-shm region's bytes
 * ```
 */
export class MemFile {
  readonly #ctx: ShmemContext;
  #closed = false;

  /** Use {@link MemDevice.open}. */
  constructor(ctx: ShmemContext) {
    this.#ctx = ctx;
  }

  /** `mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset)`: `offset` is the physical address (page aligned). */
  mmap(length: number, offset: number): MemoryWindow {
    if (this.#closed) throw new LinuxError("EBADF", "[linux-shim] /dev/mem mmap: the file is closed");
    checkMmap(length, offset, "/dev/mem mmap");
    return mapPhysical(this.#ctx, offset, length, "/dev/mem mmap");
  }

  /** Close the file (mappings stay valid, as after close(2)). */
  close(): void {
    this.#closed = true;
  }
}

/** `0x7a000000`. */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
