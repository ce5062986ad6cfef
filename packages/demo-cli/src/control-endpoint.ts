/**
 * The local control endpoint of a running demo: an HTTP server on
 * 127.0.0.1 (a free port) that `v8r-demo xl ...` in another terminal talks
 * to. Its address and a random token go into the state file (see
 * control-state.ts); every request must carry the token.
 *
 * Routes: `GET /v1/domains`; `POST /v1/domains/<name>/<action>` for the
 * actions of {@link XlAction}; `POST /v1/domains` with `{"file": PATH}`
 * (`xl create FILE`); `GET /v1/domains/<name>/console` (the console's
 * output so far, then as it comes, until the domain goes away) and `POST
 * /v1/domains/<name>/console` (bytes for its input).
 *
 * @module
 */
import { describeError } from "@v8r/fvp-core";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { controlStatePath, removeControlState, writeControlState, type ControlStateLocation } from "./control-state.ts";
import { readRequestBody, requestPath } from "./_http-request.ts";
import { isLoopbackAddress } from "./_loopback.ts";
import { type DomainInfo, XL_ACTIONS, type XlAction } from "./xl-list.ts";

export { XL_ACTIONS, type XlAction };

/** A domain's console, attached for `xl console`. */
export interface ConsoleAttachment {
  /** What the console printed before (its kept lines and the unfinished one). */
  readonly replay: string;
  /** Call `cb` with each new piece of output; returns the unsubscribe function. */
  onOutput(cb: (text: string) => void): () => void;
  /** Call `cb` once the domain is gone (destroyed); returns the unsubscribe function. */
  onEnd(cb: () => void): () => void;
  /** Send bytes to the console's input (the guest reads them, if it reads its console). */
  input(bytes: Uint8Array): void;
}

/** The stable `code` of a {@link ControlRefusal}, by its HTTP status. */
const REFUSAL_CODES = { 400: "EINVAL", 404: "ENOENT", 409: "EBUSY", 413: "EMSGSIZE" } as const;

/** The HTTP statuses a {@link ControlRefusal} answers with. */
export type ControlRefusalStatus = keyof typeof REFUSAL_CODES;

/** A request the demo refuses; `status` is the HTTP status to answer with (400, 404, 409 or 413). */
export class ControlRefusal extends Error {
  /** HTTP status: 400 bad input, 404 no such domain, 409 not in a state for it, 413 body too large. */
  readonly status: ControlRefusalStatus;
  /** The same as a stable code: `EINVAL` (400), `ENOENT` (404), `EBUSY` (409), `EMSGSIZE` (413). */
  readonly code: (typeof REFUSAL_CODES)[ControlRefusalStatus];
  /** Build a refusal; `message` says what was asked and why not. */
  constructor(status: ControlRefusalStatus, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ControlRefusal";
    this.status = status;
    this.code = REFUSAL_CODES[status];
  }
}

/** What the endpoint does; the demo supplies these. */
export interface ControlHandlers {
  /** The domains now. */
  list(): readonly DomainInfo[] | Promise<readonly DomainInfo[]>;
  /**
   * Do `action` to domain `name` and resolve with what `xl` prints (one
   * line or more). For every action but `create` the endpoint has checked
   * that the domain is listed. Reject with a {@link ControlRefusal} to answer 4xx.
   */
  act(action: XlAction, name: string): string | Promise<string>;
  /** `xl create FILE`: create the domain(s) of a device-tree fragment; resolves with what `xl` prints. */
  createFromFile(file: string): Promise<string>;
  /** `xl console NAME`: attach to a listed domain's console. */
  console(name: string): ConsoleAttachment;
}

/** Connections the endpoint keeps open at once; more are closed on arrival. */
const CONTROL_MAX_CONNECTIONS = 16;

/** A started control endpoint. */
export interface ControlEndpoint {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Where the state file was written. */
  readonly stateFile: string;
  /** Stop the server (ending attached consoles) and remove the state file (if it is still ours). */
  close(): Promise<void>;
}

/** Largest request body: a fragment's path, or a piece of console input. */
const MAX_BODY_BYTES = 4096;

/**
 * Start the endpoint and write the state file.
 *
 * @example
 * ```ts
 * const control = await startControlEndpoint({ list, act, createFromFile, console });
 * shutdown.add("control endpoint", () => control.close());
 * ```
 */
