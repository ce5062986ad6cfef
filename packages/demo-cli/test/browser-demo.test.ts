// End to end: `v8r-demo browser` serves the built packages, and headless
// Chromium (Debian's /usr/bin/chromium, driven by playwright-core) runs the
// whole demo in the page, each domain in a Web Worker. Needs the packages
// built (`npm test` builds before the tests). Saves browser-demo.png (to
// docs/images/ with V8R_UPDATE_SCREENSHOTS=1). A missing browser fails.
// Once with each app set: the page's `?apps=c` runs the demo apps in C.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS } from "./_chromium.ts";
import { type DemoProcess, eventually, REPO_ROOT, screenshotDir, spawnDemo } from "./_spawn-demo.ts";

const BUILT = ["packages/demo-cli/dist/browser/main.js", "packages/fvp-core/dist/guest-worker.js", "packages/demo-cli/dist/apps/rpmsg-demo/linux-rpmsg-remote.js", "packages/demo-cli/dist/apps/rpmsg-demo/zephyr-rpmsg-host.js"];

/** The `seq N` the status page frame shows, when it shows a sample. */
async function frameSeq(page: Page): Promise<number | undefined> {
  const text = await page.frameLocator("#status-frame").locator("body").innerText({ timeout: 1000 });
  const m = /\bseq (\d+)\b/.exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

describe.each(["ts", "c"])("v8r-demo browser (apps %s): the whole demo in headless Chromium", (apps) => {
  let server: DemoProcess | undefined;
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
    server?.kill();
  });

  it(`boots Xen, Zephyr and Linux in the page; the status page Linux writes shows growing samples${apps === "ts" ? "; commands typed in the page run in Linux" : ""}`, async () => {
    const missing = BUILT.filter((f) => !existsSync(join(REPO_ROOT, f)));
    expect(missing, "the packages are not built: run `pnpm run build` first (npm test does)").toEqual([]);
    server = spawnDemo(["browser", "--port", "0"], { rootfs: false });
    const url = (await server.waitFor(/browser demo +(http:\/\/127\.0\.0\.1:\d+\/)\n/, 15_000))[1] ?? "";
    browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(apps === "ts" ? url : `${url}?apps=c`);

    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.waitForFunction(() => document.getElementById("console-zephyr")?.textContent?.includes("*** Booting ") === true, null, { timeout: 15_000 });
    expect(await page.textContent("#console-zephyr")).toMatch(apps === "ts" ? /\*\*\* Booting rpmsg-host .* Zephyr OS build .* \*\*\*/ : /\*\*\* Booting rpmsg-host\.wasm .* Zephyr OS build .* \*\*\*/);
    await page.waitForFunction(() => document.getElementById("console-linux")?.textContent?.includes("Booting Linux") === true, null, { timeout: 10_000 });
    expect(await page.textContent("#console-xen")).toContain("(XEN) Brought up 2 domains");
    expect(await page.textContent("#state")).toBe("running");

    const first = await eventually("a sample on the status page", 10_000, () => frameSeq(page)).catch(async (err: unknown) => {
      const linux = (await page.textContent("#console-linux")) ?? "";
      throw new Error(`${String(err)}; the linux console ends with:\n${linux.split("\n").slice(-8).join("\n")}`);
    });
    const later = await eventually("a newer sample on the status page", 5_000, async () => {
      const seq = await frameSeq(page);
      return seq !== undefined && seq > first ? seq : undefined;
    });
    expect(later).toBeGreaterThan(first);
    expect(await page.textContent("#status-source")).toMatch(/^\d+ bytes read from linux:\/usr\/share\/nginx\/html\/zephyr-status\.html/);

    if (apps === "ts") {
      // a command typed into the page runs in the Linux guest's shell (the C rpmsg-remote is init: there is no shell)
      await page.fill("#linux-command", "ls /usr/share/nginx/html");
      await page.press("#linux-command", "Enter");
      await page.waitForFunction(() => /# ls \/usr\/share\/nginx\/html\n.*zephyr-status\.html/.test(document.getElementById("console-linux")?.textContent ?? ""), null, { timeout: 10_000 });
      expect(await page.inputValue("#linux-command")).toBe("");
    } else {
      expect(await page.textContent("#console-linux")).toContain("Run rpmsg-remote.wasm as init process");
    }
    expect(errors).toEqual([]);
    const shots = screenshotDir(apps === "ts");
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, "browser-demo.png"), fullPage: true });
    expect(statSync(join(shots, "browser-demo.png")).size).toBeGreaterThan(10_000);
    await page.close();

    // Ctrl-C stops the server cleanly.
    server.child.kill("SIGINT");
    expect((await server.exited).code).toBe(0);
  }, 40_000);
});
