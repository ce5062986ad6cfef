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
import { existsSync, readFileSync } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, extname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createShutdown, type SignalSource } from "./shutdown.ts";

/** The workspace packages the page imports, by their npm names. */
export const BROWSER_PACKAGES = ["@v8r/fvp-core", "@v8r/xen-dom0less", "@v8r/openamp-wasm", "@v8r/zephyr-shim", "@v8r/linux-shim", "v8r-demo"] as const;

/** Folders of a package that are served (when present): its build and its WebAssembly (v8r-demo's C apps are under apps/). */
const SERVED_DIRS = ["dist", "wasm", "apps"] as const;
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

/** Where the import map goes in `index.html`. */
const IMPORT_MAP_MARK = "<!-- v8r:importmap -->";

/** Stable codes of {@link BrowserServeError}. */
export const BrowserServeErrorCode = { NOT_BUILT: "not-built", PACKAGE_NOT_FOUND: "package-not-found" } as const;
/** One of {@link BrowserServeErrorCode}. */
export type BrowserServeErrorCodeName = (typeof BrowserServeErrorCode)[keyof typeof BrowserServeErrorCode];

/** The browser demo cannot be served: a package is not installed or not built. */
export class BrowserServeError extends Error {
  /** What is wrong. */
  readonly code: BrowserServeErrorCodeName;
  /** Build an error; `message` says what was being done and what was wrong. */
  constructor(code: BrowserServeErrorCodeName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BrowserServeError";
    this.code = code;
  }
}

/** A package whose files are served under `/pkg/<short>/`. */
export interface ServedPackage {
  /** npm name, e.g. `@v8r/fvp-core`. */
  readonly name: string;
  /** URL segment, e.g. `fvp-core`. */
  readonly short: string;
  /** Directory holding its package.json. */
  readonly root: string;
  /** Its `exports` map from package.json. */
  readonly exports: Readonly<Record<string, unknown>>;
}

/** What the server serves. */
export interface BrowserSite {
  /** The workspace packages. */
  readonly packages: readonly ServedPackage[];
  /** The `browser/` folder of v8r-demo (index.html). */
  readonly pageDir: string;
  /** The built page module folder (`dist/browser/`). */
  readonly appDir: string;
  /** The bundled device tree. */
  readonly dtsFile: string;
  /** Bare specifier -> served URL path, e.g. `@v8r/fvp-core` -> `/pkg/fvp-core/dist/mod.js`. */
  readonly modules: ReadonlyMap<string, string>;
}

/** Resolves a bare specifier to a file URL (default `import.meta.resolve`). */
export type Resolver = (specifier: string) => string;

const defaultResolver: Resolver = (s) => import.meta.resolve(s);

/** The folder of the package `name` installed where `resolve` looks (walks up from its main entry). */
export function findPackageRoot(name: string, resolve: Resolver = defaultResolver): ServedPackage {
  let entry: string;
  try {
    entry = fileURLToPath(resolve(name));
  } catch (err) {
    throw new BrowserServeError("package-not-found", `[v8r-demo] browser: cannot find the installed package ${name}: ${describeError(err).error}`, { cause: err });
  }
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; exports?: unknown };
      if (pkg.name === name) {
        const exports = typeof pkg.exports === "object" && pkg.exports !== null ? (pkg.exports as Record<string, unknown>) : {};
        return { name, short: name.replace(/^@[^/]+\//, ""), root: dir, exports };
      }
    }
    if (dirname(dir) === dir) throw new BrowserServeError("package-not-found", `[v8r-demo] browser: no package.json named ${name} above ${entry}`);
  }
}

/**
 * The import map of the served packages: each `exports` entry with an
 * `import` file under `dist/`, or a `.wasm` file in a served folder (the
 * C apps, which `import.meta.resolve` finds), becomes `<name><subpath>` ->
 * its served URL path (Node-only entries such as `/node` are listed too; the
 * page never imports them).
 */
export function moduleMap(packages: readonly ServedPackage[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of packages) {
    for (const [key, value] of Object.entries(p.exports)) {
      const target = typeof value === "string" ? value : (value as { import?: unknown } | null)?.import;
      if (typeof target !== "string") continue;
      const wasm = target.endsWith(".wasm") && SERVED_DIRS.some((d) => target.startsWith(`./${d}/`));
      if (!wasm && (!target.startsWith("./dist/") || !target.endsWith(".js"))) continue;
      out.set(`${p.name}${key.slice(1)}`, `/pkg/${p.short}/${target.slice(2)}`);
    }
  }
  return out;
}

