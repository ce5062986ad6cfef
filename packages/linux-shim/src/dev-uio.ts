/**
 * UIO devices (`/dev/uioN`, Linux's userspace I/O) for the static shared
 * memory regions: each region is map 0 of one device, described in
 * `/sys/class/uio/uioN/{name,version}` and
 * `/sys/class/uio/uioN/maps/map0/{addr,size,offset,name}`, and mapped with
 * `mmap(fd, size, offset = N * page size)` for map N, as libmetal and other
 * UIO users do.
 *
 * Linux's `uio_pdrv_genirq` binds the device-tree nodes whose compatible the
 * kernel command line names (`uio_pdrv_genirq.of_id=xen,shared-memory-v1`);
 * v8r exposes the `xen-shmem` regions when the bootargs say so. (On a real
 * domU the children of `/reserved-memory` are not platform devices, so the
 * region would be described by a node of its own, e.g. `generic-uio`, in a
 * passthrough device tree; what user space sees is the same.)
 *
 * @module
 */
import type { MemoryWindow } from "@v8r/fvp-core";
import type { ReservedMemoryNode } from "@v8r/xen-dom0less";
import { checkMmap, hex, PAGE_SIZE, type ShmemContext, windowOf } from "./dev-mem.ts";
import { LinuxError } from "./linux-error.ts";
import { XEN_SHMEM_COMPATIBLE } from "./xen-shmem.ts";

/** The kernel parameter naming the compatible `uio_pdrv_genirq` binds. */
export const UIO_OF_ID_PARAM = "uio_pdrv_genirq.of_id";

/** One memory map of a UIO device (`/sys/class/uio/uioN/maps/mapM`). */
export interface UioMap {
  /** `name`: the device-tree node name. */
  readonly name: string;
  /** `addr`: physical address. */
  readonly addr: number;
  /** `size`: bytes. */
  readonly size: number;
  /** `offset`: offset of the memory within its first page (0 here). */
  readonly offset: number;
}

/** A UIO device: `/dev/uio<index>`. */
export class UioDevice {
  /** N of `/dev/uioN`. */
  readonly index: number;
  /** `name` in sysfs: the device-tree node name, e.g. `xen-shmem@7a000000`. */
  readonly name: string;
  /** `version` in sysfs. */
  readonly version = "devicetree";
  /** Its maps (one per region). */
  readonly maps: readonly UioMap[];
  readonly #ctx: ShmemContext;
  readonly #node: ReservedMemoryNode;

  /** A device for a region's node; see {@link uioDevices}. */
  constructor(ctx: ShmemContext, node: ReservedMemoryNode, index: number) {
    this.#ctx = ctx;
    this.#node = node;
    this.index = index;
    this.name = node.path.split("/").pop() ?? node.path;
    this.maps = [{ name: this.name, addr: node.address, size: node.size, offset: 0 }];
  }

  /** Its device file path. */
  get path(): string {
    return `/dev/uio${this.index}`;
  }

  /** The sysfs files of the device, by path relative to `/sys/class/uio/uioN`: the text Linux shows. */
  sysfs(): ReadonlyMap<string, string> {
    const files = new Map<string, string>([
      ["name", `${this.name}\n`],
      ["version", `${this.version}\n`],
      ["event", "0\n"],
    ]);
    this.maps.forEach((m, i) => {
      files.set(`maps/map${i}/name`, `${m.name}\n`);
      files.set(`maps/map${i}/addr`, `0x${m.addr.toString(16).padStart(16, "0")}\n`);
      files.set(`maps/map${i}/size`, `0x${m.size.toString(16).padStart(16, "0")}\n`);
      files.set(`maps/map${i}/offset`, `0x${m.offset.toString(16)}\n`);
    });
    return files;
  }

  /** `open("/dev/uioN", O_RDWR | O_SYNC)`. */
  open(): UioFile {
    return new UioFile(this, () => windowOf(this.#ctx, this.#node, `${this.path} mmap`));
  }
}

/** An open `/dev/uioN`. */
export class UioFile {
  readonly #dev: UioDevice;
  readonly #map0: () => MemoryWindow;
  #closed = false;

  /** Use {@link UioDevice.open}. */
  constructor(dev: UioDevice, map0: () => MemoryWindow) {
    this.#dev = dev;
    this.#map0 = map0;
  }

  /** `mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, N * page size)`: map N, from its start; EINVAL for a map that does not exist or a length over it. */
  mmap(length: number, offset: number): MemoryWindow {
    const what = `${this.#dev.path} mmap`;
    if (this.#closed) throw new LinuxError("EBADF", `[linux-shim] ${what}: the file is closed`);
    checkMmap(length, offset, what);
    const index = offset / PAGE_SIZE;
    const map = this.#dev.maps[index];
    if (map === undefined) throw new LinuxError("EINVAL", `[linux-shim] ${what}: offset ${hex(offset)} selects map ${index}, and the device has ${this.#dev.maps.length}`);
    if (length > Math.ceil(map.size / PAGE_SIZE) * PAGE_SIZE) {
      throw new LinuxError("EINVAL", `[linux-shim] ${what}: ${length} bytes is over map ${index} (${map.size} bytes)`);
    }
    const window = this.#map0();
    return window.subwindow(0, Math.min(length, window.size));
  }

  /** `read()`: waits for an interrupt count; a shared memory region has no interrupt (EIO, as Linux answers for a device without one). */
  read(): Promise<number> {
    return Promise.reject(new LinuxError("EIO", `[linux-shim] ${this.#dev.path} read: the device has no interrupt (use /dev/xen/evtchn for the doorbell)`));
  }

  /** Close the file (mappings stay valid). */
  close(): void {
    this.#closed = true;
  }
}

/** The UIO devices of a domain whose kernel command line has `uio_pdrv_genirq.of_id` = the xen-shmem compatible: one per region, in device-tree order. */
export function uioDevices(ctx: ShmemContext, cmdline: ReadonlyMap<string, string>): UioDevice[] {
  if (cmdline.get(UIO_OF_ID_PARAM) !== XEN_SHMEM_COMPATIBLE) return [];
  return ctx.reservedMemory.filter((n) => n.compatible === XEN_SHMEM_COMPATIBLE).map((n, i) => new UioDevice(ctx, n, i));
}
