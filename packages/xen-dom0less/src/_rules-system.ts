/**
 * Internal: rules about the system as a whole and about property values Xen checks when it
 * creates a domain: capabilities (one hardware domain, one xenstore domain), `xen,enhanced`
 * needing a xenstore domain, Armv8-R (MPU) requirements, and values Xen panics on.
 */
import { getProperty, isCompatible, propertyCells, propertyString, type DtNode } from "./device-tree.ts";
import { DOMAIN_CAPS, type DomainConfig } from "./dom0less-config.ts";
import { hex } from "./_diag.ts";
import type { RuleContext } from "./_rule-context.ts";

const CAPS_MASK = Object.values(DOMAIN_CAPS).reduce((m, b) => m | b, 0);
const INT32_MAX = 0x7fff_ffff;

/** Runs the system-wide and value rules. */
export function checkSystem(ctx: RuleContext): void {
  checkCapabilities(ctx);
  checkXenstore(ctx);
  checkArch(ctx);
  for (const d of ctx.config.domains) {
    const n = ctx.node(d.path);
    if (n !== undefined) checkValues(ctx, n);
  }
}

function withCap(ctx: RuleContext, cap: number): DomainConfig[] {
  return ctx.config.domains.filter((d) => (d.capabilities & cap) !== 0);
}

function checkCapabilities(ctx: RuleContext): void {
  const dom0 = ctx.config.dom0Kernel !== undefined;
  for (const d of ctx.config.domains) {
    const n = ctx.node(d.path);
    if (n === undefined) continue;
    if ((d.capabilities & ~CAPS_MASK) !== 0) {
      ctx.sink.add("property-invalid", n, `capabilities ${hex(d.capabilities)} of ${d.name} has bits Xen does not know (it knows ${hex(CAPS_MASK)}: control 1, hardware 2, xenstore 4, device model 8, not a hypercall target 16)`, "capabilities");
    }
    if ((d.capabilities & DOMAIN_CAPS.hardware) !== 0) {
      if (getProperty(n, "passthrough") !== undefined) {
        ctx.sink.add("capabilities-conflict", n, `${d.name} is the hardware domain (capabilities), and Xen refuses passthrough on the hardware domain`, "passthrough");
      }
      const dtb = n.children.find((c) => isCompatible(c, "multiboot,device-tree"));
      if (dtb !== undefined) {
        ctx.sink.add("capabilities-conflict", dtb, `${d.name} is the hardware domain (capabilities), and Xen refuses a "multiboot,device-tree" module for it`);
      }
    }
  }
  const one = (cap: number, what: string, dom0Has: boolean): void => {
    const list = withCap(ctx, cap);
    list.slice(dom0Has ? 0 : 1).forEach((d) => {
      const n = ctx.node(d.path);
      const first = dom0Has ? `dom0 (${ctx.config.dom0Kernel ?? ""})` : list[0]?.name;
      if (n !== undefined) ctx.sink.add("capabilities-conflict", n, `${d.name} is a second ${what} (capabilities), after ${first}; Xen allows only one`, "capabilities");
    });
  };
  one(DOMAIN_CAPS.hardware, "hardware domain", dom0);
  one(DOMAIN_CAPS.xenstore, "xenstore domain", dom0);
}

/** `xen,enhanced = "enabled"` (or empty, or `"legacy"`) gives the domain xenstore, which needs a domain that runs it. */
function checkXenstore(ctx: RuleContext): void {
  const provider = ctx.config.dom0Kernel !== undefined || withCap(ctx, DOMAIN_CAPS.xenstore).length > 0;
  if (provider) return;
  for (const d of ctx.config.domains) {
    if (d.enhanced !== "enabled" && d.enhanced !== "legacy") continue;
    const n = ctx.node(d.path);
    if (n === undefined) continue;
    ctx.sink.add(
      "enhanced-without-xenstore",
      n,
      `${d.name} has xen,enhanced = "${d.enhanced}", which includes xenstore, but no domain provides xenstore (no dom0 kernel under /chosen, no domain with the xenstore capability, 4): Xen refuses to boot; use "no-xenstore" for PV interfaces without xenstore`,
      "xen,enhanced",
    );
  }
}

/** Armv8-R (MPU) Xen runs a domain with the MPU at EL1 unless `v8r_el1_msa = "mmu"`; that needs static, direct-mapped memory. */
function checkArch(ctx: RuleContext): void {
  for (const d of ctx.config.domains) {
    const n = ctx.node(d.path);
    if (n === undefined) continue;
    if (ctx.arch.arch === "armv8-a") {
      if (d.v8rEl1Msa !== undefined) {
        ctx.sink.add("mpu-property-on-mmu", n, `v8r_el1_msa is read only by Xen built for Armv8-R (MPU); an Armv8-A (MMU) build refuses to boot with it. The linter assumes Armv8-A because ${ctx.arch.why} (use --arch armv8-r for an Armv8-R platform)`, "v8r_el1_msa");
      }
    } else if (d.v8rEl1Msa !== "mmu" && (getProperty(n, "xen,static-mem") === undefined || !d.directMap)) {
      const lacks = [getProperty(n, "xen,static-mem") === undefined ? "xen,static-mem" : "", d.directMap ? "" : "direct-map"].filter((x) => x !== "").join(" and ");
      const msa = d.v8rEl1Msa === "mpu" ? `v8r_el1_msa = "mpu"` : "the default when v8r_el1_msa is absent";
      ctx.sink.add(
        "mpu-needs-static-memory",
        n,
        `on Armv8-R (${ctx.arch.why}) Xen runs ${d.name} with the MPU at EL1 (${msa}), which needs xen,static-mem and direct-map; ${d.name} has no ${lacks}. Place its RAM statically, or give it v8r_el1_msa = "mmu" if it needs an MMU`,
      );
    }
  }
}

function u32(n: DtNode, name: string): number | undefined {
  const p = getProperty(n, name);
  return p === undefined ? undefined : propertyCells(p)?.[0];
}

/** Values Xen refuses when it creates the domain. */
function checkValues(ctx: RuleContext, n: DtNode): void {
  const bad = (name: string, why: string): void => ctx.sink.add("property-invalid", n, `${name} of ${n.path} ${why}`, name);
  const trap = u32(n, "trap-unmapped-accesses");
  if (trap !== undefined && trap > 1) bad("trap-unmapped-accesses", `is ${trap}; Xen accepts only 0 or 1`);
  for (const name of ["max_grant_frames", "max_maptrack_frames"]) {
    const v = u32(n, name);
    if (v !== undefined && v > INT32_MAX) bad(name, `is ${v}; Xen refuses values over ${INT32_MAX}`);
  }
  const sci = getProperty(n, "xen,sci_type");
  const sciType = sci === undefined ? undefined : propertyString(sci);
  if (sci !== undefined && sciType !== "none" && sciType !== "scmi_smc") bad("xen,sci_type", `must be "none" or "scmi_smc"; Xen refuses anything else`);
  const sve = u32(n, "sve");
  if (sve !== undefined && sve !== 0 && (sve % 128 !== 0 || sve > 2048)) bad("sve", `is ${sve}; the SVE vector length must be 0 or a multiple of 128 up to 2048`);
}
