import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDashboard, type DashboardHandler, type DashboardOptions } from "./create-dashboard.ts";
import type { DashboardSnapshot } from "./snapshot.ts";

function snapshot(time: number): DashboardSnapshot {
  return {
    time,
    domains: [
      { name: "zephyr", domid: 1, state: "running", vcpus: 1, load: 12.5 },
      { name: "linux", domid: 2, state: "running", vcpus: 2, load: 3 },
    ],
    link: { state: "up", txPerSec: 1, rxPerSec: 0, ringUsed: 2, ringSize: 16, retries: 0, reinits: 0 },
    latestSample: { v: 1, seq: time, boot: "1a2b3c4d", t: time },
    consoles: { zephyr: ["hello"], linux: [] },
    periodMs: 1000,
  };
}

let server: Server | undefined;
let dashboard: DashboardHandler | undefined;

async function start(overrides: Partial<DashboardOptions> = {}): Promise<{ base: string; onSetPeriod: ReturnType<typeof vi.fn> }> {
  let n = 0;
  const onSetPeriod = vi.fn(async (_ms: number) => {});
  dashboard = createDashboard({ getSnapshot: () => snapshot(n++), onSetPeriod, intervalMs: 50, heartbeatMs: 30, ...overrides });
  const d = dashboard;
  server = createServer((req, res) => {
    if (!d(req, res)) {
      res.writeHead(404);
      res.end("not mine");
    }
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, onSetPeriod };
}

afterEach(async () => {
  dashboard?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  dashboard = undefined;
});

/** Read SSE events from a response until `count` snapshot events arrived. */
async function readEvents(res: Response, count: number): Promise<{ events: { id: string; data: DashboardSnapshot }[]; raw: string }> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let raw = "";
  const events: { id: string; data: DashboardSnapshot }[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    raw += decoder.decode(value, { stream: true });
    events.length = 0;
    for (const block of raw.split("\n\n")) {
      const fields = Object.fromEntries(block.split("\n").filter((l) => /^\w+: /.test(l)).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]));
      if (fields.event === "snapshot" && block.length > 0 && raw.includes(`${block}\n\n`)) {
        events.push({ id: fields.id ?? "", data: JSON.parse(fields.data ?? "null") as DashboardSnapshot });
      }
    }
  }
  await reader.cancel();
  return { events, raw };
}

describe("createDashboard", () => {
  it("serves the page at / with every section, a CSP and the EventSource script", async () => {
    const { base } = await start();
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    for (const id of ["domains", "link", "tx", "rx", "ring-text", "retries", "reinits", "sample", "consoles", "period-form", "chart"]) {
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain('new EventSource("events")');
    expect(html).toContain("zephyr-status.html");
  });

  it("leaves other paths to the next handler", async () => {
    const { base } = await start();
    const res = await fetch(`${base}/zephyr-status.html`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("not mine");
  });

  it("streams a snapshot at once and then every interval, with growing ids and heartbeats", async () => {
    const { base } = await start();
    const res = await fetch(`${base}/events`);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const { events, raw } = await readEvents(res, 3);
    expect(events).toHaveLength(3);
    expect(events[0]?.data.domains.map((d) => d.name)).toEqual(["zephyr", "linux"]);
    expect(events.map((e) => Number(e.id))).toEqual([1, 2, 3]);
    expect(raw.startsWith("retry: 2000\n\n")).toBe(true);
    expect(raw).toMatch(/: heartbeat\n\n/);
  });

  it("pushes a snapshot soon after notifyChange", async () => {
    const { base } = await start({ intervalMs: 60_000, heartbeatMs: 60_000, minGapMs: 5 });
    const res = await fetch(`${base}/events`);
    const pending = readEvents(res, 2);
    await vi.waitFor(() => expect(dashboard?.clientCount).toBe(1));
    dashboard?.notifyChange();
    const { events } = await pending;
    expect(events).toHaveLength(2);
  });

  it("forgets a client when it disconnects and stops its timers", async () => {
    const { base } = await start();
    const controller = new AbortController();
    const res = await fetch(`${base}/events`, { signal: controller.signal });
    await readEvents(res, 1);
    controller.abort();
    await vi.waitFor(() => expect(dashboard?.clientCount).toBe(0));
  });

  it("serves the snapshot as JSON", async () => {
    const { base } = await start();
    const res = await fetch(`${base}/api/snapshot`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as DashboardSnapshot).link.ringSize).toBe(16);
  });

  it("passes a valid period to onSetPeriod and answers 200", async () => {
    const { base, onSetPeriod } = await start();
    const res = await fetch(`${base}/api/period`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ms: 250 }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, ms: 250 });
    expect(onSetPeriod).toHaveBeenCalledExactlyOnceWith(250);
  });

  it.each([
    ["not json", "not JSON"],
    ["{}", "ms must be a whole number from 100 to 60000"],
    ['{"ms": 99}', "from 100 to 60000"],
    ['{"ms": 60001}', "from 100 to 60000"],
    ['{"ms": 150.5}', "whole number"],
    ['{"ms": "500"}', "whole number"],
    ["null", "whole number"],
  ])("answers 400 to the period body %j without calling onSetPeriod", async (body, reason) => {
    const { base, onSetPeriod } = await start();
    const res = await fetch(`${base}/api/period`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain(reason);
    expect(onSetPeriod).not.toHaveBeenCalled();
  });

  it.each([
    ["GET", "/api/period", 405],
    ["POST", "/", 405],
    ["DELETE", "/events", 405],
  ])("answers %s %s with %d", async (method, path, status) => {
    const { base } = await start();
    const res = await fetch(`${base}${path}`, { method });
    expect(res.status).toBe(status);
    expect(res.headers.get("allow")).not.toBeNull();
  });

  it("refuses a period that is not sent as JSON (no cross-site form posts)", async () => {
    const { base, onSetPeriod } = await start();
    const res = await fetch(`${base}/api/period`, { method: "POST", headers: { "content-type": "text/plain" }, body: '{"ms":500}' });
    expect(res.status).toBe(415);
    expect(onSetPeriod).not.toHaveBeenCalled();
  });

  it("refuses a body over 4 KiB", async () => {
    const { base } = await start();
    const res = await fetch(`${base}/api/period`, { method: "POST", headers: { "content-type": "application/json" }, body: `{"ms":500,"pad":"${"x".repeat(5000)}"}` });
    expect(res.status).toBe(413);
  });

  it("answers 503 with the reason when onSetPeriod rejects", async () => {
    const { base } = await start({ onSetPeriod: () => Promise.reject(new Error("link down")) });
    const res = await fetch(`${base}/api/period`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"ms":500}' });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toBe("could not set the period: link down");
  });

  it("ends open streams on close()", async () => {
    const { base } = await start({ intervalMs: 60_000 });
    const res = await fetch(`${base}/events`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    dashboard?.close();
    let done = false;
    for (let i = 0; i < 10 && !done; i++) done = (await reader.read()).done;
    expect(done).toBe(true);
    expect(dashboard?.clientCount).toBe(0);
  });
});
