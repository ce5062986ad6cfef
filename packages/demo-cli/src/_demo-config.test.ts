import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type Dom0lessConfig, parseBootargs } from "@v8r/xen-dom0less";
import { readDefaultConfig } from "./config/default-config.ts";
import { loadDemoConfig, withGuestArgs } from "./_demo-config.ts";
import { demoRole } from "./_demo-layout.ts";
import { UsageError } from "./usage-error.ts";

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

  it("quotes a root filesystem path with white space as Linux reads it, and Linux's parser gets the path back", async () => {
    const config = withGuestArgs(await bundled(), { rootfs: "/tmp/my rootfs", autorun: true, periodMs: undefined, seed: undefined });
    const bootargs = config.domains.find((d) => demoRole(d) === "rpmsg-remote")?.kernel?.bootargs ?? "";
    expect(bootargs).toBe('console=ttyAMA0 rootfs="/tmp/my rootfs" autorun=1');
    expect(parseBootargs(bootargs).get("rootfs")).toBe("/tmp/my rootfs");
  });

  it.each([
    ['/tmp/say "hi"', /the path contains a double quote, which a kernel command line cannot carry \(Linux's parser has no escape for it\)/],
    ["/tmp/a\nb", /the path contains a control character \(U\+000A\)/],
  ])("refuses the root filesystem path %j, which no kernel command line can carry, with a usage error saying why", async (rootfs, why) => {
    const err = await bundled()
      .then((c) => withGuestArgs(c, { rootfs, autorun: true, periodMs: undefined, seed: undefined }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(`[v8r-demo] the root filesystem directory ${JSON.stringify(rootfs)} cannot be given to Linux, which gets it on its kernel command line (rootfs=)`);
    expect((err as Error).message).toMatch(why);
  });

  it("keeps the device tree's quoted words whole, and replaces a quoted one the command line overrides", async () => {
    const base = await bundled();
    const remote = (bootargs: string): Dom0lessConfig => ({
      ...base,
      domains: base.domains.map((d) => (demoRole(d) === "rpmsg-remote" && d.kernel !== undefined ? { ...d, kernel: { ...d.kernel, bootargs } } : d)),
    });
    const args = { rootfs: "/r s", autorun: true, periodMs: undefined, seed: undefined };
    const out = withGuestArgs(remote('console=ttyAMA0 msg="a b" "rootfs=/old dir" x'), args);
    expect(out.domains.find((d) => demoRole(d) === "rpmsg-remote")?.kernel?.bootargs).toBe('console=ttyAMA0 msg="a b" x rootfs="/r s" autorun=1');
    expect(() => withGuestArgs(remote('console=ttyAMA0 msg="a b'), args)).toThrow(/bootargs open a double quote they never close \(msg="a b\), so Linux would read the rootfs, autorun v8r-demo adds/);
  });
});

describe("loadDemoConfig", () => {
  it("boots a device tree that /include/s a file beside it, as `v8r-demo lint` checks it (regression)", async () => {
    const file = fileURLToPath(new URL("../../xen-dom0less/test/fixtures/valid/with-include.dts", import.meta.url));
    const config = loadDemoConfig({ file, bytes: await readFile(file), bundled: false });
    expect(config.domains.length).toBeGreaterThan(0);
  });
});
