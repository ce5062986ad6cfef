/**
 * Where a domain's RAM is, guest-physical and (when static) host-physical, as Xen lays it out
 * for an Arm domU. A direct-mapped domain sees each `xen,static-mem` bank at its host address;
 * other static banks are mapped one after the other from the guest RAM base; RAM from the heap
 * sits at the guest RAM base, its host pages chosen by Xen.
 * @module
 */
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

/** One stretch of a domain's RAM. */
export interface RamBankPlan {
  /** Guest physical address. */
  readonly guestAddr: number;
  /** Host physical address; `undefined` for RAM Xen takes from its heap. */
  readonly hostAddr: number | undefined;
  /** Size in bytes. */
  readonly size: number;
}

/** How a domain's RAM is placed. */
export interface RamPlan {
  /** `"direct-map"`: static, guest == host; `"static"`: static host banks at the guest RAM base; `"heap"`: Xen allocates. */
  readonly kind: "direct-map" | "static" | "heap";
  readonly banks: readonly RamBankPlan[];
}

/** Maps `size` bytes from `host` (or the heap) onto the guest RAM banks, from `state`'s position; returns the pieces. */
function fillGuestBanks(state: { bank: number; used: number }, size: number, host: number | undefined): RamBankPlan[] {
  const out: RamBankPlan[] = [];
  let left = size;
  let at = host;
  while (left > 0) {
    const bank = GUEST_RAM_BANKS[state.bank];
    if (bank === undefined) break; // more RAM than the guest banks hold: the linter reports it
    const n = Math.min(left, bank.size - state.used);
    if (n > 0) out.push({ guestAddr: bank.addr + state.used, hostAddr: at, size: n });
    state.used += n;
    left -= n;
    if (at !== undefined) at += n;
    if (state.used >= bank.size) {
      state.bank++;
      state.used = 0;
    }
  }
  return out;
}

/** The RAM layout of `d`. */
export function planRam(d: DomainConfig): RamPlan {
  const staticMem: readonly MemoryRange[] | undefined = d.staticMem?.filter((b) => b.size > 0);
  if (staticMem !== undefined && d.directMap) {
    return { kind: "direct-map", banks: staticMem.map((b) => ({ guestAddr: b.addr, hostAddr: b.addr, size: b.size })) };
  }
  const state = { bank: 0, used: 0 };
  if (staticMem !== undefined) return { kind: "static", banks: staticMem.flatMap((b) => fillGuestBanks(state, b.size, b.addr)) };
  return { kind: "heap", banks: fillGuestBanks(state, d.memoryKiB * 1024, undefined) };
}

/** Guest-physical ranges of a domain's RAM (see {@link planRam}). */
export function guestRamRanges(domain: DomainConfig): MemoryRange[] {
  return planRam(domain).banks.map((b) => ({ addr: b.guestAddr, size: b.size }));
}

/** True when `[a, a+as)` and `[b, b+bs)` share at least one byte. */
export function rangesOverlap(a: MemoryRange, b: MemoryRange): boolean {
  return a.size > 0 && b.size > 0 && a.addr < b.addr + b.size && b.addr < a.addr + a.size;
}
