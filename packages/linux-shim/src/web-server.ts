/**
 * Web serving of the status directory, the way the original demo does it
 * with Nginx in a Docker container: a built-in static server (default), a
 * real nginx binary, or the official nginx image under Docker.
 * Node-specific: reached through `@v8r/linux-shim/node` (works in Deno too).
 *
 * @module
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { startBuiltinServer } from "./web-server-builtin.ts";
import { startDockerServer } from "./web-server-docker.ts";
import { startNginxServer } from "./web-server-nginx.ts";
import { WebServerError } from "./web-server-error.ts";
import { resolveLimits, WebEngines, type ResolvedWebServerOptions, type WebServer, type WebServerOptions } from "./web-server-options.ts";

export { WebServerError, type WebServerErrorCode } from "./web-server-error.ts";
export type { CommandResult, CommandRunner } from "./web-server-docker.ts";
export {
  DEFAULT_WEB_SERVER_LIMITS,
  formatBaseUrl,
  WebEngines,
  type DashboardHandler,
  type IdleReleaseOptions,
  type ResolvedWebServerLimits,
  type WebEngine,
  type WebServer,
  type WebServerLimits,
  type WebServerOptions,
} from "./web-server-options.ts";

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
  if (options.idleRelease !== undefined && options.idleRelease !== false && engine !== "builtin") {
    throw new TypeError(`[linux-shim] idleRelease needs the builtin engine, not ${engine}`);
  }
  const resolved: ResolvedWebServerOptions = {
    ...options,
    root: await checkRoot(options.root),
    host: options.host ?? "127.0.0.1",
    log: options.log ?? (() => undefined),
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
    limits: resolveLimits(options.limits),
  };
  switch (engine) {
    case "builtin": return startBuiltinServer(resolved);
    case "nginx": return startNginxServer(resolved);
    case "docker": return startDockerServer(resolved);
  }
}
