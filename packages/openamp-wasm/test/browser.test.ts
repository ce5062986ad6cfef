/**
 * The package in a real browser: a bundle built at test time from the
 * sources (through the "source" export condition, as a user's bundler would
 * resolve `@v8r/openamp-wasm`) runs a host and a remote over one
 * SharedArrayBuffer in a headless Chromium page served cross-origin isolated.
 * Fails, never skips, when Chromium is missing: the check and the launch are
 * in the test itself, since a failing beforeAll reports the test as skipped.
 */
import { access, constants, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { build } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const ROUNDS = 100;
const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** What the page leaves in `window.__result`. */
interface PageResult {
  crossOriginIsolated: boolean;
  atRemote: string[];
  atHost: string[];
  error?: string;
}

// Runs in the page. Host sends ROUNDS messages to the remote, then the remote
// sends ROUNDS back; kicks are delivered on the next microtask.
const entrySource = `
import { loadOpenAmp, staticVringsLayout } from "@v8r/openamp-wasm";

const rounds = ${ROUNDS};
const result = { crossOriginIsolated: self.crossOriginIsolated, atRemote: [], atHost: [] };

function collector(into) {
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const text = new TextDecoder();
  // TextDecoder refuses views of a SharedArrayBuffer: copy first
  const onMessage = (data) => {
    into.push(text.decode(data.slice()));
    if (into.length === rounds) done();
  };
  return { onMessage, finished };
}

async function main() {
  const size = 0x10000;
  const shm = { buffer: new SharedArrayBuffer(size) };
  const layout = staticVringsLayout({ shmSize: size });
  const openamp = await loadOpenAmp({ wasm: new URL("/openamp.wasm", location.href) });
  const dev = {};
  const kick = (to) => () => queueMicrotask(() => dev[to]?.notified());
  dev.host = await openamp.createRpmsgDevice({ role: "host", layout, shm, notify: kick("remote") });
  dev.remote = await openamp.createRpmsgDevice({ role: "remote", layout, shm, notify: kick("host") });
  await dev.remote.ready;
  const atRemote = collector(result.atRemote);
  const atHost = collector(result.atHost);
  const remoteEp = dev.remote.createEndpoint({ name: "browser-test", onMessage: atRemote.onMessage });
  const hostEp = dev.host.createEndpoint({ name: "browser-test", onMessage: atHost.onMessage });
  const enc = new TextEncoder();
  for (let i = 0; i < rounds; i++) await hostEp.send(enc.encode("to remote " + i), { timeoutMs: 2000 });
  await atRemote.finished;
  for (let i = 0; i < rounds; i++) await remoteEp.send(enc.encode("to host " + i), { timeoutMs: 2000 });
  await atHost.finished;
  dev.host.dispose();
  dev.remote.dispose();
}

main().then(
  () => (window.__result = result),
  (err) => (window.__result = { ...result, error: String(err && err.stack || err) }),
);
`;

let dir = "";
let server: Server | undefined;
let browser: Browser | undefined;
let origin = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "openamp-browser-"));
  // resolve "@v8r/openamp-wasm" as an installed package would be, through its exports map
  await mkdir(join(dir, "node_modules", "@v8r"), { recursive: true });
  await symlink(packageDir, join(dir, "node_modules", "@v8r", "openamp-wasm"), "dir");
  await writeFile(join(dir, "entry.js"), entrySource);
  await build({
    config: false,
    entry: { bundle: join(dir, "entry.js") },
    outDir: join(dir, "out"),
    format: ["esm"],
    platform: "browser",
    target: "es2022",
    dts: false,
    splitting: false,
    sourcemap: false,
    silent: true,
    noExternal: [/.*/],
    outExtension: () => ({ js: ".js" }),
    esbuildOptions: (options) => {
      options.conditions = ["source"];
    },
  });

  const files: Record<string, { body: Buffer | string; type: string }> = {
    "/": { body: '<!doctype html><script type="module" src="/bundle.js"></script>', type: "text/html; charset=utf-8" },
    "/bundle.js": { body: await readFile(join(dir, "out", "bundle.js")), type: "text/javascript; charset=utf-8" },
    "/openamp.wasm": { body: await readFile(join(packageDir, "wasm", "openamp.wasm")), type: "application/wasm" },
  };
  server = createServer((req, res) => {
    const file = files[new URL(req.url ?? "/", "http://x").pathname];
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("in headless Chromium", () => {
  it(`a host and a remote on one SharedArrayBuffer exchange ${ROUNDS} messages each way, in order`, async () => {
    await access(CHROMIUM, constants.X_OK).catch((err: unknown) => {
      throw new Error(`[openamp-wasm] browser test needs Chromium at ${CHROMIUM}, which is missing`, { cause: err });
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    });
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(String(err)));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, null, { timeout: 10_000 });
    const result = await page.evaluate(() => (window as unknown as { __result: PageResult }).__result);
    await page.close();

    expect(pageErrors).toEqual([]);
    expect(result.error).toBeUndefined();
    expect(result.crossOriginIsolated).toBe(true);
    expect(result.atRemote).toEqual(Array.from({ length: ROUNDS }, (_, i) => `to remote ${i}`));
    expect(result.atHost).toEqual(Array.from({ length: ROUNDS }, (_, i) => `to host ${i}`));
  });
});
