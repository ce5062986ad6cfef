/**
 * The local control endpoint of a running demo: an HTTP server on
 * 127.0.0.1 (a free port) that `v8r-demo xl list|destroy|restart` in
 * another terminal talks to. Its address and a random token go into the
 * state file (see control-state.ts); every request must carry the token.
 *
 * Routes: `GET /v1/domains`, `POST /v1/domains/<name>/destroy`,
 * `POST /v1/domains/<name>/restart`.
 *
 * @module
 */
import { describeError } from "@v8r/fvp-core";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { controlStatePath, removeControlState, writeControlState, type ControlStateLocation } from "./control-state.ts";
import { isLoopbackAddress } from "./_loopback.ts";
import type { DomainInfo } from "./xl-list.ts";

/** What the endpoint does; the demo supplies these. */
export interface ControlHandlers {
  /** The domains now. */
  list(): readonly DomainInfo[] | Promise<readonly DomainInfo[]>;
  /** Stop a domain (it exists: the endpoint checked `list()`). */
  destroy(name: string): void | Promise<void>;
  /** Restart a domain (it exists: the endpoint checked `list()`). */
  restart(name: string): void | Promise<void>;
}

/** Connections the endpoint keeps open at once; more are closed on arrival. */
const CONTROL_MAX_CONNECTIONS = 16;

/** A started control endpoint. */
export interface ControlEndpoint {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Where the state file was written. */
  readonly stateFile: string;
  /** Stop the server and remove the state file (if it is still ours). */
  close(): Promise<void>;
}

/**
 * Start the endpoint and write the state file.
 *
 * @example
 * ```ts
 * const control = await startControlEndpoint({ list, destroy, restart });
 * shutdown.add("control endpoint", () => control.close());
 * ```
 */
export async function startControlEndpoint(handlers: ControlHandlers, location: ControlStateLocation = {}): Promise<ControlEndpoint> {
  const token = randomBytes(24).toString("base64url");
  const server = createServer({ headersTimeout: 5_000, requestTimeout: 10_000, keepAliveTimeout: 2_000, connectionsCheckingInterval: 1_000 }, (req, res) => {
    void route(req, res, handlers, token).catch((err: unknown) => {
      if (!res.headersSent) reply(res, 500, { ok: false, error: describeError(err).error });
      else res.destroy();
    });
  });
  // `xl` opens one connection at a time: a few are plenty, and a local flood cannot take the demo's descriptors.
  server.maxConnections = CONTROL_MAX_CONNECTIONS;
  server.setTimeout(10_000);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const stateFile = controlStatePath(location);
  try {
    await writeControlState(stateFile, { version: 1, pid: process.pid, url, token, startedAt: new Date().toISOString() });
  } catch (err) {
    server.close();
    throw err;
  }
  return {
    url,
    stateFile,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await removeControlState(stateFile, token);
    },
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7) : "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The path of an origin-form target, or undefined when it does not parse. */
function pathOf(target: string | undefined): string | undefined {
  if (target === undefined || !target.startsWith("/") || target.startsWith("//")) return undefined;
  try {
    return new URL(target, "http://control.invalid").pathname;
  } catch {
    return undefined;
  }
}

async function route(req: IncomingMessage, res: ServerResponse, handlers: ControlHandlers, token: string): Promise<void> {
  req.resume();
  // It listens on 127.0.0.1 only; this holds even if that ever changes.
  if (!isLoopbackAddress(req.socket.remoteAddress)) {
    reply(res, 403, { ok: false, error: "the control endpoint only answers this machine" });
    return;
  }
  if (!authorized(req, token)) {
    reply(res, 401, { ok: false, error: "missing or wrong token" });
    return;
  }
  const path = pathOf(req.url);
  if (path === undefined) return reply(res, 400, { ok: false, error: "the request target is not a path" });
  if (path === "/v1/domains") {
    if (req.method !== "GET") return reply(res, 405, { ok: false, error: "use GET" });
    reply(res, 200, { ok: true, domains: await handlers.list() });
    return;
  }
  const match = /^\/v1\/domains\/([^/]+)\/(destroy|restart)$/.exec(path);
  if (match === null) return reply(res, 404, { ok: false, error: `no such route ${path}` });
  if (req.method !== "POST") return reply(res, 405, { ok: false, error: "use POST" });
  let name: string;
  try {
    name = decodeURIComponent(match[1] as string);
  } catch {
    return reply(res, 400, { ok: false, error: "the domain name in the path is not valid percent-encoding" });
  }
  const action = match[2] as "destroy" | "restart";
  const domains = await handlers.list();
  if (!domains.some((d) => d.name === name)) {
    const names = domains.map((d) => d.name).join(", ");
    reply(res, 404, { ok: false, error: `no domain named "${name}" (domains: ${names === "" ? "none" : names})` });
    return;
  }
  await handlers[action](name);
  reply(res, 200, { ok: true });
}
