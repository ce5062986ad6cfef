/**
 * Static shared memory as a Linux domU finds it: a
 * `/reserved-memory/xen-shmem@<addr>` node with `compatible =
 * "xen,shared-memory-v1"` and `xen,id`, mapped by its address.
 *
 * @module
 */
import type { MemoryWindow } from "@v8r/fvp-core";
import type { DomainContext, ReservedMemoryNode } from "@v8r/xen-dom0less";
import { LinuxError } from "./linux-error.ts";

/** The compatible string of a static shared memory reserved-memory node. */
export const XEN_SHMEM_COMPATIBLE = "xen,shared-memory-v1";

/** A mapped static shared memory region. */
export interface XenSharedMemory {
  /** The reserved-memory node it was found through. */
  readonly node: ReservedMemoryNode;
  /** The mapping (guest physical `node.address`, `node.size` bytes). */
  readonly window: MemoryWindow;
}

/**
 * Find the reserved-memory node whose `xen,id` is `id` and map it.
 * Fails with ENOENT when the device tree has no such node or the hypervisor
 * does not map it, and with EINVAL when the mapping's size disagrees with the node.
 *
 * @example
 * ```ts
 * const { node, window } = findXenSharedMemory(ctx, "rpmsg-shm");
 * console.log(node.path, window.size);
 * ```
 */
export function findXenSharedMemory(ctx: Pick<DomainContext, "reservedMemory" | "mapSharedMemory">, id: string): XenSharedMemory {
  if (typeof id !== "string" || id === "") throw new TypeError("[linux-shim] findXenSharedMemory needs a non-empty xen,id");
  const node = ctx.reservedMemory.find((n) => n.compatible === XEN_SHMEM_COMPATIBLE && n.xenId === id);
  if (node === undefined) {
    const known = ctx.reservedMemory.map((n) => `"${n.xenId}"`).join(", ") || "none";
    throw new LinuxError("ENOENT", `[linux-shim] looking up static shared memory "${id}": no xen-shmem reserved-memory node has that xen,id (found: ${known})`);
  }
  let window: MemoryWindow;
  try {
    window = ctx.mapSharedMemory(id);
  } catch (cause) {
    throw new LinuxError("ENOENT", `[linux-shim] mapping static shared memory "${id}" at ${hex(node.address)}: the hypervisor refused`, { cause });
  }
  if (window.size < node.size) {
    throw new LinuxError("EINVAL", `[linux-shim] mapping static shared memory "${id}": the mapping has ${window.size} bytes, the node says ${node.size}`);
  }
  return { node, window: window.size === node.size ? window : window.subwindow(0, node.size) };
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
