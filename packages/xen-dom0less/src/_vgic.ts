/**
 * Internal: a domain's virtual GIC. Xen on Arm gives each domain a vGIC; the
 * GIC's virtualization support gives each vCPU a virtual CPU interface. In
 * v8r it is an fvp-core {@link InterruptController} (the platform's GIC
 * model) over its own shared state, with one CPU interface per vCPU: the
 * event-channel upcall is PPI 31 on the vCPU (Xen's GUEST_EVTCHN_PPI, in
 * xen/include/public/arch-arm.h) and the vpl011 console's receive interrupt
 * is SPI 32 (GUEST_VPL011_SPI). Every thread rebuilds it from its descriptor;
 * the vCPU's run loop takes its CPU interface.
 */
import { InterruptController } from "@v8r/fvp-core";
import type { InterruptLine } from "./domain-context.ts";

/** Xen's event-channel upcall PPI on Arm (`GUEST_EVTCHN_PPI`). */
export const GUEST_EVTCHN_PPI = 31;

/** The SPI of a domain's vpl011 console (`GUEST_VPL011_SPI`). */
export const GUEST_VPL011_SPI = 32;

/** SPIs of a domain's vGIC: 32..63 (the vpl011's and room for more virtual devices). */
const VGIC_SPIS = 32;

const LINES = [
  { irq: GUEST_EVTCHN_PPI, source: "xen-evtchn", type: "PPI" },
  { irq: GUEST_VPL011_SPI, source: "vpl011", type: "SPI" },
] as const;

/** A new vGIC for a domain with `vcpus` vCPUs. */
export function createVgic(vcpus: number): InterruptController {
  return new InterruptController({ cpus: vcpus, spis: VGIC_SPIS });
}

/** The lines Xen wires into every domain, with their counts. */
export function vgicLines(gic: InterruptController): InterruptLine[] {
  return LINES.map((l) => ({ ...l, perCpu: Array.from({ length: gic.cpus }, (_, cpu) => gic.count(l.irq, cpu)) }));
}
