/**
 * `v8r-demo browser`: a small static HTTP server for the browser demo. The
 * page (`browser/index.html` and the built `dist/browser/main.js`) boots the
 * whole system in the browser, each domain in a Web Worker; this server
 * only hands out files: the built `dist/` of the workspace packages,
 * openamp-wasm's `openamp.wasm` and the bundled device tree.
 *
 * Module Workers do not see the page's import map in every browser, so
 * the bare imports inside the served JavaScript (`@v8r/...` and the
 * packages' own dependencies, such as `@bjorn3/browser_wasi_shim`) are
 * rewritten to the served URLs; the page gets the same URLs from an import
 * map, so a module has one URL (and one instance) wherever it is imported
 * from.
 *
 * @module
 */
import { describeError } from "@v8r/fvp-core";
import { createRootGuard, formatBaseUrl, openInRoot, type RootGuard } from "@v8r/linux-shim/node";
import { realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, extname, join, sep } from "node:path";
import { locateSite, rewriteImports, SERVED_DIRS, withImportMap, type BrowserSite } from "./_browser-site.ts";
import { createShutdown, type SignalSource } from "./shutdown.ts";
import { appAt, fileName, servedApps, withAppList } from "./_browser-apps.ts";

/** Open connections at most (see startBrowserServer). */
const MAX_CONNECTIONS = 256;

/** Content types by file extension; other files are not served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".dts": "text/plain; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** A file the server hands out: its path, the served root it lies in, and how it is sent. */
export interface ServedFile {
  /** The file's real path. */
  readonly file: string;
  /** The served folder it must be inside (checked again on the open descriptor). */
  readonly root: string;
  /** The page (gets the import map), a module (imports rewritten), an asset (as is) or a `--app` program (as is, `application/wasm`). */
  readonly kind: "page" | "module" | "asset" | "program";
}

/** The file behind a URL path, or undefined (404); never a file outside the served roots. */
export async function resolveRequest(site: BrowserSite, pathname: string): Promise<ServedFile | undefined> {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (path === "/" || path === "/index.html") return { file: join(site.pageDir, "index.html"), root: site.pageDir, kind: "page" };
  const app = appAt(site.apps ?? [], pathname);
  if (app !== undefined) return { file: app.file, root: dirname(app.file), kind: "program" };
  const parts = path.split("/").slice(1);
  if (parts.some((p) => p === "" || p === "." || p === ".." || p.includes("\\") || p.includes("\0"))) return undefined;
  let root: string | undefined;
  let rest: string[] = [];
  if (path === "/config/v8r64-virtualization.dts") return { file: site.dtsFile, root: dirname(site.dtsFile), kind: "asset" };
  if (parts[0] === "app") {
    root = site.appDir;
    rest = parts.slice(1);
  } else if (parts[0] === "pkg") {
    const pkg = site.packages.find((p) => p.short === parts[1]);
    const sub = SERVED_DIRS.find((d) => d === parts[2]);
    if (pkg !== undefined && sub !== undefined) {
      root = join(pkg.root, sub);
      rest = parts.slice(3);
    }
  }
  if (root === undefined || rest.length === 0 || CONTENT_TYPES[extname(path)] === undefined) return undefined;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(join(root, ...rest))]);
    if (!realFile.startsWith(realRoot + sep) || !(await stat(realFile)).isFile()) return undefined;
    return { file: realFile, root, kind: extname(path) === ".js" ? "module" : "asset" };
  } catch {
    return undefined;
  }
}

/** Options of {@link startBrowserServer}. */
export interface BrowserServerOptions {
  /** TCP port, 0 picks a free one. */
  readonly port: number;
  /** Address to listen on. */
  readonly host: string;
  /** What to serve (default {@link locateSite}). */
  readonly site?: BrowserSite;
  /** Programs the page runs in place of the demo apps (`--app`; absolute paths). */
  readonly apps?: readonly { readonly domain: string; readonly file: string }[];
}

/** A running browser demo server. */
export interface BrowserServer {
  /** The page's URL, e.g. `http://127.0.0.1:8080/`. */
  readonly url: string;
  /** Stop listening and close open connections. */
  close(): Promise<void>;
}