/**
 * The third-party runtime dependencies of the served packages (e.g.
 * `@bjorn3/browser_wasi_shim`), found in the `node_modules` folders above
 * each package as Node would find them, so the page can import them too.
 */
export function dependencyPackages(packages: readonly ServedPackage[]): ServedPackage[] {
  const ours = new Set(packages.map((p) => p.name));
  const out = new Map<string, ServedPackage>();
  for (const p of packages) {
    const manifest = JSON.parse(readFileSync(join(p.root, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (ours.has(name) || out.has(name)) continue;
      out.set(name, findDependencyRoot(name, p.root));
    }
  }
  return [...out.values()];
}

/** The installed package `name` as seen from the package at `from` (its node_modules, then each parent's). */
function findDependencyRoot(name: string, from: string): ServedPackage {
  for (let dir = from; ; dir = dirname(dir)) {
    const root = join(dir, "node_modules", name);
    const file = join(root, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { exports?: unknown };
      const exports = typeof pkg.exports === "object" && pkg.exports !== null ? (pkg.exports as Record<string, unknown>) : {};
      return { name, short: name.replace(/^@[^/]+\//, ""), root, exports };
    }
    if (dirname(dir) === dir) throw new BrowserServeError("package-not-found", `[v8r-demo] browser: cannot find ${name}, a dependency of the package in ${from}`);
  }
}

/** Locate everything the page needs; throws {@link BrowserServeError} when a build is missing. */
export function locateSite(resolve: Resolver = defaultResolver): BrowserSite {
  const workspace = BROWSER_PACKAGES.map((n) => findPackageRoot(n, resolve));
  const packages = [...workspace, ...dependencyPackages(workspace)];
  const modules = moduleMap(packages);
  const demoRoot = fileURLToPath(new URL("../", import.meta.url));
  const site: BrowserSite = {
    packages,
    pageDir: join(demoRoot, "browser"),
    appDir: join(demoRoot, "dist", "browser"),
    dtsFile: join(demoRoot, "src", "config", "v8r64-virtualization.dts"),
    modules,
  };
  const needed = [...modules]
    .filter(([spec]) => !spec.endsWith("/node"))
    .map(([, url]) => {
      const [, , short = "", ...rest] = url.split("/");
      const pkg = packages.find((p) => p.short === short);
      return pkg === undefined ? url : join(pkg.root, ...rest);
    });
  needed.push(join(site.appDir, "main.js"));
  const missing = needed.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new BrowserServeError(
      "not-built",
      `[v8r-demo] browser: the packages are not built (missing ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", ..." : ""}); run \`pnpm run build\` first (in the repository, \`npm run demo -- browser\` builds what is stale)`,
    );
  }
  return site;
}

/** Rewrite bare imports of known modules (`from '@v8r/x'`, `import('@bjorn3/y')`) to their served URLs. */
export function rewriteImports(code: string, modules: ReadonlyMap<string, string>): string {
  return code.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"\s./:][^'"\s:]*)\2/g, (all, lead: string, q: string, spec: string) => {
    const url = modules.get(spec);
    return url === undefined ? all : `${lead}${q}${url}${q}`;
  });
}

/** `index.html` with the import map in place of its `<!-- v8r:importmap -->` mark. */
export function withImportMap(html: string, modules: ReadonlyMap<string, string>): string {
  const imports = Object.fromEntries([...modules].filter(([s]) => !s.endsWith("/node")));
  const script = `<script type="importmap">${JSON.stringify({ imports }, null, 2).replaceAll("<", "\\u003c")}</script>`;
  return html.replace(IMPORT_MAP_MARK, script);
}

/** A file the server hands out: its path, the served root it lies in, and how it is sent. */
export interface ServedFile {
  /** The file's real path. */
  readonly file: string;
  /** The served folder it must be inside (checked again on the open descriptor). */
  readonly root: string;
  /** The page (gets the import map), a module (imports rewritten) or an asset (as is). */
  readonly kind: "page" | "module" | "asset";
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
  const site = options.site ?? locateSite();
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
    if (found.kind === "page") body = withImportMap(body.toString(), site.modules);
    else if (found.kind === "module") body = rewriteImports(body.toString(), site.modules);
    const type = CONTENT_TYPES[extname(found.file)] ?? "application/octet-stream";
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
 * `v8r-demo browser [--port N] [--host ADDR]`: serve the browser demo until
 * Ctrl-C and resolve with the exit code (1 when it cannot be served, e.g.
 * the packages are not built).
 */
export async function runBrowser(options: { readonly port: number; readonly host: string }, io: BrowserIo): Promise<number> {
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
      `  stop          Ctrl-C (or SIGTERM)\n`,
  );
  const code = await ended;
  shutdown.dispose();
  return code;
}
