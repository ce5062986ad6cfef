// End to end in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): a running demo's status page and dashboard render, and
// their screenshots are saved — to a temporary directory, or to docs/images/
// (for the README) with V8R_UPDATE_SCREENSHOTS=1. A missing browser fails.
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS } from "./_chromium.ts";
import { runXl } from "../src/control-client.ts";
import { type DemoProcess, eventually, readStatus, screenshotDir, servedPort, spawnDemo } from "./_spawn-demo.ts";

const ARGS = [...CHROMIUM_ARGS, "--disable-quic"];
const SHOTS = screenshotDir();

/** Wait until `fn` holds in `page`, failing with `what` (and the page's text) when it does not within 15 s. */
async function until(page: Page, what: string, fn: () => boolean): Promise<void> {
  try {
    await page.waitForFunction(fn, null, { timeout: 15_000 });
  } catch (err) {
    throw new Error(`waiting for ${what}: ${String(err)}\n${(await page.textContent("body").catch(() => "")) ?? ""}`.slice(0, 4000), { cause: err });
  }
}

/** Cancel the status page's next self-reload (`<meta http-equiv="refresh">`), so checks and a slow screenshot see one rendering; its script goes on. */
async function holdStill(page: Page): Promise<void> {
  // on a loaded machine the reload may come first: then stop the page it loaded
  for (let attempt = 1; ; attempt++) {
    try {
      await page.waitForLoadState("load");
      await page.evaluate(() => window.stop());
      return;
    } catch (err) {
      if (attempt >= 10 || !/Execution context was destroyed|navigat/i.test(String(err))) throw err;
    }
  }
}

/** The element's box, failing when it is missing or empty (waited for: the status page reloads itself every second). */
async function box(page: Page, selector: string): Promise<{ width: number; height: number }> {
  const measure = (): Promise<{ width: number; height: number } | null> => page.locator(selector).first().boundingBox({ timeout: 1000 }).catch(() => null);
  const last: { box: { width: number; height: number } | null } = { box: null };
  await expect.poll(async () => (last.box = await measure()), { timeout: 10_000 }).not.toBeNull();
  const b = last.box;
  expect(b, `${selector} has no box`).not.toBeNull();
  expect(b?.width, `${selector} width`).toBeGreaterThan(0);
  expect(b?.height, `${selector} height`).toBeGreaterThan(0);
  return b as { width: number; height: number };
}

