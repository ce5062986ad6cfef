import type { DomainConfig, MemoryRange } from "./dom0less-config.ts";

/**
 * RAM banks of an Arm guest's physical address space as Xen lays it out for a domU
 * (Xen's public Arm interface: bank 0 at 1 GiB for 3 GiB, bank 1 at 8 GiB).
 * RAM fills bank 0 first, then bank 1.
 */
export const GUEST_RAM_BANKS: readonly MemoryRange[] = [
  { addr: 0x4000_0000, size: 0xc000_0000 },
  { addr: 0x2_0000_0000, size: 0xfe_0000_0000 },
];

/** Guest-physical ranges of a domain's RAM: its static banks when direct-mapped, else the default banks filled in order. */
export function guestRamRanges(domain: DomainConfig): MemoryRange[] {
  if (domain.directMap && domain.staticMem !== undefined) return [...domain.staticMem];
  let left =
    domain.staticMem !== undefined ? domain.staticMem.reduce((sum, r) => sum + r.size, 0) : domain.memoryKiB * 1024;
  const out: MemoryRange[] = [];
  for (const bank of GUEST_RAM_BANKS) {
    if (left <= 0) break;
    const size = Math.min(left, bank.size);
    out.push({ addr: bank.addr, size });
    left -= size;
  }
  return out;
}

/** True when `[a, a+as)` and `[b, b+bs)` share at least one byte. */
export function rangesOverlap(a: MemoryRange, b: MemoryRange): boolean {
  return a.size > 0 && b.size > 0 && a.addr < b.addr + b.size && b.addr < a.addr + a.size;
}
