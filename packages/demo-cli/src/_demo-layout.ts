// How the demo lays a dom0less config out on the platform: which domain runs
// which app, which UART each console uses, and whose console takes input.
// No Node APIs: the browser page uses it too.
import { FVP_BaseR_AEMv8R } from "@v8r/fvp-core";
import type { Dom0lessConfig, DomainConfig } from "@v8r/xen-dom0less";

/** Which demo application a domain runs, told by its `v8r,image`. */
export type DemoRole = "rpmsg-host" | "rpmsg-remote" | "other";

/** The role of a domain from its kernel image specifier. */
export function demoRole(domain: DomainConfig): DemoRole {
  const image = domain.kernel?.image ?? "";
  if (/rpmsg-host(\.[cm]?[jt]s)?$/.test(image)) return "rpmsg-host";
  if (/rpmsg-remote(\.[cm]?[jt]s)?$/.test(image)) return "rpmsg-remote";
  return "other";
}

/** UART per console source: Xen on UART0, then each domain with a vpl011 in order. */
export function consoleUarts(config: Dom0lessConfig): Record<string, number> {
  const out: Record<string, number> = { xen: 0 };
  let next = 1;
  for (const d of config.domains) {
    if (!d.vpl011) continue;
    if (next >= FVP_BaseR_AEMv8R.uarts.length) throw new Error(`[v8r-demo] ${d.name} needs a console but all ${FVP_BaseR_AEMv8R.uarts.length} UARTs are taken`);
    out[d.name] = next++;
  }
  return out;
}

/** The domains' part of {@link consoleUarts}, as bootXen's `console.domains` takes it. */
export function domainUarts(uarts: Record<string, number>): Record<string, number> {
  const { xen: _xen, ...domains } = uarts;
  return domains;
}

/** The domain that gets what the user types: the one running rpmsg-remote, else `linux`. */
export function linuxConsoleDomain(config: Dom0lessConfig): string {
  return config.domains.find((d) => demoRole(d) === "rpmsg-remote")?.name ?? "linux";
}
