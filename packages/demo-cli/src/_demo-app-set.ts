// `--apps c|ts`: which implementation of the demo application runs. The C
// apps (apps/rpmsg-demo/*-c, WASI programs built with v8r-cc) take the
// place of the TypeScript guest images in the domains that run the demo
// app; the guest OS (zephyr-shim's or linux-shim's wasi-guest) runs them
// with the same bootargs. No Node APIs: the browser page uses it too.
import type { Dom0lessConfig } from "@v8r/xen-dom0less";
import { type DemoRole, demoRole } from "./_demo-layout.ts";
import type { AppSet } from "./options.ts";
import { UsageError } from "./usage-error.ts";

/** The demo apps in C by role: package specifiers of the committed WASI programs. */
export const DEMO_C_IMAGES = {
  "rpmsg-host": "v8r-demo/apps/rpmsg-demo/zephyr-rpmsg-host-c/rpmsg-host.wasm",
  "rpmsg-remote": "v8r-demo/apps/rpmsg-demo/linux-rpmsg-remote-c/rpmsg-remote.wasm",
} as const;

/**
 * A copy of `config` whose demo domains run the app set `set`: for `c`, each
 * domain running the TypeScript rpmsg-host or rpmsg-remote (of `roles`,
 * default both: a mixed pair takes one) gets the C one (`resolve` turns
 * {@link DEMO_C_IMAGES}' specifiers into absolute URLs); a domain that
 * already runs a WASI program keeps it. A UsageError when `c` is asked of a
 * configuration with no demo app.
 */
export function withAppSet(config: Dom0lessConfig, set: AppSet, resolve: (specifier: string) => string, roles: readonly DemoRole[] = ["rpmsg-host", "rpmsg-remote"]): Dom0lessConfig {
  if (set === "ts") return config;
  let replaced = 0;
  const domains = config.domains.map((d) => {
    const role = demoRole(d);
    if (role === "other" || !roles.includes(role) || d.kernel === undefined || /\.wasm$/i.test(d.kernel.image ?? "")) return d;
    replaced++;
    return { ...d, kernel: { ...d.kernel, image: resolve(DEMO_C_IMAGES[role]) } };
  });
  if (replaced === 0) throw new UsageError(`--apps ${set}: no domain of the configuration runs the demo's TypeScript rpmsg-host or rpmsg-remote to replace`);
  return { ...config, domains };
}
