/**
 * The Node-specific parts of `@v8r/linux-shim` (they also run in Deno,
 * which supports `node:` modules): a root filesystem on a host directory
 * and the web server with its three engines.
 *
 * @example
 * ```ts
 * import { NodeRootFs, startWebServer } from "@v8r/linux-shim/node";
 * const fs = new NodeRootFs("/tmp/v8r-rootfs");
 * await fs.mkdir("/usr/share/nginx/html", { recursive: true });
 * const server = await startWebServer({ root: fs.hostPath("/usr/share/nginx/html"), port: 0 });
 * console.log(server.url);
 * await server.close();
 * ```
 * @module
 */
export { NodeRootFs } from "./rootfs-node.ts";
export { createRootGuard, openInRoot, type OpenedFile, type RootCheckMode, type RootGuard } from "./_open-in-root.ts";
export {
  DEFAULT_WEB_SERVER_LIMITS,
  formatBaseUrl,
  startWebServer,
  WebEngines,
  type DashboardHandler,
  type IdleReleaseOptions,
  type ResolvedWebServerLimits,
  type WebEngine,
  type WebServer,
  type WebServerLimits,
  type WebServerOptions,
} from "./web-server.ts";
export { WebServerError, type WebServerErrorCode } from "./web-server-error.ts";
export {
  DOCKER_CONTAINER_NAME,
  DOCKER_IMAGE,
  dockerRunArgs,
  runCommand,
  shellQuote,
  type CommandResult,
  type CommandRunner,
} from "./web-server-docker.ts";
export { findNginx } from "./web-server-nginx.ts";
