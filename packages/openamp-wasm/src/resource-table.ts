/** A remoteproc resource table with one RPMsg vdev entry, already in shared memory. */
export interface ResourceTableLayout {
  /** Layout kind. */
  readonly kind: "resource-table";
  /** Region size in bytes. */
  readonly shmSize: number;
  /** Offset of `struct resource_table` in the region. */
  readonly tableOffset: number;
  /** Offset of the host's buffer pool (host only). */
  readonly poolOffset: number;
  /** Size of the host's buffer pool (host only). */
  readonly poolSize: number;
  /** Buffer size in bytes (header included), default 512. */
  readonly bufferSize?: number;
}

/** Vring placement written into a resource table by {@link resourceTableBytes}. */
export interface RscVringSpec {
  /** Device address (= physical address) of the vring. */
  da: number;
  /** Used-ring alignment. */
  align: number;
  /** Entries. */
  num: number;
  /** Notify id. */
  notifyid: number;
}

/**
 * The bytes of a resource table with one RPMsg vdev (features: name service),
 * as the OpenAMP Linux demo installs it; write them at `tableOffset`.
 * @example
 * const bytes = resourceTableBytes({ vrings: [
 *   { da: 0x4000, align: 0x1000, num: 256, notifyid: 1 },
 *   { da: 0x8000, align: 0x1000, num: 256, notifyid: 2 },
 * ] });
 * bytes.length; // 88
 */
export function resourceTableBytes(opts: { vrings: [RscVringSpec, RscVringSpec]; vdevNotifyId?: number }): Uint8Array {
  const bytes = new Uint8Array(88);
  const dv = new DataView(bytes.buffer);
  const put = (off: number, v: number): void => dv.setUint32(off, v, true);
  put(0, 1);
  put(4, 1);
  put(16, 0x14);
  put(0x14, 3);
  put(0x18, 7);
  put(0x1c, opts.vdevNotifyId ?? 0);
  put(0x20, 1);
  dv.setUint8(0x2d, 2);
  opts.vrings.forEach((v, i) => {
    const o = 0x30 + 20 * i;
    put(o, v.da);
    put(o + 4, v.align);
    put(o + 8, v.num);
    put(o + 12, v.notifyid);
  });
  return bytes;
}
