/**
 * Web serving of the status directory, the way the original demo does it
 * with Nginx in a Docker container: a built-in static server (default), a
 * real nginx binary, or the official nginx image under Docker.
 * Node-specific: reached through `@v8r/linux-shim/node` (works in Deno too).
 *
 * @module
 */
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { resolve } from "node:path";
import { startBuiltinServer } from "./web-server-builtin.ts";
import { startDockerServer, type CommandRunner } from "./web-server-docker.ts";
import { startNginxServer } from "./web-server-nginx.ts";
import { WebServerError } from "./web-server-error.ts";

export { WebServerError, type WebServerErrorCode } from "./web-server-error.ts";

export type { CommandResult, CommandRunner } from "./web-server-docker.ts";

/** The web server engines. */
export const WebEngines = ["builtin", "nginx", "docker"] as const;

/** One of {@link WebEngines}. */
export type WebEngine = (typeof WebEngines)[number];

/**
 * Extra routes served by the built-in engine before the static files (the
 * demo's dashboard, `/events`, ...). Return true when the request was handled.
 */
export type DashboardHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** Limits of the built-in engine. */
export interface WebServerLimits {
  /** Time to receive the request headers, ms; default 10 000. */
  readonly headersTimeoutMs?: number;
  /** Time to receive the whole request, ms; default 15 000. */
  readonly requestTimeoutMs?: number;
  /** Idle time of a keep-alive connection, ms; default 5 000. */
  readonly keepAliveTimeoutMs?: number;
  /** Largest request head (431 beyond it), bytes; default 16 384. */
  readonly maxHeaderBytes?: number;
  /** Largest request URL (414 beyond it), bytes; default 4 096. */
  readonly maxUrlBytes?: number;
  /** Largest request body (413 beyond it), bytes; default 0: GET and HEAD carry none. */
  readonly maxBodyBytes?: number;
}

/** Options of {@link startWebServer}. */
export interface WebServerOptions {
  /** Host directory to serve (e.g. the rootfs's `/usr/share/nginx/html`); must exist. */
  readonly root: string;
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Address to bind; default `127.0.0.1`. */
  readonly host?: string;
  /** Engine; default `"builtin"`. */
  readonly engine?: WebEngine;
  /** Receives log lines: nginx's access and error logs, the docker command. */
  readonly log?: (line: string) => void;
  /** Extra routes (built-in engine only). */
  readonly dashboard?: DashboardHandler;
  /** Limits of the built-in engine. */
  readonly limits?: WebServerLimits;
  /** The nginx binary; default `nginx` on PATH, then `/usr/sbin/nginx`. */
  readonly nginxPath?: string;
  /** Runs `docker` commands (inject one to test without an engine). */
  readonly runCommand?: CommandRunner;
  /** How long nginx or the container may take to answer, ms; default 10 000. */
  readonly startTimeoutMs?: number;
}

/** A running web server. */
export interface WebServer {
  /** Base URL, e.g. `http://127.0.0.1:8080/`. */
  readonly url: string;
  /** The port it listens on (the chosen one when 0 was asked). */
  readonly port: number;
  /** The address it is bound to. */
  readonly host: string;
  /** The engine serving. */
  readonly engine: WebEngine;
  /** Stop serving and release the port. */
  close(): Promise<void>;
}

/** Options after validation, as the engines receive them. */
export interface ResolvedWebServerOptions extends WebServerOptions {
  readonly host: string;
  readonly log: (line: string) => void;
  readonly startTimeoutMs: number;
}

/** `http://host:port/`, with brackets around an IPv6 address. */
export function formatBaseUrl(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;
}

async function checkRoot(root: string): Promise<string> {
  const abs = resolve(root);
  try {
    if ((await stat(abs)).isDirectory()) return abs;
  } catch {
    // reported below
  }
  throw new WebServerError("ROOT_MISSING", `[linux-shim] cannot serve ${abs}: it is not an existing directory`);
}

/**
 * Serve the files of `root` over HTTP with the chosen engine.
 *
 * @example
 * ```ts
 * const server = await startWebServer({ root: fs.hostPath("/usr/share/nginx/html"), port: 8080 });
 * console.log(`${server.url}zephyr-status.html`);
 * await server.close();
 * ```
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const engine = options.engine ?? "builtin";
  if (!WebEngines.includes(engine)) {
    throw new TypeError(`[linux-shim] unknown web server engine ${JSON.stringify(engine)}; use builtin, nginx or docker`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new RangeError(`[linux-shim] port must be an integer from 0 to 65535, got ${options.port}`);
  }
  if (options.dashboard && engine !== "builtin") {
    throw new TypeError(`[linux-shim] dashboard routes need the builtin engine, not ${engine}`);
  }
  const resolved: ResolvedWebServerOptions = {
    ...options,
    root: await checkRoot(options.root),
    host: options.host ?? "127.0.0.1",
    log: options.log ?? (() => undefined),
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
  };
  switch (engine) {
    case "builtin": return startBuiltinServer(resolved);
    case "nginx": return startNginxServer(resolved);
    case "docker": return startDockerServer(resolved);
  }
}
