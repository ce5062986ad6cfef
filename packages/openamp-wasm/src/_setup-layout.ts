import type { OpenAmpExports } from "./_wasm-api.ts";
import { checkCode } from "./errors.ts";
import type { RpmsgDeviceOptions } from "./device-options.ts";
import type { ShmAccessor } from "./shm.ts";
import { shmPhysBase } from "./shm.ts";
import type { StaticVringsLayout } from "./static-vrings-layout.ts";

/**
 * Largest shared-memory region: C names region bytes by 32-bit cookies from
 * 0x40000000 up (never dereferenced), which must not wrap.
 */
export const MAX_SHM_SIZE = 0xbfff_ffff;

/** Physical addresses end here: libmetal's metal_phys_addr_t is an unsigned long, 32 bits in wasm32. */
const PHYS_LIMIT = 2 ** 32;

/** Largest buffer, header included: the header's u16 len must hold the whole payload. */
export const MAX_BUFFER_SIZE = 0xffff + 16;

function bufferSize(name: string, v: number): number {
  if (!Number.isInteger(v) || v <= 16 || v > MAX_BUFFER_SIZE) {
    throw new RangeError(`[openamp-wasm] ${name} ${v} must be an integer in 17..${MAX_BUFFER_SIZE}`);
  }
  return v;
}

/** The static-vrings buffer area (pool start up to vring 1) must hold num buffers each way. */
function checkStaticPool(layout: StaticVringsLayout, h2r: number, r2h: number): void {
  const area = layout.vring1Offset - layout.poolOffset;
  const need = layout.num * (h2r + r2h);
  if (need > area || need > layout.poolSize) {
    throw new RangeError(`[openamp-wasm] ${layout.num} buffers of ${h2r}+${r2h} bytes need ${need} bytes, the layout's buffer area has ${Math.min(area, layout.poolSize)}`);
  }
}

/** Set the module up for the layout; returns the notification ids this side receives on. */
export function setupLayout(x: OpenAmpExports, shm: ShmAccessor, opts: RpmsgDeviceOptions): number[] {
  const role = opts.role === "host" ? 0 : 1;
  const phys = opts.physBase ?? shmPhysBase(opts.shm) ?? 0;
  if (!Number.isSafeInteger(phys) || phys < 0) throw new RangeError(`[openamp-wasm] physBase ${phys} is not a non-negative integer`);
  const layout = opts.layout;
  if (layout.kind !== "static-vrings" && layout.kind !== "resource-table") {
    throw new TypeError(`[openamp-wasm] unknown layout kind ${String((layout as { kind: unknown }).kind)}`);
  }
  if (layout.shmSize > shm.size) throw new RangeError(`[openamp-wasm] layout needs ${layout.shmSize} bytes, shm has ${shm.size}`);
  if (layout.shmSize > MAX_SHM_SIZE) throw new RangeError(`[openamp-wasm] a layout of ${layout.shmSize} bytes is over the ${MAX_SHM_SIZE}-byte limit of a region`);
  if (phys + layout.shmSize > PHYS_LIMIT) {
    throw new RangeError(`[openamp-wasm] physBase 0x${phys.toString(16)} + ${layout.shmSize} bytes runs past 4 GiB, the reach of metal_phys_addr_t (unsigned long) in wasm32`);
  }
  const buf = layout.bufferSize ?? 512;
  const h2r = bufferSize("bufferSizes.hostToRemote", opts.bufferSizes?.hostToRemote ?? buf);
  const r2h = bufferSize("bufferSizes.remoteToHost", opts.bufferSizes?.remoteToHost ?? buf);
  if (layout.kind === "static-vrings") {
    checkStaticPool(layout, h2r, r2h);
    checkCode(x.v8r_setup_static(role, layout.shmSize, phys, layout.statusOffset, layout.poolOffset, layout.poolSize,
      layout.vring0Offset, layout.vring1Offset, layout.num, layout.align, h2r, r2h), "setting up static vrings");
    return [role];
  }
  checkCode(x.v8r_setup_rsc(role, layout.shmSize, phys, layout.tableOffset, layout.poolOffset, layout.poolSize, h2r, r2h),
    "setting up the resource-table vdev");
  // the vdev C found (its first RSC_VDEV entry): host receives on vring 0, remote on vring 1
  return [x.v8r_vring_notify_id(role) >>> 0];
}
