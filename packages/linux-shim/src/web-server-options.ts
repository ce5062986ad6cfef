/**
 * The shapes every web server engine shares: options, limits, the running
 * server. Kept apart from `web-server.ts` (which picks the engine) so that the
 * engines depend on this module and never on each other or on their caller.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CommandRunner } from "./web-server-docker.ts";

/** The web server engines. */
export const WebEngines = ["builtin", "nginx", "docker"] as const;

/** One of {@link WebEngines}. */
export type WebEngine = (typeof WebEngines)[number];

/**
 * Extra routes served by the built-in engine before the static files (the
 * demo's dashboard, `/events`, ...). Return true when the request was handled.
 * `req.url` is the request target in origin form, already checked: a path
 * starting with one `/`, made of valid percent-encoded segments, no `.` or
 * `..` segment, no empty segment.
 */
export type DashboardHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** Limits of the built-in engine (the nginx engine takes the timeouts, the head size and the connection cap too). */
export interface WebServerLimits {
  /** Time to receive the request headers, ms; default 10 000. */
  readonly headersTimeoutMs?: number;
  /** Time to receive the whole request, ms; default 15 000. */
  readonly requestTimeoutMs?: number;
  /** Idle time of a keep-alive connection between requests, ms; default 5 000. */
  readonly keepAliveTimeoutMs?: number;
  /** A connection with no traffic either way for this long is closed (a new one that sends nothing, a client that stops reading), ms; default 10 000. */
  readonly idleTimeoutMs?: number;
  /** Largest request head, request line and headers together (431 beyond it), bytes; default 16 384. */
  readonly maxHeaderBytes?: number;
  /** Largest request URL (414 beyond it), bytes; default 4 096. */
  readonly maxUrlBytes?: number;
  /** Largest request body (413 beyond it), bytes; default 0: GET and HEAD carry none. */
  readonly maxBodyBytes?: number;
  /** Most connections open at once; default 2 048, lowered to fit the descriptor budget. */
  readonly maxConnections?: number;
  /** File descriptors the server leaves to the rest of the process (the guests writing their files); default 128. */
  readonly reserveDescriptors?: number;
}

/** {@link WebServerLimits} with every value set. */
export type ResolvedWebServerLimits = { readonly [K in keyof WebServerLimits]-?: number };

/** The defaults of {@link WebServerLimits}. */
export const DEFAULT_WEB_SERVER_LIMITS: ResolvedWebServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 10_000,
  maxHeaderBytes: 16_384,
  maxUrlBytes: 4_096,
  maxBodyBytes: 0,
  maxConnections: 2_048,
  reserveDescriptors: 128,
};

/**
 * Giving memory back when a burst of load is over (built-in engine; see the
 * README's "Memory after a burst"). Counts requests and new connections; an
 * interval of `quietMs` with at least `minRequests` of them is a burst, and
 * the first interval after it with none runs `release`, at most once every
 * `minIntervalMs`.
 */
export interface IdleReleaseOptions {
  /** Requests and new connections within one `quietMs` that make a burst; default 200. */
  readonly minRequests?: number;
  /** How long without a request or connection ends a burst (checked every this often), ms; default 1 000. */
  readonly quietMs?: number;
  /** Least time between two releases, ms; default 30 000. */
  readonly minIntervalMs?: number;
  /** What gives memory back; default: a full, shrinking garbage collection asked through `node:inspector` (`HeapProfiler.collectGarbage`). */
  readonly release?: () => void | Promise<void>;
}

/** Options of `startWebServer`. */
export interface WebServerOptions {
  /** Host directory to serve (e.g. the rootfs's `/usr/share/nginx/html`); must exist. */
  readonly root: string;
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Address to bind; default `127.0.0.1`. */
  readonly host?: string;
  /** Engine; default `"builtin"`. */
  readonly engine?: WebEngine;
  /** Receives log lines: nginx's access and error logs, the docker command, refused connections. */
  readonly log?: (line: string) => void;
  /** Extra routes (built-in engine only). */
  readonly dashboard?: DashboardHandler;
  /** Limits (all of them for the built-in engine; see {@link WebServerLimits}). */
  readonly limits?: WebServerLimits;
  /** Release memory when the server goes idle after a burst (built-in engine only); default false. `true` takes the defaults of {@link IdleReleaseOptions}. */
  readonly idleRelease?: boolean | IdleReleaseOptions;
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
  readonly limits: ResolvedWebServerLimits;
}

/** `http://host:port/`, with brackets around an IPv6 address. */
export function formatBaseUrl(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;
}

/** The limits with defaults filled in; a value that is not a whole number >= 0 is a RangeError. */
export function resolveLimits(limits: WebServerLimits = {}): ResolvedWebServerLimits {
  const resolved = { ...DEFAULT_WEB_SERVER_LIMITS, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`[linux-shim] web server limit ${name} must be a whole number >= 0, got ${String(value)}`);
    }
  }
  if (resolved.maxConnections < 1) throw new RangeError("[linux-shim] web server limit maxConnections must be at least 1");
  return resolved;
}
