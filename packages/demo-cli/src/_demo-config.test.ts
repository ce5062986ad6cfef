import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { readDefaultConfig } from "./config/default-config.ts";
import { loadDemoConfig, withGuestArgs } from "./_demo-config.ts";
import { demoRole } from "./_demo-layout.ts";

const bundled = async () => loadDemoConfig({ file: "v8r64-virtualization.dts", bytes: new TextEncoder().encode(await readDefaultConfig()), bundled: true });

describe("withGuestArgs", () => {
  it("adds the run's options to the demo domains' bootargs, a command-line value replacing the device tree's", async () => {
    const config = withGuestArgs(await bundled(), { rootfs: "/tmp/r", autorun: false, periodMs: 250, seed: 7 });
    const args = Object.fromEntries(config.domains.map((d) => [demoRole(d), d.kernel?.bootargs]));
    expect(args["rpmsg-host"]).toBe("period_ms=250 seed=7");
    expect(args["rpmsg-remote"]).toBe("console=ttyAMA0 rootfs=/tmp/r autorun=0");
  });

  it("keeps the device tree's period when the command line has none", async () => {
    const config = withGuestArgs(await bundled(), { rootfs: "/tmp/r", autorun: true, periodMs: undefined, seed: undefined });
    expect(config.domains.find((d) => demoRole(d) === "rpmsg-host")?.kernel?.bootargs).toBe("period_ms=1000");
  });

  it("refuses a root filesystem path with white space, which bootargs cannot carry", async () => {
    await expect(bundled().then((c) => withGuestArgs(c, { rootfs: "/a b", autorun: true, periodMs: undefined, seed: undefined }))).rejects.toThrow(
      /\[v8r-demo\] the root filesystem path "\/a b" contains white space/,
    );
  });
});

describe("loadDemoConfig", () => {
  it("boots a device tree that /include/s a file beside it, as `v8r-demo lint` checks it (regression)", async () => {
    const file = fileURLToPath(new URL("../../xen-dom0less/test/fixtures/valid/with-include.dts", import.meta.url));
    const config = loadDemoConfig({ file, bytes: await readFile(file), bundled: false });
    expect(config.domains.length).toBeGreaterThan(0);
  });
});