/**
 * Serve the browser demo. Every answer carries
 * `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`, so the page is
 * cross-origin isolated and may share memory with its Workers.
 *
 * @example
 * ```ts
 * const server = await startBrowserServer({ port: 0, host: "127.0.0.1" });
 * console.log(server.url); // open it in a browser
 * await server.close();
 * ```
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const located = options.site ?? locateSite();
  // a program is served from its real path (a link swapped later cannot lead elsewhere), under the name the user gave
  const apps = await Promise.all((options.apps ?? []).map(async (a) => ({ ...a, name: fileName(a.file), file: await realpath(a.file) })));
  const site: BrowserSite = apps.length === 0 ? located : { ...located, apps: servedApps(apps) };
  const server = createServer((req, res) => {
    handle(site, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("server error\n");
    });
  });
  // A page loads a few dozen modules; connections beyond this are closed on
  // arrival, so a flood cannot take the descriptors of the serving process.
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      const why = err.code === "EADDRINUSE" ? "the port is taken (pick another with --port, or --port 0)" : err.message;
      reject(new Error(`[v8r-demo] browser: listening on ${options.host}:${options.port}: ${why}`, { cause: err }));
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  return { url: formatBaseUrl(options.host, port), close: () => closeServer(server) };
}

async function handle(site: BrowserSite, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("X-Content-Type-Options", "nosniff");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" }).end("method not allowed\n");
    return;
  }
  let pathname: string;
  try {
    pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {
    res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" }).end("bad request\n");
    return;
  }
  const found = await resolveRequest(site, pathname);
  if (found === undefined) {
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
    return;
  }
  // Open first, then prove from the descriptor that the file is inside its
  // root: a link swapped after resolveRequest's check cannot leak a file.
  const opened = await openInRoot(await guardFor(found.root), found.file);
  if (opened === undefined || !opened.stat.isFile()) {
    await opened?.handle.close();
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
    return;
  }
  try {
    let body: Uint8Array | string = await opened.handle.readFile();
    if (found.kind === "page") body = withAppList(withImportMap(body.toString(), site.modules), site.apps ?? []);
    else if (found.kind === "module") body = rewriteImports(body.toString(), site.modules);
    const type = found.kind === "program" ? "application/wasm" : (CONTENT_TYPES[extname(found.file)] ?? "application/octet-stream");
    res.writeHead(200, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch {
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
    res.end("read error\n");
  } finally {
    await opened.handle.close();
  }
}

const guards = new Map<string, Promise<RootGuard>>();

/** One guard per served root, made on first use. */
function guardFor(root: string): Promise<RootGuard> {
  let guard = guards.get(root);
  if (guard === undefined) {
    guard = createRootGuard(root);
    guard.catch(() => guards.delete(root));
    guards.set(root, guard);
  }
  return guard;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** What {@link runBrowser} needs from its process. */
export interface BrowserIo {
  /** Standard output: the URL. */
  readonly stdout: { write(text: string): unknown };
  /** Standard error: errors and the shutdown log. */
  readonly stderr: { write(text: string): unknown };
  /** SIGINT/SIGTERM source. */
  readonly signals?: SignalSource;
}

/**
 * `v8r-demo browser [--port N] [--host ADDR] [--app DOMAIN=FILE.wasm]...`:
 * serve the browser demo (with those programs in place of the demo apps)
 * until Ctrl-C and resolve with the exit code (1 when it cannot be served,
 * e.g. the packages are not built).
 */
export async function runBrowser(options: Pick<BrowserServerOptions, "port" | "host" | "apps">, io: BrowserIo): Promise<number> {
  let server: BrowserServer;
  try {
    server = await startBrowserServer(options);
  } catch (err) {
    io.stderr.write(`${describeError(err).error}\n`);
    return 1;
  }
  let settle: (code: number) => void = () => {};
  const ended = new Promise<number>((resolve) => (settle = resolve));
  const shutdown = createShutdown({ signals: io.signals, exit: settle, log: (line) => io.stderr.write(`${line}\n`) });
  shutdown.add("close the server", () => server.close());
  io.stdout.write(
    `v8r-demo browser: the whole demo runs in the page (Xen, Zephyr and Linux in Web Workers); this process only serves files\n` +
      `  browser demo  ${server.url}\n` +
      (options.apps ?? []).map((a) => `  program       ${a.domain}: ${a.file}\n`).join("") +
      `  stop          Ctrl-C (or SIGTERM)\n`,
  );
  const code = await ended;
  shutdown.dispose();
  return code;
}
