/**
 * Internal: the domain's interrupt lines as Linux shows them: the
 * `/proc/interrupts` table and the boot log lines that name them. The
 * counts are the domain's vGIC's (`ctx.interrupts()`): how often each vCPU
 * took each line.
 */
import type { InterruptLine } from "@v8r/xen-dom0less";

/** The action name Linux gives the handler of a line Xen wires (arch/arm/xen/enlighten.c requests "events"; amba-pl011 "uart-pl011"). */
function actionOf(line: InterruptLine): string {
  if (line.source === "xen-evtchn") return "events";
  if (line.source === "vpl011") return "uart-pl011";
  return line.source;
}

/**
 * `/proc/interrupts`: a header of CPU columns, one row per line (GIC ID,
 * count per vCPU, chip, hardware ID, trigger, action) and the `Err` row.
 *
 * @example
 * ```ts
 * formatProcInterrupts([{ irq: 31, source: "xen-evtchn", type: "PPI", perCpu: [12] }], 1);
 * // "           CPU0       \n 31:         12     GICv3  31 Level     events\nErr:          0\n"
 * ```
 */
export function formatProcInterrupts(lines: readonly InterruptLine[], cpus: number): string {
  const n = Math.max(1, cpus);
  const head = `${" ".repeat(11)}${Array.from({ length: n }, (_, i) => `CPU${i}`.padEnd(11)).join("")}`;
  const rows = lines.map((l) => {
    const counts = Array.from({ length: n }, (_, i) => `${String(l.perCpu[i] ?? 0).padStart(10)} `).join("");
    return `${String(l.irq).padStart(3)}: ${counts}    GICv3 ${String(l.irq).padStart(3)} Level     ${actionOf(l)}`;
  });
  return `${head}\n${rows.join("\n")}${rows.length > 0 ? "\n" : ""}Err:${"0".padStart(11)}\n`;
}

/** Boot log lines naming the lines Xen wired into the domain, e.g. `GICv3: PPI 31 (Xen event-channel upcall) -> events`. */
export function interruptBootLines(lines: readonly InterruptLine[]): string[] {
  return lines.map((l) => `GICv3: ${l.type} ${l.irq} (${l.source === "xen-evtchn" ? "Xen event-channel upcall, per vCPU" : l.source === "vpl011" ? "Xen vpl011 console receive" : l.source}) -> ${actionOf(l)}`);
}
