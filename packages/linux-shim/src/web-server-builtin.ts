/** Internal: the built-in static file server on node:http. */
import { describeError } from "@v8r/fvp-core";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { listen } from "./_net.ts";
import { createRootGuard } from "./_open-in-root.ts";
import { sendStatus, StaticFiles } from "./_static-files.ts";
import { connectionCap, createConnectionGuard, type ConnectionGuard } from "./_web-connections.ts";
import { IdleRelease, resolveIdleRelease } from "./_web-idle-release.ts";
import { bodyTooLarge, checkRequestHead, isRefusal, parseTarget, type Refusal } from "./_web-request.ts";
import { formatBaseUrl, type ResolvedWebServerOptions, type WebServer } from "./web-server-options.ts";

/** A connection idle at least this long may be closed to make room for a new one when the server is full, ms. */
const EVICT_IDLE_AFTER_MS = 1000;
/** Pending connections the kernel may queue for us (capped by net.core.somaxconn). */
const LISTEN_BACKLOG = 1024;

function refuse(res: ServerResponse, refusal: Refusal): void {
  res.shouldKeepAlive = false;
  sendStatus(res, refusal.status, refusal.text, { Connection: "close" });
}

/** Checks, then the dashboard's routes, then the files; synchronous up to the first real wait (a dashboard's promise, the file lookup). */
function handle(req: IncomingMessage, res: ServerResponse, files: StaticFiles, opts: ResolvedWebServerOptions): void | Promise<void> {
  const rawUrl = req.url ?? "";
  const head = checkRequestHead(req, rawUrl, opts.limits);
  if (head !== undefined) return refuse(res, head);
  const target = parseTarget(rawUrl);
  if (isRefusal(target)) return refuse(res, target);
  req.url = target.canonical; // what the dashboard routes on: always a clean origin-form path
  const routed = opts.dashboard?.(req, res) ?? false;
  if (routed === true) return;
  if (routed === false) return serveFile(req, res, files, target.segments, opts);
  return routed.then((done) => (done ? undefined : serveFile(req, res, files, target.segments, opts)));
}

function serveFile(req: IncomingMessage, res: ServerResponse, files: StaticFiles, segments: readonly string[], opts: ResolvedWebServerOptions): void | Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") return sendStatus(res, 405, "Method Not Allowed", { Allow: "GET, HEAD" });
  if (bodyTooLarge(req, opts.limits)) return refuse(res, { status: 413, text: "Content Too Large" });
  return files.serve(req, res, segments);
}

function failed(req: IncomingMessage, res: ServerResponse, err: unknown, log: (line: string) => void): void {
  log(`[linux-shim] web: ${req.method} ${req.url}: ${describeError(err).error}`);
  if (!res.headersSent) sendStatus(res, 500, "Internal Server Error");
  else res.destroy();
}

/** The request listener: each request marks its connection busy until its response closes (sent, or the connection gone). */
function requestListener(files: StaticFiles, guard: ConnectionGuard, idle: IdleRelease | undefined, opts: ResolvedWebServerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  // One listener for every response, so a request costs no closure here.
  function onResponseClose(this: ServerResponse): void {
    guard.idle(this.req.socket);
  }
  return (req, res) => {
    idle?.activity();
    guard.busy(req.socket);
    res.on("close", onResponseClose);
    let done: void | Promise<void>;
    try {
      done = handle(req, res, files, opts);
    } catch (err) {
      return failed(req, res, err, opts.log);
    }
    done?.catch((err: unknown) => failed(req, res, err, opts.log));
  };
}

/** Start the built-in engine. */
export async function startBuiltinServer(opts: ResolvedWebServerOptions): Promise<WebServer> {
  const limits = opts.limits;
  const idleOptions = resolveIdleRelease(opts.idleRelease);
  const idle = idleOptions && new IdleRelease(idleOptions, opts.log);
  const files = new StaticFiles(await createRootGuard(opts.root));
  const guard = createConnectionGuard(connectionCap(limits.maxConnections, limits.reserveDescriptors), EVICT_IDLE_AFTER_MS, opts.log);
  const server = createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks the two timeouts above only this often (default 30 s).
    connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
  }, requestListener(files, guard, idle, opts));
  server.maxHeadersCount = 0; // count every header line towards maxHeaderBytes instead of dropping those past 2,000
  server.setTimeout(limits.idleTimeoutMs); // no traffic either way for this long: the socket is destroyed
  server.on("connection", (socket: Socket) => {
    idle?.activity();
    guard.admit(socket);
  });
  const port = await listen(server, opts.host, opts.port, LISTEN_BACKLOG);
  let closing: Promise<void> | undefined;
  return {
    url: formatBaseUrl(opts.host, port),
    port,
    host: opts.host,
    engine: "builtin",
    close() {
      idle?.stop();
      closing ??= new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeIdleConnections();
        // Requests still running (a dashboard's event stream) get a moment, then are cut.
        const timer = setTimeout(() => server.closeAllConnections(), 500);
        server.once("close", () => clearTimeout(timer));
      });
      return closing;
    },
  };
}
