import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeRootFs, startWebServer, type WebServer } from "@v8r/linux-shim/node";
import { StatusPublisher } from "../status-publisher.ts";
import { buildSampleHistory } from "./sample-history.ts";

const CHROMIUM = "/usr/bin/chromium";
// The committed screenshot (shown in the README) is refreshed only on request,
// so a test run leaves the work tree clean: V8R_UPDATE_SCREENSHOTS=1.
const SCREENSHOT = process.env["V8R_UPDATE_SCREENSHOTS"]
  ? fileURLToPath(new URL("./screenshots/status-page.png", import.meta.url))
  : join(tmpdir(), `v8r-status-page-${process.pid}.png`);

let host: string;
let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  await stat(CHROMIUM).catch(() => {
    throw new Error(`this test needs Chromium at ${CHROMIUM} (Debian: apt-get install chromium; .ci/run installs it)`);
  });
  host = await mkdtemp(join(tmpdir(), "v8r-chromium-"));
  const fs = new NodeRootFs(host);
  const { history, lastMs } = buildSampleHistory();
  // A long refresh so the page does not reload in the middle of the checks.
  await new StatusPublisher(fs, { now: () => lastMs + 400, refreshSeconds: 30 }).publish(history);
  server = await startWebServer({ root: fs.hostPath("/usr/share/nginx/html"), port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (host) await rm(host, { recursive: true, force: true });
});

interface Box { x: number; y: number; width: number; height: number }

describe("status page in headless Chromium", () => {
  it("renders the CPU chart visibly, with the values and threads, and saves a screenshot", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const response = await page.goto(new URL("/zephyr-status.html", server.url).href, { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe("Zephyr status");

    const chart = await page.evaluate(() => {
      const svg = document.querySelector("svg.chart");
      const lines = [...document.querySelectorAll("svg.chart polyline.line")];
      const box = (el: Element): Box => {
        const r = el.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      };
      return {
        svg: svg ? box(svg) : null,
        lines: lines.map((l) => ({ box: box(l), stroke: getComputedStyle(l).stroke, width: getComputedStyle(l).strokeWidth, visibility: getComputedStyle(l).visibility })),
      };
    });
    expect(chart.svg?.width).toBeGreaterThan(500);
    expect(chart.svg?.height).toBeGreaterThan(150);
    expect(chart.lines.length).toBe(3);
    for (const line of chart.lines) {
      expect(line.box.width).toBeGreaterThan(10);
      expect(line.box.height).toBeGreaterThan(10);
      expect(line.visibility).toBe("visible");
      expect(line.stroke).not.toBe("none");
      expect(parseFloat(line.width)).toBeGreaterThan(1);
      // inside the chart
      expect(line.box.x).toBeGreaterThanOrEqual(chart.svg?.x ?? 0);
      expect(line.box.x + line.box.width).toBeLessThanOrEqual((chart.svg?.x ?? 0) + (chart.svg?.width ?? 0) + 1);
    }
    const text = await page.innerText("main");
    expect(text).toContain("CPU LOAD");
    expect(text).toContain("bound");
    expect(text).toContain("rpmsg_host");
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(png.byteLength).toBeGreaterThan(20_000);
    expect(errors).toEqual([]);
    await page.close();
  });
});
