import type { Dom0lessConfig } from "@v8r/xen-dom0less";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { wasiGuestOs } from "./_demo-apps.ts";
import { DEMO_C_IMAGES, withAppSet } from "./_demo-app-set.ts";
import { loadDemoConfig } from "./_demo-config.ts";
import { demoRole } from "./_demo-layout.ts";
import { UsageError } from "./usage-error.ts";

const bundled = loadDemoConfig({ file: "v8r64-virtualization.dts", bytes: readFileSync(new URL("./config/v8r64-virtualization.dts", import.meta.url)), bundled: true });
const resolve = (specifier: string): string => `file:///pkg/${specifier}`;
const images = (c: Dom0lessConfig): Record<string, string | undefined> => Object.fromEntries(c.domains.map((d) => [d.name, d.kernel?.image]));

describe("withAppSet (--apps)", () => {
  it("keeps the configuration as it is for ts", () => {
    expect(withAppSet(bundled, "ts", resolve)).toBe(bundled);
  });

  it("gives each demo domain its app in C for c, run by the same guest OS, with the same bootargs", () => {
    const c = withAppSet(bundled, "c", resolve);
    expect(images(c)).toEqual({ zephyr: resolve(DEMO_C_IMAGES["rpmsg-host"]), linux: resolve(DEMO_C_IMAGES["rpmsg-remote"]) });
    for (const d of c.domains) {
      const before = bundled.domains.find((b) => b.name === d.name);
      expect(demoRole(d)).toBe(before && demoRole(before));
      expect(d.kernel?.bootargs).toBe(before?.kernel?.bootargs);
    }
    expect(c.domains.map(wasiGuestOs)).toEqual(["zephyr", "linux"]);
  });

  it("replaces only the roles asked for (a mixed pair)", () => {
    const c = withAppSet(bundled, "c", resolve, ["rpmsg-remote"]);
    expect(images(c)).toEqual({ zephyr: "v8r-demo/apps/rpmsg-demo/zephyr-rpmsg-host", linux: resolve(DEMO_C_IMAGES["rpmsg-remote"]) });
  });

  it("keeps a WASI program already in place, and other domains", () => {
    const own: Dom0lessConfig = {
      ...bundled,
      domains: bundled.domains.map((d) => (d.name === "linux" && d.kernel ? { ...d, kernel: { ...d.kernel, image: "/x/my-rpmsg-remote.wasm" } } : d)),
    };
    expect(images(withAppSet(own, "c", resolve))).toEqual({ zephyr: resolve(DEMO_C_IMAGES["rpmsg-host"]), linux: "/x/my-rpmsg-remote.wasm" });
  });

  it("refuses c for a configuration without a demo app", () => {
    const other: Dom0lessConfig = { ...bundled, domains: bundled.domains.map((d) => (d.kernel ? { ...d, kernel: { ...d.kernel, image: "./my-guest.ts" } } : d)) };
    expect(() => withAppSet(other, "c", resolve)).toThrow(UsageError);
    expect(() => withAppSet(other, "c", resolve)).toThrow(/--apps c: no domain of the configuration runs the demo's TypeScript rpmsg-host or rpmsg-remote/);
  });

  it("names files that resolve as package entries of v8r-demo", () => {
    for (const specifier of Object.values(DEMO_C_IMAGES)) expect(import.meta.resolve(specifier)).toMatch(/\/apps\/rpmsg-demo\/[a-z-]+-c\/rpmsg-(host|remote)\.wasm$/);
  });
});
