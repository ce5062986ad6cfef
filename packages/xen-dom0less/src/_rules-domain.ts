/** Internal: rules about each domain on its own: vCPUs, kernel, memory, static memory, vCPU affinity nodes. */
import { getProperty, isCompatible, propertyCells, propertyString, type DtNode } from "./device-tree.ts";
import type { DomainConfig } from "./dom0less-config.ts";
import { formatBytes, hex } from "./_diag.ts";
import type { RuleContext } from "./_rule-context.ts";
import { VCPU_COMPATIBLE } from "./_config-readers.ts";

/** Most vCPUs Xen gives one domain on Arm64 (`MAX_VIRT_CPUS`). */
export const MAX_VCPUS = 128;
/** Xen's page size: static memory and static shared memory are placed in whole pages. */
export const PAGE_SIZE = 0x1000;

/** Runs the per-domain rules. */
export function checkDomains(ctx: RuleContext): void {
  for (const d of ctx.config.domains) {
    const n = ctx.node(d.path);
    if (n === undefined) continue;
    checkCpus(ctx, d, n);
    checkKernel(ctx, d, n);
    checkStaticMemory(ctx, d, n);
    for (const child of n.children) if (isCompatible(child, VCPU_COMPATIBLE)) checkVcpuNode(ctx, d, child);
  }
}

function checkCpus(ctx: RuleContext, d: DomainConfig, n: DtNode): void {
  if (d.cpus > MAX_VCPUS) {
    ctx.sink.add("cpus-over-limit", n, `${d.name} asks for ${d.cpus} vCPUs; Xen on Arm64 gives a domain at most ${MAX_VCPUS}`, "cpus");
  } else if (d.cpus > ctx.platformCpus) {
    const sched = /\bsched=null\b/.test(ctx.config.xenBootargs ?? "") ? " (with sched=null the vCPUs beyond the physical CPUs never run)" : "";
    ctx.sink.add("cpus-over-platform", n, `Xen accepts this, but ${d.name} asks for ${d.cpus} vCPUs and the platform has ${ctx.platformCpus} CPUs, so its vCPUs share physical CPUs${sched}`, "cpus");
  }
}

function checkKernel(ctx: RuleContext, d: DomainConfig, n: DtNode): void {
  if (d.kernel === undefined) {
    ctx.sink.add("kernel-missing", n, `${d.name} has no kernel module (a sub-node with compatible = "multiboot,kernel", "multiboot,module")`);
  } else if (d.kernel.reg === undefined && d.kernel.image === undefined) {
    const k = ctx.node(d.kernel.path);
    if (k !== undefined && getProperty(k, "xen,uefi-binary") === undefined) {
      ctx.sink.add("property-missing", k, `kernel module ${d.kernel.path} has neither reg (where a boot loader placed it), xen,uefi-binary (a file Xen's UEFI stub loads) nor v8r,image (the guest image v8r loads)`);
    }
  }
}

function checkStaticMemory(ctx: RuleContext, d: DomainConfig, n: DtNode): void {
  if (d.directMap && getProperty(n, "xen,static-mem") === undefined) {
    ctx.sink.add("direct-map-without-static-mem", n, `${d.name} has direct-map but no xen,static-mem; a direct-mapped domain needs statically allocated RAM`, "direct-map");
  }
  if (d.staticMem === undefined) return;
  for (const b of d.staticMem) {
    if (b.addr % PAGE_SIZE !== 0 || b.size % PAGE_SIZE !== 0) {
      ctx.sink.add("static-mem-unaligned", n, `xen,static-mem bank ${hex(b.addr)}+${hex(b.size)} of ${d.name} is not aligned to 4 KiB pages; Xen allocates static memory in whole pages`, "xen,static-mem");
    }
  }
  const total = d.staticMem.reduce((sum, b) => sum + b.size, 0);
  if (d.memoryKiB > 0 && total !== d.memoryKiB * 1024) {
    ctx.sink.add(
      "memory-static-mismatch",
      n,
      `memory of ${d.name} is ${hex(d.memoryKiB)} KiB (${formatBytes(d.memoryKiB * 1024)}) but its xen,static-mem banks total ${formatBytes(total)}; Xen requires them equal (a domain's RAM comes all from static memory or all from the heap)`,
      "memory",
    );
  }
}

/** The pCPUs of a `hard-affinity` string as Xen parses it (`"0-2,5"`), or `undefined` when it is not that syntax. */
function affinityCpus(text: string): number[] | undefined {
  const out: number[] = [];
  for (const item of text.split(",")) {
    const m = /^\s*(0x[0-9a-f]+|\d+)\s*(?:-\s*(0x[0-9a-f]+|\d+)\s*)?$/i.exec(item);
    if (m === null) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    out.push(from, to);
  }
  return out;
}

function checkVcpuNode(ctx: RuleContext, d: DomainConfig, v: DtNode): void {
  const idProp = getProperty(v, "id");
  const id = idProp === undefined ? undefined : propertyCells(idProp)?.[0];
  if (id === undefined) {
    ctx.sink.add("vcpu-node-invalid", v, `${v.path} has no id (the vCPU number, one cell); Xen refuses a xen,vcpu node without one`);
    return;
  }
  if (id >= d.cpus) {
    ctx.sink.add("vcpu-node-invalid", v, `${v.path} is for vCPU ${id}, but ${d.name} has ${d.cpus} vCPU${d.cpus === 1 ? "" : "s"} (0 to ${d.cpus - 1})`, "id");
  }
  const affinity = getProperty(v, "hard-affinity");
  const text = affinity === undefined ? undefined : propertyString(affinity);
  const cpus = text === undefined ? undefined : affinityCpus(text);
  const bad = cpus?.find((c) => c >= ctx.platformCpus);
  if (bad !== undefined) {
    ctx.sink.add("vcpu-node-invalid", v, `hard-affinity "${text}" of ${v.path} names pCPU ${bad}, but the platform has ${ctx.platformCpus} CPUs (0 to ${ctx.platformCpus - 1})`, "hard-affinity");
  }
}
