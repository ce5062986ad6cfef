// The dashboard facing the network: targets it cannot parse, changes from
// elsewhere, and event-stream clients that pile up or stop reading.
import { createServer, request, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDashboard, type DashboardHandler, type DashboardOptions } from "./create-dashboard.ts";
import type { DashboardSnapshot } from "./snapshot.ts";

let server: Server | undefined;
let dashboard: DashboardHandler | undefined;

function snapshot(lines: readonly string[]): DashboardSnapshot {
  return {
    time: 0,
    domains: [],
    link: { state: "up", txPerSec: 0, rxPerSec: 0, ringUsed: 0, ringSize: 16, retries: 0, reinits: 0 },
    latestSample: null,
    consoles: { zephyr: [...lines], linux: [] },
    periodMs: 1000,
  } as unknown as DashboardSnapshot;
}

async function start(overrides: Partial<DashboardOptions> = {}): Promise<{ port: number; onSetPeriod: ReturnType<typeof vi.fn> }> {
  const onSetPeriod = vi.fn(async (_ms: number) => {});
  dashboard = createDashboard({ getSnapshot: () => snapshot([]), onSetPeriod, intervalMs: 50, heartbeatMs: 30, ...overrides });
  const d = dashboard;
  server = createServer((req, res) => {
    if (!d(req, res)) res.writeHead(404).end("not mine");
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, onSetPeriod };
}

afterEach(async () => {
  dashboard?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = dashboard = undefined;
});

/** Send raw bytes; resolve with the status code of the answer. */
function rawStatus(port: number, head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port }, () => socket.write(head));
    let text = "";
    socket.on("data", (c: Buffer) => (text += c.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => resolve(Number(text.split(" ")[1] ?? 0)));
  });
}

/** POST a period with the given Host and Origin headers (fetch does not let a test set Host). */
function postPeriod(port: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/api/period", headers: { "content-type": "application/json", ...headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => (body += c)).on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end('{"ms":500}');
  });
}

describe("createDashboard on the network", () => {
  it.each(["//..%2fetc/passwd", "http://[::1/", "http://%zz/", "//evil.example/"])(
    "answers 400 to the target %s instead of failing (regression: new URL threw, 500)", async (target) => {
      const { port } = await start();
      expect(await rawStatus(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)).toBe(400);
    });

  it("changes the period for this machine, and refuses a rebound host name or another page's script with 403", async () => {
    const { port, onSetPeriod } = await start();
    expect((await postPeriod(port, { host: `127.0.0.1:${port}` })).status).toBe(200);
    const rebound = await postPeriod(port, { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain("the period cannot be changed over the network");
    expect((await postPeriod(port, { host: `localhost:${port}`, origin: "http://evil.example" })).status).toBe(403);
    expect(onSetPeriod).toHaveBeenCalledTimes(1);
  });

  it("answers 503 to event streams beyond maxClients", async () => {
    const { port } = await start({ maxClients: 2 });
    const open = await Promise.all([0, 1].map(() => fetch(`http://127.0.0.1:${port}/events`)));
    await vi.waitFor(() => expect(dashboard?.clientCount).toBe(2));
    const third = await fetch(`http://127.0.0.1:${port}/events`);
    expect(third.status).toBe(503);
    await third.text();
    for (const res of open) await res.body?.cancel();
  });

  it("drops an event-stream client that stops reading once maxBufferedBytes wait for it (regression: unbounded output)", async () => {
    const big = Array.from({ length: 200 }, (_, i) => `line ${i} ${"x".repeat(500)}`); // ~100 KB per event
    const { port } = await start({ intervalMs: 5, maxBufferedBytes: 64 * 1024, getSnapshot: () => snapshot(big) });
    const socket = connect({ host: "127.0.0.1", port }, () => socket.write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
    socket.pause(); // never reads
    await vi.waitFor(() => expect(dashboard?.clientCount).toBe(1));
    await vi.waitFor(() => expect(dashboard?.clientCount).toBe(0), { timeout: 20_000, interval: 20 });
    socket.destroy();
  });
});
