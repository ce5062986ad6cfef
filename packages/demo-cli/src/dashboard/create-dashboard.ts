/**
 * The server side of the live dashboard: a Node request handler for `/`
 * (the page), `/events` (Server-Sent Events), `/api/snapshot` and
 * `/api/period`, to plug into the web server as an extra route. Read-only
 * to the network: `/api/period` is refused (403) unless the request comes
 * from this machine (a loopback peer, a loopback Host, no foreign Origin),
 * whatever address the server listens on.
 *
 * @module
 */
import { describeError } from "@v8r/fvp-core";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readRequestBody, requestPath } from "../_http-request.ts";
import { localChangeRefusal } from "../_loopback.ts";
import { PERIOD_RANGE_MS } from "../options.ts";
import { renderDashboardPage, type DashboardPageOptions } from "./dashboard-page.ts";
import { createSseHub } from "./_sse-hub.ts";
import type { DashboardSnapshot } from "./snapshot.ts";

/** Options of {@link createDashboard}. */
export interface DashboardOptions {
  /** The current state; called for every event sent. */
  getSnapshot(): DashboardSnapshot;
  /** Change Zephyr's sampling period (over rpmsg-ctrl); reject to refuse. */
  onSetPeriod(ms: number): Promise<void>;
  /** Interval of the periodic `snapshot` event, ms; default 1000. */
  readonly intervalMs?: number;
  /** Interval of SSE heartbeat comments, ms; default 15000. */
  readonly heartbeatMs?: number;
  /** Shortest gap between change-triggered events, ms; default 100. */
  readonly minGapMs?: number;
  /** Most `/events` streams at once (503 beyond); default 64. */
  readonly maxClients?: number;
  /** Bytes of events that may wait for a client that does not read before it is dropped; default 256 KiB. */
  readonly maxBufferedBytes?: number;
  /** Page options (title, status page link). */
  readonly page?: DashboardPageOptions;
}

/** A Node request handler (true when it handled the request) plus controls. */
export interface DashboardHandler {
  /** Handle `req` when it is a dashboard route; returns false otherwise. */
  (req: IncomingMessage, res: ServerResponse): boolean;
  /** Push a snapshot to every client soon (throttled by `minGapMs`). */
  notifyChange(): void;
  /** Number of connected `/events` clients. */
  readonly clientCount: number;
  /** End every event stream and stop the timers. */
  close(): void;
}

const MAX_BODY_BYTES = 4096;
const SECURITY_HEADERS: Record<string, string> = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};
const PAGE_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:";

/**
 * Build the dashboard handler. Timers run only while `/events` clients
 * are connected, so an idle dashboard keeps no handle open.
 *
 * @example
 * ```ts
 * const dashboard = createDashboard({ getSnapshot, onSetPeriod: (ms) => ctrl.period(ms) });
 * http.createServer((req, res) => { if (!dashboard(req, res)) serveFiles(req, res); });
 * ```
 */
export function createDashboard(options: DashboardOptions): DashboardHandler {
  const page = renderDashboardPage(options.page);
  const hub = createSseHub({
    data: () => JSON.stringify(options.getSnapshot()),
    intervalMs: options.intervalMs ?? 1000,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    minGapMs: options.minGapMs ?? 100,
    ...(options.maxClients === undefined ? {} : { maxClients: options.maxClients }),
    ...(options.maxBufferedBytes === undefined ? {} : { maxBufferedBytes: options.maxBufferedBytes }),
  });

  const handler = ((req: IncomingMessage, res: ServerResponse): boolean => {
    const path = requestPath(req.url);
    const method = req.method ?? "GET";
    switch (path) {
      case undefined:
        sendJson(res, 400, { ok: false, error: "the request target is not a path this server can parse" });
        return true;
      case "/":
        if (!allow(res, method, ["GET", "HEAD"])) return true;
        res.writeHead(200, { ...SECURITY_HEADERS, "content-type": "text/html; charset=utf-8", "content-security-policy": PAGE_CSP });
        res.end(method === "HEAD" ? undefined : page);
        return true;
      case "/events":
        if (allow(res, method, ["GET"])) hub.open(req, res, SECURITY_HEADERS);
        return true;
      case "/api/snapshot":
        if (allow(res, method, ["GET"])) sendJson(res, 200, options.getSnapshot());
        return true;
      case "/api/period": {
        if (!allow(res, method, ["POST"])) return true;
        const refusal = localChangeRefusal(req);
        if (refusal !== undefined) {
          req.resume();
          sendJson(res, 403, { ok: false, error: `the period cannot be changed over the network: ${refusal}` });
        } else void setPeriod(req, res, options.onSetPeriod, hub.sendAll);
        return true;
      }
      default:
        return false;
    }
  }) as DashboardHandler;

  Object.defineProperty(handler, "clientCount", { get: () => hub.size });
  handler.notifyChange = hub.notifyChange;
  handler.close = hub.close;
  return handler;
}

function allow(res: ServerResponse, method: string, methods: readonly string[]): boolean {
  if (methods.includes(method)) return true;
  res.writeHead(405, { ...SECURITY_HEADERS, allow: methods.join(", "), "content-type": "application/json" });
  res.end(JSON.stringify({ ok: false, error: `method ${method} not allowed here (use ${methods.join(" or ")})` }));
  return false;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

async function setPeriod(
  req: IncomingMessage,
  res: ServerResponse,
  onSetPeriod: (ms: number) => Promise<void>,
  changed: () => void,
): Promise<void> {
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
    sendJson(res, 415, { ok: false, error: "send the period as JSON: content-type application/json, body {\"ms\": 500}" });
    req.resume();
    return;
  }
  let body: Buffer | undefined;
  try {
    body = await readRequestBody(req, MAX_BODY_BYTES);
  } catch {
    res.destroy();
    return;
  }
  if (body === undefined) {
    sendJson(res, 413, { ok: false, error: `the body is over ${MAX_BODY_BYTES} bytes` });
    return;
  }
  const ms = parsePeriod(body.toString("utf8"));
  if (typeof ms === "string") {
    sendJson(res, 400, { ok: false, error: ms });
    return;
  }
  try {
    await onSetPeriod(ms);
  } catch (err) {
    sendJson(res, 503, { ok: false, error: `could not set the period: ${describeError(err).error}` });
    return;
  }
  sendJson(res, 200, { ok: true, ms });
  changed();
}

/** The period in a `{"ms": n}` body, or a reason it is not acceptable. */
function parsePeriod(body: string): number | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return "the body is not JSON (expected {\"ms\": 500})";
  }
  const ms = typeof value === "object" && value !== null ? (value as { ms?: unknown }).ms : undefined;
  if (typeof ms !== "number" || !Number.isInteger(ms) || ms < PERIOD_RANGE_MS.min || ms > PERIOD_RANGE_MS.max) {
    return `ms must be a whole number from ${PERIOD_RANGE_MS.min} to ${PERIOD_RANGE_MS.max}`;
  }
  return ms;
}
