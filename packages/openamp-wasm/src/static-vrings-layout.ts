/** Zephyr "static vrings" placement of one RPMsg link in a shared-memory region. */
export interface StaticVringsLayout {
  /** Layout kind. */
  readonly kind: "static-vrings";
  /** Region size in bytes. */
  readonly shmSize: number;
  /** MEM_ALIGNMENT (Zephyr Kconfig default 4). */
  readonly align: number;
  /** Buffer size in bytes (header included). */
  readonly bufferSize: number;
  /** Entries per vring. */
  readonly num: number;
  /** Offset of the virtio status byte. */
  readonly statusOffset: number;
  /** Offset and size of the buffer pool. */
  readonly poolOffset: number;
  /** Size of the buffer pool (shm_size(num)). */
  readonly poolSize: number;
  /** Offset of vring 0 (remote -> host; Zephyr's tx_addr). */
  readonly vring0Offset: number;
  /** Offset of vring 1 (host -> remote; Zephyr's rx_addr). */
  readonly vring1Offset: number;
}

const alignUp = (v: number, a: number): number => Math.ceil(v / a) * a;

/** Bytes of a split vring with num entries and used-ring alignment align. */
export function vringSize(num: number, align: number): number {
  return alignUp(16 * num + 4 + 2 * num + 2, align) + 4 + 8 * num + 2;
}

/**
 * Compute the static-vrings layout exactly as Zephyr's ipc_rpmsg_static_vrings
 * does: num is the largest n with shm_size(n) < shmSize - status area, rounded
 * down to a power of two (num = 32 for 64 KiB with the defaults).
 * @example
 * const layout = staticVringsLayout({ shmSize: 0x10000 });
 * layout.num; // 32
 */
export function staticVringsLayout(opts: { shmSize: number; align?: number; bufferSize?: number }): StaticVringsLayout {
  const { shmSize } = opts;
  const align = opts.align ?? 4;
  const bufferSize = opts.bufferSize ?? 512;
  if (!Number.isInteger(shmSize) || shmSize <= 0) throw new RangeError(`[openamp-wasm] shmSize ${shmSize} is not a positive integer`);
  if (!Number.isInteger(align) || align <= 0 || (align & (align - 1)) !== 0) throw new RangeError(`[openamp-wasm] align ${align} is not a power of two`);
  if (!Number.isInteger(bufferSize) || bufferSize <= 16) throw new RangeError(`[openamp-wasm] bufferSize ${bufferSize} must exceed the 16-byte header`);
  const statusSize = align;
  const ringBytes = (n: number): number => alignUp(bufferSize * n, align);
  const need = (n: number): number => 2 * (ringBytes(n) + alignUp(vringSize(n, align), align));
  const available = shmSize - statusSize;
  let nMax = 0;
  while (need(nMax + 1) < available) nMax++;
  if (nMax < 1) throw new RangeError(`[openamp-wasm] a ${shmSize}-byte region is too small for static vrings`);
  let num = 1;
  while (num * 2 <= nMax && num * 2 <= 32768) num *= 2;
  const poolOffset = alignUp(statusSize, align);
  const vring1Offset = poolOffset + 2 * ringBytes(num);
  const vring0Offset = alignUp(vring1Offset + vringSize(num, align), align);
  return { kind: "static-vrings", shmSize, align, bufferSize, num, statusOffset: 0, poolOffset, poolSize: need(num), vring0Offset, vring1Offset };
}
