// End to end: `v8r-demo --rootfs DIR` where DIR has a space in its path (a
// user name with a space, "My Documents"): Linux gets it on its kernel
// command line quoted, rootfs="DIR", and writes the status page there; nginx
// serves it from there. A path no command line can carry (a double quote) is
// refused before anything touches it.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { findNginx } from "@v8r/linux-shim/node";
import { afterAll, describe, expect, it } from "vitest";
import { type DemoProcess, eventually, readStatus, runDemoToEnd, servedPort, spawnDemo, STATUS_DIR, tempDir } from "./_spawn-demo.ts";

describe("v8r-demo --rootfs with a space in the path", () => {
  it("boots with rootfs=\"DIR\" on Linux's command line and writes the status page into DIR", async () => {
    const rootfs = join(tempDir("space"), "my root fs");
    const run = await runDemoToEnd(["--virtual-time", "--duration", "3s", "--server", "none"], { rootfs });
    expect(run.exit, run.stdout.slice(-2000) + run.stderr).toEqual({ code: 0, signal: null });
    expect(run.stdout).toContain(`rootfs="${rootfs}"`);
    expect(readdirSync(join(rootfs, STATUS_DIR)).sort()).toEqual(["zephyr-status.html", "zephyr-status.json"]);
    const { json, html } = readStatus(rootfs);
    expect(json.counters.received).toBeGreaterThan(0);
    expect(html).toContain("Zephyr status");
  }, 60_000);

  it("refuses a path with a double quote with the reason, exit 2, and leaves the directory alone", async () => {
    const parent = tempDir("quote");
    const rootfs = join(parent, 'say "hi"');
    mkdirSync(rootfs);
    const run = await runDemoToEnd(["--virtual-time", "--duration", "3s", "--server", "none"], { rootfs });
    expect(run.exit).toEqual({ code: 2, signal: null });
    expect(run.stdout + run.stderr).toContain(
      `[v8r-demo] the root filesystem directory ${JSON.stringify(rootfs)} cannot be given to Linux, which gets it on its kernel command line (rootfs=): the path contains a double quote, which a kernel command line cannot carry (Linux's parser has no escape for it)`,
    );
    expect(run.stdout).not.toContain("(XEN)");
    expect(readdirSync(rootfs)).toEqual([]);
  }, 60_000);
});

describe("v8r-demo --server nginx --rootfs with a space in the path", () => {
  let demo: DemoProcess | undefined;
  afterAll(() => demo?.kill());

  it("nginx serves the page Linux writes into DIR", async () => {
    await findNginx().catch((e: Error) => {
      throw new Error(`this test needs a real nginx (Debian: apt-get install nginx; .ci/run installs it): ${e.message}`);
    });
    const rootfs = join(tempDir("space-nginx"), "web root");
    demo = spawnDemo(["--server", "nginx", "--port", "0"], { rootfs });
    const port = await servedPort(demo, 90_000);
    const page = join(rootfs, STATUS_DIR, "zephyr-status.html");
    await eventually("the status page in the root filesystem", 60_000, () => (existsSync(page) ? true : undefined));
    const served = await eventually("the status page from nginx", 30_000, async () => {
      const res = await fetch(`http://127.0.0.1:${port}/zephyr-status.html`);
      const text = await res.text();
      return res.status === 200 && text.includes("Zephyr status") ? { text, server: res.headers.get("server") } : undefined;
    });
    expect(served.server).toBe("nginx");
  }, 150_000);
});
