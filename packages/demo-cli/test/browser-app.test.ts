// End to end: `v8r-demo browser --app DOMAIN=FILE.wasm` in headless Chromium
// (Debian's /usr/bin/chromium, driven by playwright-core): the page boots the
// user's C programs (built with v8r-cc) in place of the demo apps, each in
// its domain's Web Worker; their printf lines show in the page's console
// views, and once both have exited the page says how the run ended. Needs
// the packages built (`npm test` builds before the tests).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildC } from "../../openamp-wasm/test/_c-build.ts";
import { CHROMIUM, CHROMIUM_ARGS } from "./_chromium.ts";
import { type DemoProcess, runDemoToEnd, spawnDemo, tempDir } from "./_spawn-demo.ts";

describe("v8r-demo browser --app: your C programs in the page", () => {
  const dir = tempDir("browser-app");
  let ping = "";
  let echo = "";
  let server: DemoProcess | undefined;
  let browser: Browser | undefined;

  beforeAll(() => {
    ping = join(dir, "ping.wasm");
    echo = join(dir, "echo.wasm");
    writeFileSync(ping, buildC(["examples/c/ping.c"]));
    writeFileSync(echo, buildC(["examples/c/echo.c"]));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill();
  });

  it("boots ping on Zephyr and echo on Linux; their output shows in the console views, and the page says how they ended", async () => {
    server = spawnDemo(["browser", "--port", "0", "--app", `zephyr=${ping}`, "--app", `linux=${echo}`], { rootfs: false });
    const url = (await server.waitFor(/browser demo +(http:\/\/127\.0\.0\.1:\d+\/)\n/, 15_000))[1] ?? "";
    expect(server.stdout()).toContain(`  program       zephyr: ${ping}\n  program       linux: ${echo}\n`);
    // only the programs are served from their folder
    expect((await fetch(new URL("user-app/0/ping.wasm", url))).status).toBe(200);
    expect((await fetch(new URL("user-app/0/echo.wasm", url))).status).toBe(404);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url);

    const consoleHas = (id: string, text: string): Promise<unknown> =>
      page.waitForFunction(([i, t]) => document.getElementById(i as string)?.textContent?.includes(t as string) === true, [id, text], { timeout: 60_000 });
    await consoleHas("console-zephyr", "*** Booting ping.wasm - Zephyr OS build");
    await consoleHas("console-zephyr", "ping: 200 payloads, 200 came back intact, 0 errors");
    await consoleHas("console-linux", "Run echo.wasm as init process");
    await consoleHas("console-linux", "echo: echoed 200 messages");
    await consoleHas("console-xen", "(XEN) d1: shutdown requested (poweroff): ping.wasm exited with status 0");
    await page.waitForFunction(() => document.getElementById("state")?.textContent?.startsWith("ended") === true, null, { timeout: 30_000 });
    expect(await page.textContent("#state")).toBe("ended (exit code 0): zephyr: ping.wasm exited with status 0; linux: echo.wasm exited with status 0");
    expect(errors).toEqual([]);
    await page.close();
    server.child.kill("SIGINT");
    expect((await server.exited).code).toBe(0);
  }, 240_000);

  it("an --app naming a domain the page's device tree does not have is a usage error", async () => {
    const r = await runDemoToEnd(["browser", "--port", "0", "--app", `zephry=${ping}`], { rootfs: false });
    expect(r.exit.code).toBe(2);
    expect(r.stderr).toContain(`--app zephry=${ping}: the configuration has no domain "zephry" (it has zephyr, linux)`);
  }, 60_000);
});