export async function startControlEndpoint(handlers: ControlHandlers, location: ControlStateLocation = {}): Promise<ControlEndpoint> {
  const token = randomBytes(24).toString("base64url");
  const server = createServer({ headersTimeout: 5_000, requestTimeout: 10_000, keepAliveTimeout: 2_000, connectionsCheckingInterval: 1_000 }, (req, res) => {
    void route(req, res, handlers, token).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof ControlRefusal) reply(res, err.status, { ok: false, error: err.message });
      else reply(res, 500, { ok: false, error: describeError(err).error });
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

async function route(req: IncomingMessage, res: ServerResponse, handlers: ControlHandlers, token: string): Promise<void> {
  // It listens on 127.0.0.1 only; this holds even if that ever changes.
  if (!isLoopbackAddress(req.socket.remoteAddress)) {
    req.resume();
    return reply(res, 403, { ok: false, error: "the control endpoint only answers this machine" });
  }
  if (!authorized(req, token)) {
    req.resume();
    return reply(res, 401, { ok: false, error: "missing or wrong token" });
  }
  const path = requestPath(req.url);
  if (path === undefined) {
    req.resume();
    return reply(res, 400, { ok: false, error: "the request target is not a path" });
  }
  if (path === "/v1/domains") {
    if (req.method === "GET") {
      req.resume();
      return reply(res, 200, { ok: true, domains: await handlers.list() });
    }
    if (req.method !== "POST") return refuseMethod(req, res, "GET or POST");
    return reply(res, 200, { ok: true, output: await handlers.createFromFile(fragmentPath(await readBody(req))) });
  }
  const match = /^\/v1\/domains\/([^/]+)\/([a-z]+)$/.exec(path);
  const action = match?.[2] ?? "";
  if (match === null || !(action === "console" || (XL_ACTIONS as readonly string[]).includes(action))) {
    req.resume();
    return reply(res, 404, { ok: false, error: `no such route ${path}` });
  }
  let name: string;
  try {
    name = decodeURIComponent(match[1] as string);
  } catch {
    req.resume();
    return reply(res, 400, { ok: false, error: "the domain name in the path is not valid percent-encoding" });
  }
  if (action !== "create") await checkListed(handlers, name);
  if (action === "console") return serveConsole(req, res, handlers.console(name));
  if (req.method !== "POST") return refuseMethod(req, res, "POST");
  req.resume();
  reply(res, 200, { ok: true, output: await handlers.act(action as XlAction, name) });
}

function refuseMethod(req: IncomingMessage, res: ServerResponse, allowed: string): void {
  req.resume();
  reply(res, 405, { ok: false, error: `use ${allowed}` });
}

async function checkListed(handlers: ControlHandlers, name: string): Promise<void> {
  const domains = await handlers.list();
  if (domains.some((d) => d.name === name)) return;
  const names = domains.map((d) => d.name).join(", ");
  throw new ControlRefusal(404, `no domain named "${name}" (domains: ${names === "" ? "none" : names})`);
}

/** `GET`: stream the console until the domain goes away or the client leaves; `POST`: its body is input. */
async function serveConsole(req: IncomingMessage, res: ServerResponse, attached: ConsoleAttachment): Promise<void> {
  if (req.method === "POST") {
    attached.input(await readBody(req));
    return reply(res, 200, { ok: true });
  }
  if (req.method !== "GET") return refuseMethod(req, res, "GET or POST");
  req.resume();
  // An attached console (its client holds the token) may stay silent for long: no idle timeout for it.
  req.socket.setTimeout(0);
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.write(attached.replay);
  const offOutput = attached.onOutput((text) => res.write(text));
  const offEnd = attached.onEnd(() => res.end());
  res.on("close", () => {
    offOutput();
    offEnd();
  });
}

/** The body of a request to the endpoint: at most MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const body = await readRequestBody(req, MAX_BODY_BYTES);
  if (body === undefined) throw new ControlRefusal(413, `the request body is over ${MAX_BODY_BYTES} bytes`);
  return body;
}

/** The `file` of a `{"file": PATH}` body. */
function fragmentPath(body: Uint8Array): string {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new ControlRefusal(400, 'xl create: the body is not JSON (expected {"file": "/abs/path.dts"})');
  }
  const file = (value as { file?: unknown } | null)?.file;
  if (typeof file !== "string" || !file.startsWith("/")) throw new ControlRefusal(400, "xl create: file must be an absolute path");
  return file;
}
