/** Internal: the built-in static file server on node:http. */
import { describeError } from "@v8r/fvp-core";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { listen } from "./_net.ts";
import { createRootGuard, type RootGuard } from "./_open-in-root.ts";
import { resolveStaticTarget, sendFile, sendStatus } from "./_static-files.ts";
import { formatBaseUrl, type ResolvedWebServerOptions, type WebServer } from "./web-server.ts";

const DEFAULTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 16_384,
  maxUrlBytes: 4_096,
  maxBodyBytes: 0,
} as const;

type Limits = { -readonly [K in keyof typeof DEFAULTS]: number };

function tooLarge(req: IncomingMessage, limits: Limits): boolean {
  if (req.headers["transfer-encoding"] !== undefined) return true; // a streamed body has no size to check up front
  const length = Number(req.headers["content-length"] ?? 0);
  return !Number.isFinite(length) || length > limits.maxBodyBytes;
}

async function handle(req: IncomingMessage, res: ServerResponse, guard: RootGuard, opts: ResolvedWebServerOptions, limits: Limits): Promise<void> {
  res.setHeader("X-Content-Type-Options", "nosniff");
  if (opts.dashboard && (await opts.dashboard(req, res))) return;
  const url = req.url ?? "/";
  if (req.method !== "GET" && req.method !== "HEAD") {
    sendStatus(res, 405, "Method Not Allowed", { Allow: "GET, HEAD" });
    return;
  }
  if (tooLarge(req, limits)) {
    res.shouldKeepAlive = false;
    sendStatus(res, 413, "Content Too Large", { Connection: "close" });
    return;
  }
  if (Buffer.byteLength(url) > limits.maxUrlBytes) {
    sendStatus(res, 414, "URI Too Long");
    return;
  }
  const target = resolveStaticTarget(guard.rootReal, url);
  if (!target.ok) {
    sendStatus(res, target.status, target.status === 400 ? "Bad Request" : "Not Found");
    return;
  }
  await sendFile(req, res, guard, target);
}

/** Start the built-in engine. */
export async function startBuiltinServer(opts: ResolvedWebServerOptions): Promise<WebServer> {
  const limits: Limits = { ...DEFAULTS, ...opts.limits };
  const guard = await createRootGuard(opts.root);
  const server = createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks the two timeouts above only this often (default 30 s).
    connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
  }, (req, res) => {
    handle(req, res, guard, opts, limits).catch((err: unknown) => {
      opts.log(`[linux-shim] web: ${req.method} ${req.url}: ${describeError(err).error}`);
      if (!res.headersSent) sendStatus(res, 500, "Internal Server Error");
      else res.destroy();
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const port = await listen(server, opts.host, opts.port);
  let closing: Promise<void> | undefined;
  return {
    url: formatBaseUrl(opts.host, port),
    port,
    host: opts.host,
    engine: "builtin",
    close() {
      closing ??= new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeIdleConnections?.();
        // Requests still running (a dashboard's event stream) get a moment, then are cut.
        const timer = setTimeout(() => {
          server.closeAllConnections?.();
          for (const socket of sockets) socket.destroy();
        }, 500);
        server.once("close", () => clearTimeout(timer));
      });
      return closing;
    },
  };
}
