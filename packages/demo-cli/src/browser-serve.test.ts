import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { BROWSER_PACKAGES, type BrowserSite, dependencyPackages, locateSite, moduleMap, rewriteImports, type ServedPackage, withImportMap } from "./_browser-site.ts";
import { resolveRequest, startBrowserServer } from "./browser-serve.ts";

const dir = mkdtempSync(join(tmpdir(), "v8r-browser-serve-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), text);
}

write("core/package.json", "{}");
write("core/dist/mod.js", "export const a = 1;\n");
write("core/src/mod.ts", "secret\n");
write("shim/dist/apps/app.js", "import { a } from '@v8r/core';\nconst b = await import('@v8r/core');\nimport \"@v8r/unknown\";\n");
write("shim/wasm/x.wasm", "\0asm");
write("page/index.html", "<head><!-- v8r:importmap --></head>");
write("app/main.js", 'import { a } from "@v8r/core";\n');
write("config.dts", "/dts-v1/;\n");
write("outside.js", "nope\n");

const core: ServedPackage = { name: "@v8r/core", short: "core", root: join(dir, "core"), exports: { ".": { source: "./src/mod.ts", import: "./dist/mod.js" }, "./node": { import: "./dist/node.js" } } };
const shim: ServedPackage = { name: "@v8r/shim", short: "shim", root: join(dir, "shim"), exports: { "./apps/app": { import: "./dist/apps/app.js" }, "./x.wasm": "./wasm/x.wasm" } };
const modules = moduleMap([core, shim]);
const site: BrowserSite = { packages: [core, shim], pageDir: join(dir, "page"), appDir: join(dir, "app"), dtsFile: join(dir, "config.dts"), modules };

describe("browser-serve", () => {
  it("moduleMap() maps each dist export, and each .wasm export in a served folder, to its served path", () => {
    expect(Object.fromEntries(modules)).toEqual({
      "@v8r/core": "/pkg/core/dist/mod.js",
      "@v8r/core/node": "/pkg/core/dist/node.js",
      "@v8r/shim/apps/app": "/pkg/shim/dist/apps/app.js",
      "@v8r/shim/x.wasm": "/pkg/shim/wasm/x.wasm",
    });
    const unserved: ServedPackage = { name: "@v8r/u", short: "u", root: join(dir, "u"), exports: { "./y.wasm": "./src/y.wasm", "./z.txt": "./apps/z.txt" } };
    expect(moduleMap([unserved]).size).toBe(0);
  });

  it("rewriteImports() rewrites static and dynamic imports of known modules only", () => {
    const out = rewriteImports("import { a } from '@v8r/core';\nawait import(\"@v8r/shim/apps/app\");\nimport '@v8r/other';\nconst s = '@v8r/core';\n", modules);
    expect(out).toBe("import { a } from '/pkg/core/dist/mod.js';\nawait import(\"/pkg/shim/dist/apps/app.js\");\nimport '@v8r/other';\nconst s = '@v8r/core';\n");
  });

  it("rewriteImports() rewrites a served third-party dependency, never a node: or relative import", () => {
    const dep: ServedPackage = { name: "@scope/dep", short: "dep", root: join(dir, "dep"), exports: { ".": { import: "./dist/index.js" } } };
    const out = rewriteImports("import { W } from \"@scope/dep\";\nimport { x } from './x.js';\nimport fs from 'node:fs';\n", moduleMap([dep]));
    expect(out).toBe("import { W } from \"/pkg/dep/dist/index.js\";\nimport { x } from './x.js';\nimport fs from 'node:fs';\n");
  });

  it("dependencyPackages() finds the served packages' runtime dependencies in the node_modules above them", () => {
    write("deps/node_modules/@scope/dep/package.json", JSON.stringify({ name: "@scope/dep", exports: { ".": { import: "./dist/index.js" } } }));
    write("deps/ws/pkg/package.json", JSON.stringify({ name: "@v8r/pkg", dependencies: { "@scope/dep": "1.0.0", "@v8r/core": "workspace:^" } }));
    const pkg: ServedPackage = { name: "@v8r/pkg", short: "pkg", root: join(dir, "deps/ws/pkg"), exports: {} };
    expect(dependencyPackages([pkg, core])).toEqual([{ name: "@scope/dep", short: "dep", root: join(dir, "deps/node_modules/@scope/dep"), exports: { ".": { import: "./dist/index.js" } } }]);
    write("deps/ws/lone/package.json", JSON.stringify({ name: "@v8r/lone", dependencies: { "missing-dep": "1.0.0" } }));
    expect(() => dependencyPackages([{ name: "@v8r/lone", short: "lone", root: join(dir, "deps/ws/lone"), exports: {} }])).toThrow(/cannot find missing-dep, a dependency of the package in/);
  });

  it("withImportMap() puts an import map without Node-only entries in place of the mark", () => {
    const html = withImportMap("<head><!-- v8r:importmap --></head>", modules);
    const json = /<script type="importmap">([\s\S]*)<\/script>/.exec(html)?.[1] ?? "";
    expect(JSON.parse(json)).toEqual({ imports: { "@v8r/core": "/pkg/core/dist/mod.js", "@v8r/shim/apps/app": "/pkg/shim/dist/apps/app.js", "@v8r/shim/x.wasm": "/pkg/shim/wasm/x.wasm" } });
  });

  it.each([
    ["/", "page"],
    ["/pkg/core/dist/mod.js", "module"],
    ["/pkg/shim/dist/apps/app.js", "module"],
    ["/pkg/shim/wasm/x.wasm", "asset"],
    ["/app/main.js", "module"],
    ["/config/v8r64-virtualization.dts", "asset"],
  ])("resolveRequest(%s) serves a %s", async (path, kind) => {
    expect((await resolveRequest(site, path))?.kind).toBe(kind);
  });

  it.each([
    "/pkg/core/src/mod.ts",
    "/pkg/core/package.json",
    "/pkg/core/dist/../src/mod.ts",
    "/pkg/core/dist/%2e%2e/%2e%2e/outside.js",
    "/pkg/core/dist/..%2F..%2Foutside.js",
    "/app/%2e%2e/outside.js",
    "/pkg/nope/dist/mod.js",
    "/pkg/core/dist/missing.js",
    "/pkg/core/dist",
    "/outside.js",
    "/%E0%A4%A",
  ])("resolveRequest(%s) refuses: never a file outside the served roots", async (path) => {
    expect(await resolveRequest(site, path)).toBeUndefined();
  });

  it("locateSite() says to build when a package has no dist/", () => {
    for (const name of BROWSER_PACKAGES) {
      write(`unbuilt/${name}/package.json`, JSON.stringify({ name, exports: { ".": { source: "./src/mod.ts", import: "./dist/mod.js" } } }));
      write(`unbuilt/${name}/src/mod.ts`, "export {};\n");
    }
    const resolve = (name: string): string => pathToFileURL(join(dir, "unbuilt", name, "src/mod.ts")).href;
    expect(() => locateSite(resolve)).toThrow(/^\[v8r-demo\] browser: the packages are not built \(missing .*fvp-core\/dist\/mod\.js.*\); run `pnpm run build` first/);
    expect(() => locateSite(() => "file:///nowhere/x.js")).toThrow(/no package.json named @v8r\/fvp-core above/);
  });

  it("the server sends the isolation headers and content types, and rewrites modules", async () => {
    const server = await startBrowserServer({ port: 0, host: "127.0.0.1", site });
    try {
      const res = await fetch(new URL("pkg/shim/dist/apps/app.js", server.url));
      expect(res.status).toBe(200);
      expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      expect(res.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
      expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(await res.text()).toContain("from '/pkg/core/dist/mod.js'");
      const wasm = await fetch(new URL("pkg/shim/wasm/x.wasm", server.url));
      expect(wasm.headers.get("content-type")).toBe("application/wasm");
      const dts = await fetch(new URL("config/v8r64-virtualization.dts", server.url));
      expect(dts.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      const page = await fetch(server.url);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await page.text()).toContain('<script type="importmap">');
      const missing = await fetch(new URL("pkg/core/src/mod.ts", server.url));
      expect(missing.status).toBe(404);
      expect(missing.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
    } finally {
      await server.close();
    }
  });

  it("serves a program given as a link under the link's name, as application/wasm, from the file it pointed to at start", async () => {
    write("progs/build/out.bin", "\0asm-real");
    write("progs/other.bin", "\0asm-other");
    symlinkSync(join(dir, "progs/build/out.bin"), join(dir, "progs/ping.wasm"));
    const server = await startBrowserServer({ port: 0, host: "127.0.0.1", site, apps: [{ domain: "zephyr", file: join(dir, "progs/ping.wasm") }] });
    try {
      rmSync(join(dir, "progs/ping.wasm"));
      symlinkSync(join(dir, "progs/other.bin"), join(dir, "progs/ping.wasm"));
      const res = await fetch(new URL("user-app/0/ping.wasm", server.url));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/wasm");
      expect(await res.text()).toBe("\0asm-real");
      expect((await fetch(new URL("user-app/0/out.bin", server.url))).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("answers a request target that is not a URL with 400 and keeps serving", async () => {
    const server = await startBrowserServer({ port: 0, host: "127.0.0.1", site });
    try {
      const port = Number(new URL(server.url).port);
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => socket.write("GET http://[/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        let text = "";
        socket.on("data", (d: Buffer) => (text += d.toString()));
        socket.on("end", () => resolve(text));
        socket.on("error", reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
