import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard, type DashboardHandler } from "./create-dashboard.ts";
import type { DashboardSnapshot } from "./snapshot.ts";
import { CHROMIUM, CHROMIUM_ARGS } from "../../test/_chromium.ts";


// No skipping: a missing browser is a failing test (CI installs Debian's chromium).
const playwright = await import("playwright-core");

describe("the dashboard in headless Chromium", () => {
  let server: Server;
  let dashboard: DashboardHandler;
  let base: string;
  const periods: number[] = [];
  let seq = 0;

  const snapshot = (): DashboardSnapshot => ({
    time: 3_725_000,
    periodMs: 1000,
    domains: [
      { name: "zephyr", domid: 1, state: "running", vcpus: 1, load: 12.5 },
      { name: "linux", domid: 2, state: "blocked", vcpus: 2, load: 3, interrupts: [{ irq: 31, source: "xen-evtchn", count: 42 }, { irq: 32, source: "vpl011", count: 3 }] },
    ],
    link: { state: "up", txPerSec: 1 + (seq % 2), rxPerSec: 0.5, ringUsed: 4, ringSize: 16, retries: 1, reinits: 0, lost: 0 },
    latestSample: { v: 1, seq: seq++, boot: "1a2b3c4d", t: 0 },
    consoles: { xen: ["(XEN) <b>not bold</b>"], zephyr: ["*** Booting Zephyr OS ***"], linux: [] },
  });

  beforeAll(async () => {
    dashboard = createDashboard({ getSnapshot: snapshot, onSetPeriod: async (ms) => void periods.push(ms), intervalMs: 100 });
    server = createServer((req, res) => {
      if (!dashboard(req, res)) {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    dashboard.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("renders the snapshot stream and sets the period, with no script error", async () => {
    const browser = await playwright.chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.querySelectorAll("#domains-body tr").length === 2, null, { timeout: 10_000 });
      await page.waitForFunction(() => (document.getElementById("chart-tx")?.getAttribute("points") ?? "") !== "", null, { timeout: 10_000 });
      expect(await page.textContent("#conn")).toBe("live");
      expect(await page.textContent("#ring-text")).toBe("4 / 16");
      expect(await page.textContent("#domains-body tr:nth-child(2) td:last-child")).toBe("31: 42 · 32: 3");
      expect(await page.textContent("#time")).toBe("simulated 01:02:05");
      expect(await page.textContent("#consoles pre")).toBe("(XEN) <b>not bold</b>");
      await page.fill("#period-ms", "500");
      await page.click("#period-form button");
      await page.waitForFunction(() => document.getElementById("period-result")?.textContent === "set to 500 ms", null, { timeout: 10_000 });
      expect(periods).toEqual([500]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
