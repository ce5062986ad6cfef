import type { AddressRange } from "./physical-memory.ts";

/** One UART of a platform model. */
export interface UartModel {
  /** Name, e.g. `"uart0"`. */
  readonly name: string;
  /** MMIO base address. */
  readonly base: number;
  /** Interrupt ID (an SPI). */
  readonly irq: number;
}

/** The fixed facts of an emulated platform: CPUs, memory map, devices. */
export interface PlatformModel {
  /** Model name, e.g. `"FVP_BaseR_AEMv8R"`. */
  readonly name: string;
  /** Number of CPUs. */
  readonly cpus: number;
  /** Ranges where memory can be mapped (DRAM banks). Only mapped parts have bytes. */
  readonly memory: readonly AddressRange[];
  /** UARTs, in index order. */
  readonly uarts: readonly UartModel[];
  /** Interrupt controller: distributor and redistributor bases, number of SPIs. */
  readonly gic: { readonly distributor: number; readonly redistributor: number; readonly spis: number };
}

const UART_STRIDE = 0x1_0000;
const UART0_BASE = 0x9c09_0000;
/** UART0 is SPI 5 on the FVP Base platforms, i.e. INTID 32 + 5. */
const UART0_IRQ = 37;

/**
 * Arm's FVP_BaseR_AEMv8R (the v8-R AArch64 base platform): 4 CPUs, DRAM at
 * 0x0000_0000-0x7fff_ffff and 2 GiB at 0x8_8000_0000, PL011 UART0-3 at
 * 0x9c09_0000 + n * 0x1_0000 (INTID 37-40), GICv3 distributor at
 * 0xaf00_0000 and redistributors at 0xaf10_0000.
 */
export const FVP_BaseR_AEMv8R: PlatformModel = Object.freeze({
  name: "FVP_BaseR_AEMv8R",
  cpus: 4,
  memory: Object.freeze([
    Object.freeze({ name: "dram0", base: 0x0000_0000, size: 0x8000_0000 }),
    Object.freeze({ name: "dram1", base: 0x8_8000_0000, size: 0x8000_0000 }),
  ]),
  uarts: Object.freeze(
    [0, 1, 2, 3].map((n) => Object.freeze({ name: `uart${n}`, base: UART0_BASE + n * UART_STRIDE, irq: UART0_IRQ + n })),
  ),
  gic: Object.freeze({ distributor: 0xaf00_0000, redistributor: 0xaf10_0000, spis: 224 }),
});
