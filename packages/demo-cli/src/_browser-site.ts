/**
 * Internal: what `v8r-demo browser` serves. Finds the workspace packages
 * the page imports and their third-party runtime dependencies where Node
 * would, checks they are built, and makes the import map that gives each
 * module one served URL; the same map rewrites the bare imports inside the
 * served JavaScript.
 */
import { describeError } from "@v8r/fvp-core";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ServedApp } from "./_browser-apps.ts";

/** The workspace packages the page imports, by their npm names. */
export const BROWSER_PACKAGES = ["@v8r/fvp-core", "@v8r/xen-dom0less", "@v8r/openamp-wasm", "@v8r/zephyr-shim", "@v8r/linux-shim", "v8r-demo"] as const;

/** Folders of a package that are served (when present): its build and its WebAssembly (v8r-demo's C apps are under apps/). */
export const SERVED_DIRS = ["dist", "wasm", "apps"] as const;

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
  /** Programs the page boots in place of the demo apps (`--app`), each file served alone. */
  readonly apps?: readonly ServedApp[];
}

/** Resolves a bare specifier to a file URL (default `import.meta.resolve`). */
export type Resolver = (specifier: string) => string;

const defaultResolver: Resolver = (s) => import.meta.resolve(s);

/** The folder of the package `name` installed where `resolve` looks (walks up from its main entry). */
function findPackageRoot(name: string, resolve: Resolver = defaultResolver): ServedPackage {
  let entry: string;
  try {
    entry = fileURLToPath(resolve(name));
  } catch (err) {
    throw new BrowserServeError("package-not-found", `[v8r-demo] browser: cannot find the installed package ${name}: ${describeError(err).error}`, { cause: err });
  }
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = readManifest(file);
      if (pkg.name === name) return servedPackage(name, dir, pkg);
    }
    if (dirname(dir) === dir) throw new BrowserServeError("package-not-found", `[v8r-demo] browser: no package.json named ${name} above ${entry}`);
  }
}

/** The fields of a package.json the server reads. */
function readManifest(file: string): { readonly name?: unknown; readonly exports?: unknown } {
  return JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; exports?: unknown };
}

/** The package `name` in folder `root`, served under its name without the scope. */
function servedPackage(name: string, root: string, manifest: { readonly exports?: unknown }): ServedPackage {
  const exports = typeof manifest.exports === "object" && manifest.exports !== null ? (manifest.exports as Record<string, unknown>) : {};
  return { name, short: name.replace(/^@[^/]+\//, ""), root, exports };
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
    if (existsSync(file)) return servedPackage(name, root, readManifest(file));
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