describe.each(["ts", "c"])("a running demo (--apps %s) in headless Chromium", (apps) => {
  // the README's screenshots are the TypeScript set's; the C set's stay in a temporary directory
  const shots = apps === "ts" ? SHOTS : screenshotDir(false);
  let demo: DemoProcess | undefined;
  let browser: Browser | undefined;
  let setup: Promise<{ browser: Browser; base: string }> | undefined;

  // Started by the first test (not in a hook), so a missing browser or a demo
  // that does not come up fails every test instead of skipping them.
  const ready = (): Promise<{ browser: Browser; base: string }> =>
    (setup ??= (async () => {
      const running = spawnDemo(["--port", "0", "--period", "250", "--apps", apps]);
      demo = running;
      const port = await servedPort(running, 15_000);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      // enough samples for the charts to show a line
      await eventually("20 samples on the page", 20_000, () => (readStatus(running.rootfs).json.counters.received >= 20 ? true : undefined));
      mkdirSync(shots, { recursive: true });
      return { browser, base: `http://127.0.0.1:${port}` };
    })());

  afterAll(async () => {
    await browser?.close();
    demo?.kill();
  });

  it("renders the status page: cards, the CPU chart (SVG) and the counters; saves status-page.png", async () => {
    const { browser, base } = await ready();
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${base}/zephyr-status.html`);
    await holdStill(page); // the checks below look at one rendering (a loaded machine may take longer than the 1 s between reloads)
    expect(await page.title()).toBe("Zephyr status");
    await box(page, "svg.chart");
    expect(await page.locator("svg.chart polyline.line").getAttribute("points")).toMatch(/^(\d+\.\d,\d+\.\d ){19,}/);
    expect(await page.locator(".card").count()).toBeGreaterThanOrEqual(4);
    await box(page, ".card");
    await expect(page.locator("dl.counters").first().innerText()).resolves.toMatch(/Samples received\s+\d+/);
    const file = join(shots, "status-page.png");
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000); // it pays for the start-up (a loaded machine took over 40 s)

  it("renders the dashboard: both domains, the link, the live chart and the consoles; saves dashboard.png", async () => {
    const { browser, base } = await ready();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(`${base}/`);
    await page.waitForFunction(() => document.querySelectorAll("#domains-body tr").length === 2, null, { timeout: 10_000 });
    // a few SSE updates, so the messages-per-second chart has a line
    await page.waitForFunction(() => (document.getElementById("chart-tx")?.getAttribute("points") ?? "").split(" ").length >= 8, null, { timeout: 15_000 });
    expect(await page.textContent("#conn")).toBe("live");
    expect(await page.textContent("#time")).toMatch(/^uptime \d\d:\d\d:\d\d$/);
    expect(await page.textContent("#sample")).toMatch(/^v +1\nseq +\d+\nboot +[0-9a-f]{8}\n/);
    const rows = await page.locator("#domains-body tr").allInnerTexts();
    expect(rows[0]).toMatch(/zephyr[\s\S]*running/);
    expect(rows[1]).toMatch(/linux[\s\S]*running/);
    await expect(page.getByText("zephyr", { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByText("linux", { exact: true }).first().isVisible()).resolves.toBe(true);
    await box(page, "#domains");
    await box(page, "#chart");
    await box(page, "#consoles");
    expect(await page.textContent("#link-state")).toBe("up");
    // the timeline tells the run so far; the chart has its y axis
    await page.waitForFunction(() => [...document.querySelectorAll("#timeline-list li")].some((li) => /first sample from Zephyr boot/.test(li.textContent ?? "")), null, { timeout: 10_000 });
    expect(await page.$$eval("#chart-axes text", (ts) => ts.map((t) => t.textContent))).toContain("now");
    const file = join(shots, "dashboard.png");
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.close();
  }, 40_000);

  it("after xl destroy zephyr: the dashboard shows it destroyed, the link down and the timeline; the status page goes stale; saves dashboard-destroyed.png and status-page-stale.png", async () => {
    const { browser, base } = await ready();
    const running = demo as DemoProcess;
    const dash = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const status = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    for (const p of [dash, status]) p.on("pageerror", (e) => errors.push(String(e)));
    await dash.goto(`${base}/`);
    await until(dash, "the link up on the dashboard", () => document.getElementById("link-state")?.textContent === "up");
    await runXl({ action: "destroy", domain: "zephyr" }, { env: { XDG_RUNTIME_DIR: running.runtimeDir } });
    // the link may first go down for a lesser reason (Zephyr's last trace events arrive after Xen's); it settles on the destroy
    await until(dash, "the link down on the dashboard, because Zephyr is destroyed", () => document.getElementById("link-state")?.textContent === "down" && document.getElementById("link-reason")?.textContent === "(zephyr destroyed)");
    expect((await dash.locator("#domains-body tr").allInnerTexts())[0]).toMatch(/zephyr[\s\S]*destroyed/);
    const timeline = await dash.locator("#timeline-list li").allInnerTexts();
    expect(timeline.join("\n")).toMatch(/zephyr destroyed \(xl destroy\)/);
    await dash.screenshot({ path: join(shots, "dashboard-destroyed.png"), fullPage: true });
    // the page Linux keeps writing says stale (three periods of 250 ms), and the browser keeps its age going
    await status.goto(`${base}/zephyr-status.html`);
    await until(status, "the status page marked stale", () => document.documentElement.className === "is-stale" && document.getElementById("stale-banner")?.hidden === false);
    await expect(status.locator("#stale-banner").innerText()).resolves.toMatch(/^No status sample from Zephyr for \d+(\.\d)? s: the figures below are stale/);
    const file = join(shots, "status-page-stale.png");
    await holdStill(status);
    await status.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await dash.close();
    await status.close();
  }, 60_000);
});
