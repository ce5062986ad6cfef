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

/**
 * The files Linux shows for the domain's `/reserved-memory` node and its
 * `xen-shmem` children under `/proc/device-tree` (and
 * `/sys/firmware/devicetree/base`), by path relative to that directory:
 * strings NUL-terminated, cells big-endian, two address and two size cells
 * as in the device tree Xen writes for a domU. This is where code written
 * for a real domU finds the address to map through `/dev/mem`.
 *
 * @example
 * ```ts
 * const reg = await linux.fs.readFile("/proc/device-tree/reserved-memory/xen-shmem@7a000000/reg");
 * const view = new DataView(reg.buffer);
 * const addr = Number(view.getBigUint64(0)); // 0x7a000000
 * ```
 */
export function reservedMemoryDeviceTree(nodes: readonly ReservedMemoryNode[]): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const shm = nodes.filter((n) => n.compatible === XEN_SHMEM_COMPATIBLE);
  if (shm.length === 0) return files;
  files.set("reserved-memory/name", cString("reserved-memory"));
  files.set("reserved-memory/#address-cells", cells(2));
  files.set("reserved-memory/#size-cells", cells(2));
  files.set("reserved-memory/ranges", new Uint8Array(0));
  for (const n of shm) {
    const dir = `reserved-memory/${n.path.split("/").pop() ?? n.path}`;
    files.set(`${dir}/name`, cString((n.path.split("/").pop() ?? n.path).split("@")[0] ?? ""));
    files.set(`${dir}/compatible`, cString(n.compatible));
    files.set(`${dir}/reg`, cells(...u64(n.address), ...u64(n.size)));
    files.set(`${dir}/xen,id`, cString(n.xenId));
  }
  return files;
}

function cString(s: string): Uint8Array {
  return new TextEncoder().encode(`${s}\0`);
}

function u64(n: number): [number, number] {
  return [Math.floor(n / 2 ** 32), n >>> 0];
}

function cells(...values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint32(4 * i, v));
  return out;
}
