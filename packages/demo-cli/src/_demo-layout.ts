// How the demo lays a dom0less config out on the platform: which domain runs
// which app, which UART each console uses, and whose console takes input.
// No Node APIs: the browser page uses it too.
import { FVP_BaseR_AEMv8R } from "@v8r/fvp-core";
import { type Dom0lessConfig, type DomainConfig, parseBootargs } from "@v8r/xen-dom0less";
import { LINK_DEFAULTS } from "../apps/rpmsg-demo/protocol/mod.ts";

/** The guest images of the demo's rpmsg-demo application, by role. */
export const DEMO_IMAGES = {
  "rpmsg-host": "v8r-demo/apps/rpmsg-demo/zephyr-rpmsg-host",
  "rpmsg-remote": "v8r-demo/apps/rpmsg-demo/linux-rpmsg-remote",
} as const;

/**
 * Image specifiers of earlier releases, when the apps lived in the shims,
 * and the image that replaced each: a device tree copied from an older
 * `v8r-demo config` still boots.
 */
export const RENAMED_IMAGES: Readonly<Record<string, string>> = {
  "@v8r/zephyr-shim/apps/rpmsg-host": DEMO_IMAGES["rpmsg-host"],
  "@v8r/linux-shim/apps/rpmsg-remote": DEMO_IMAGES["rpmsg-remote"],
};

/** `specifier`, or the image that replaced it (see {@link RENAMED_IMAGES}). */
export function currentImage(specifier: string): string {
  return RENAMED_IMAGES[specifier] ?? specifier;
}

/** Which demo application a domain runs, told by its `v8r,image`. */
export type DemoRole = keyof typeof DEMO_IMAGES | "other";

/**
 * The role of a domain from its kernel image specifier: the demo's images
 * ({@link DEMO_IMAGES}, or their former names), or a module of the user's
 * whose name ends in `rpmsg-host` / `rpmsg-remote` (`./my/rpmsg-host.ts`),
 * or a WASI program so named (the C apps, `rpmsg-host.wasm`).
 */
export function demoRole(domain: DomainConfig): DemoRole {
  const image = currentImage(domain.kernel?.image ?? "");
  if (/rpmsg-host(\.[cm]?[jt]s|\.wasm)?$/.test(image)) return "rpmsg-host";
  if (/rpmsg-remote(\.[cm]?[jt]s|\.wasm)?$/.test(image)) return "rpmsg-remote";
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

/** Where the demo's apps talk: the domains running rpmsg-host and rpmsg-remote, and the static shm region of their link. */
export interface DemoLink {
  /** The Linux domain (see {@link linuxConsoleDomain}). */
  readonly linuxDomain: string;
  /** The domain running rpmsg-host (Zephyr), when one does. */
  readonly hostDomain?: string;
  /** `xen,id` of the link's region (rpmsg-remote's `shm_id=`, else the protocol's default), undefined when no domain runs rpmsg-remote. */
  readonly shmId: string | undefined;
}

/** The demo link of `config`, from the rpmsg-remote domain's bootargs. */
export function demoLink(config: Dom0lessConfig): DemoLink {
  const remote = config.domains.find((d) => demoRole(d) === "rpmsg-remote");
  const shmId = remote === undefined ? undefined : parseBootargs(remote.kernel?.bootargs ?? "").get("shm_id") || LINK_DEFAULTS.shmId;
  const host = config.domains.find((d) => demoRole(d) === "rpmsg-host")?.name;
  return { linuxDomain: linuxConsoleDomain(config), shmId, ...(host === undefined ? {} : { hostDomain: host }) };
}
