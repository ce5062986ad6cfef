/** Test helper: a kernel on a VirtualClock with a captured console. */
import { Cpu, VirtualClock } from "@v8r/fvp-core";
import { ZephyrKernel } from "../src/kernel/kernel.ts";

export function makeKernel(opts: { heapSize?: number } = {}) {
  const clock = new VirtualClock();
  const cpu = new Cpu(0, clock);
  let out = "";
  const k = new ZephyrKernel({ clock, cpu, write: (t) => (out += t), ...(opts.heapSize !== undefined ? { heapSize: opts.heapSize } : {}) });
  return { clock, cpu, k, output: () => out };
}
