// WASI programs as guest applications (`--app DOMAIN=FILE.wasm`, or a
// `.wasm` as `v8r,image`): which guest OS runs one, and the configuration
// with the command line's programs in place of the demo apps. No Node APIs.
import type { Dom0lessConfig, DomainConfig } from "@v8r/xen-dom0less";
import { demoRole } from "./_demo-layout.ts";
import { UsageError } from "./usage-error.ts";

/** One `--app DOMAIN=FILE.wasm`. */
export interface AppOption {
  /** Domain name as in the device tree. */
  readonly domain: string;
  /** The program file as given. */
  readonly file: string;
}

/** The guest OS of a WASI program's domain: an MMU at EL1 (`v8r_el1_msa = "mmu"`) runs Linux, an MPU (the Armv8-R default) Zephyr. */
export function wasiGuestOs(domain: DomainConfig): "zephyr" | "linux" {
  return domain.v8rEl1Msa === "mmu" ? "linux" : "zephyr";
}

/** The guest image (module specifier) that runs a WASI program on `domain`. */
export function wasiRunnerSpecifier(domain: DomainConfig): string {
  return wasiGuestOs(domain) === "linux" ? "@v8r/linux-shim/wasi-guest" : "@v8r/zephyr-shim/wasi-guest";
}

/** Whether `domain`'s image is a WASI program. */
export function runsWasi(domain: DomainConfig): boolean {
  return /\.wasm$/i.test(domain.kernel?.image ?? "");
}

/** Whether `domain` runs a WASI program of the user's, not the demo app in C (`rpmsg-host.wasm`, `rpmsg-remote.wasm`, `--apps c`). */
export function runsOwnProgram(domain: DomainConfig): boolean {
  return runsWasi(domain) && demoRole(domain) === "other";
}

/**
 * A copy of `config` where each app's domain boots its program; `path(file)`
 * makes the file an absolute path. Throws with the domains there are when
 * an app names a domain the configuration does not have (or one with no
 * kernel module), a UsageError.
 */
export function withApps(config: Dom0lessConfig, apps: readonly AppOption[], path: (file: string) => string): Dom0lessConfig {
  for (const app of apps) {
    const d = config.domains.find((x) => x.name === app.domain);
    if (d === undefined || d.kernel === undefined) {
      const names = config.domains.map((x) => x.name).join(", ");
      const why = d === undefined ? `the configuration has no domain "${app.domain}" (it has ${names})` : `domain "${app.domain}" has no kernel module`;
      throw new UsageError(`--app ${app.domain}=${app.file}: ${why}`);
    }
  }
  const domains = config.domains.map((d) => {
    const app = apps.find((a) => a.domain === d.name);
    return app === undefined || d.kernel === undefined ? d : { ...d, kernel: { ...d.kernel, image: path(app.file) } };
  });
  return { ...config, domains };
}

/**
 * `on_crash` per domain: the demo apps restart (the demo keeps going), a
 * WASI program that failed stays crashed for `xl list` and its console.
 */
export function crashPolicies(config: Dom0lessConfig): Record<string, "restart" | "preserve"> {
  return Object.fromEntries(config.domains.map((d) => [d.name, runsOwnProgram(d) ? "preserve" : "restart"]));
}
