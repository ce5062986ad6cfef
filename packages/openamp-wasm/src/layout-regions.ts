/**
 * Named byte ranges of a shared-memory layout: where the status byte, the
 * buffer pool and each part of each vring lie in the region. Tools that look
 * at or deliberately break a link (a dashboard, fault injection) name a part
 * of the layout instead of computing offsets themselves, so a change of the
 * layout cannot silently point them somewhere else.
 *
 * @module
 */
import type { ResourceTableLayout } from "./resource-table.ts";
import type { StaticVringsLayout } from "./static-vrings-layout.ts";

/** One named part of a layout. */
export interface LayoutRegion {
  /** Stable name, e.g. `"vring1.avail"`. */
  readonly name: string;
  /** First byte, from the start of the shared-memory region. */
  readonly offset: number;
  /** Length in bytes. */
  readonly size: number;
  /** What the bytes are, in a few words. */
  readonly description: string;
}

const alignUp = (v: number, a: number): number => Math.ceil(v / a) * a;

/** Bytes of the split-vring parts with `num` entries (virtio 1.x section 2.7: descriptor table, driver area, device area). */
function vringParts(num: number, align: number): { desc: number; avail: number; usedOffset: number; used: number } {
  const desc = 16 * num;
  const avail = 2 + 2 + 2 * num + 2; // flags, idx, ring[num], used_event
  const used = 2 + 2 + 8 * num + 2; // flags, idx, ring[num] of {id, len}, avail_event
  return { desc, avail, usedOffset: alignUp(desc + avail, align), used };
}

function vringRegions(prefix: "vring0" | "vring1", offset: number, num: number, align: number, direction: string): LayoutRegion[] {
  const p = vringParts(num, align);
  return [
    { name: prefix, offset, size: p.usedOffset + p.used, description: `vring ${direction}: descriptors, avail and used rings` },
    { name: `${prefix}.desc`, offset, size: p.desc, description: `descriptor table of the vring ${direction}` },
    { name: `${prefix}.avail`, offset: offset + p.desc, size: p.avail, description: `avail ring (driver area) of the vring ${direction}` },
    { name: `${prefix}.used`, offset: offset + p.usedOffset, size: p.used, description: `used ring (device area) of the vring ${direction}` },
  ];
}

/**
 * The named parts of `layout`, in address order of their first byte (a
 * whole vring comes before its parts). Static vrings: `status`, `buffers`,
 * `vring0` and `vring1` with `.desc`, `.avail`, `.used` each (vring 0 carries
 * remote -> host, vring 1 host -> remote). A resource-table layout: `rsc-table`
 * and `buffers` (its vrings are placed by the table itself, in shared memory).
 *
 * @example
 * ```ts
 * const parts = layoutRegions(staticVringsLayout({ shmSize: 0x10000 }));
 * parts.find((r) => r.name === "vring1.avail"); // { name: "vring1.avail", offset: 33284, size: 70, ... }
 * ```
 */
export function layoutRegions(layout: StaticVringsLayout | ResourceTableLayout): readonly LayoutRegion[] {
  if (layout.kind === "resource-table") {
    return [
      { name: "rsc-table", offset: layout.tableOffset, size: RSC_TABLE_BYTES, description: "resource table with the RPMsg vdev and its vring entries" },
      { name: "buffers", offset: layout.poolOffset, size: layout.poolSize, description: "the host's buffer pool" },
    ].sort((a, b) => a.offset - b.offset);
  }
  if (layout.kind !== "static-vrings") throw new TypeError(`[openamp-wasm] naming the parts of a layout: unknown kind ${String((layout as { kind: unknown }).kind)}`);
  const { num, align } = layout;
  return [
    { name: "status", offset: layout.statusOffset, size: align, description: "virtio device status byte (DRIVER_OK handshake)" },
    { name: "buffers", offset: layout.poolOffset, size: layout.vring1Offset - layout.poolOffset, description: `buffer pool: ${2 * num} buffers of ${layout.bufferSize} bytes` },
    ...vringRegions("vring1", layout.vring1Offset, num, align, "host -> remote"),
    ...vringRegions("vring0", layout.vring0Offset, num, align, "remote -> host"),
  ];
}

/** Size of the resource table {@link resourceTableBytes} writes (header, one offset, the vdev entry with two vrings). */
const RSC_TABLE_BYTES = 88;
