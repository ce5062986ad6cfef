import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NodeRootFs } from "../src/rootfs-node.ts";
import { WEB_ROOT } from "../src/web-root.ts";
import { findNginx } from "../src/web-server-nginx.ts";
import { startWebServer, type WebServer } from "../src/web-server.ts";
import { writeFileAtomic } from "../src/write-file-atomic.ts";
import { rawGet, rawRequest } from "./http-raw.ts";
import { startSymlinkSwapper } from "./_symlink-swapper.ts";

let host: string;
let server: WebServer;
const logLines: string[] = [];
/** A page and a document as an application on the guest writes them (atomically, into the web root). */
const PAGE = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="1"><title>status</title></head>`
  + `<body><table><tr><td class="name">rpmsg_host</td></tr></table></body></html>\n`;
const DOC = `${JSON.stringify({ v: 1, link: "bound", counters: { received: 180 } })}\n`;

beforeAll(async () => {
  await findNginx().catch((e: Error) => {
    throw new Error(`this test needs a real nginx (Debian: apt-get install nginx; .ci/run installs it): ${e.message}`);
  });
  host = await mkdtemp(join(tmpdir(), "v8r-nginx-test-"));
  const fs = new NodeRootFs(host);
  await fs.mkdir(WEB_ROOT, { recursive: true });
  await writeFileAtomic(fs, `${WEB_ROOT}/zephyr-status.html`, PAGE);
  await writeFileAtomic(fs, `${WEB_ROOT}/zephyr-status.json`, DOC);
  const root = fs.hostPath(WEB_ROOT);
  await writeFile(join(host, "secret.txt"), "TOP-SECRET");
  await symlink(join(host, "secret.txt"), join(root, "leak.txt"));
  await writeFile(join(root, ".zephyr-status.html.0123.tmp"), "partial");
  server = await startWebServer({ root, port: 0, engine: "nginx", log: (l) => logLines.push(l) });
}, 30_000);

afterAll(async () => {
  await server?.close();
  if (host) await rm(host, { recursive: true, force: true });
});

describe("nginx engine (real nginx)", () => {
  it("serves the page an application wrote, byte for byte", async () => {
    expect(server.engine).toBe("nginx");
    const res = await fetch(new URL("/zephyr-status.html", server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.text()).toBe(PAGE);
    const json = await (await fetch(new URL("/zephyr-status.json", server.url))).json();
    expect(json).toMatchObject({ v: 1, link: "bound", counters: { received: 180 } });
  });

  it("never answers 304: its validators have a one-second blind spot, so they are off", async () => {
    const first = await fetch(new URL("/zephyr-status.html", server.url));
    await first.text();
    expect(first.headers.get("etag")).toBeNull();
    const again = await fetch(new URL("/zephyr-status.html", server.url), {
      headers: { "If-Modified-Since": first.headers.get("last-modified") ?? "", "If-None-Match": "*" },
    });
    expect(again.status).toBe(200);
    await again.text();
  });

  it.each([["/../secret.txt"], ["/%2e%2e/secret.txt"], ["/leak.txt"], ["/.zephyr-status.html.0123.tmp"], ["/usr/"]])(
    "does not serve %s", async (path) => {
      const res = await rawGet(server.port, path);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.raw).not.toContain("TOP-SECRET");
      expect(res.raw).not.toContain("partial");
    });

  it("refuses POST", async () => {
    expect((await rawGet(server.port, "/zephyr-status.html", "POST")).status).toBe(405);
  });

  it("sends its access log to the log callback", async () => {
    await (await fetch(new URL("/zephyr-status.json", server.url))).text();
    // nginx sends the line over syslog (UDP): wait for it, however busy the machine is
    await vi.waitFor(() => expect(logLines.some((l) => l.includes(`"GET /zephyr-status.json HTTP/1.1" 200`))).toBe(true), { timeout: 10_000, interval: 20 });
  });

  it("reports a busy port clearly", async () => {
    const err = await startWebServer({ root: join(host, "usr/share/nginx/html"), port: server.port, engine: "nginx" }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`[linux-shim] port ${server.port} on 127.0.0.1 is already in use`);
  });

  it("stops nginx on close and frees the port", async () => {
    const s = await startWebServer({ root: join(host, "usr/share/nginx/html"), port: 0, engine: "nginx" });
    await s.close();
    await expect(fetch(s.url, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();
    const again = await startWebServer({ root: join(host, "usr/share/nginx/html"), port: s.port });
    await again.close();
  });
});

describe("nginx engine protections (real nginx)", () => {
  let base: string;
  let root: string;
  let guarded: WebServer;
  const guardLog: string[] = [];
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "v8r-nginx-guard-"));
    root = join(base, "html");
    await mkdir(join(base, "held"), { recursive: true });
    await mkdir(join(base, "outdir"));
    await mkdir(root);
    await writeFile(join(base, "secret.txt"), "TOP-SECRET");
    await writeFile(join(base, "outdir", "file.txt"), "TOP-SECRET-DIR");
    await writeFile(join(base, "held", "file.txt"), "inside-dir");
    await writeFile(join(root, "page.txt"), "page");
    guarded = await startWebServer({
      root, port: 0, engine: "nginx", log: (line) => guardLog.push(line),
      limits: { headersTimeoutMs: 500, keepAliveTimeoutMs: 500, idleTimeoutMs: 1000, maxConnections: 16 },
    });
  }, 30_000);
  afterAll(async () => {
    await guarded?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it.each([
    ["a file", "file", "/swap.txt", "inside"],
    ["a directory", "dir", "/swapdir/file.txt", "inside-dir"],
  ] as const)("never serves a file outside the root while %s is swapped with a link", async (_, kind, path, inside) => {
    const swapper = startSymlinkSwapper(kind === "file"
      ? { kind, name: join(root, "swap.txt"), inside, outside: join(base, "secret.txt") }
      : { kind, name: join(root, "swapdir"), inside: join(base, "held"), outside: join(base, "outdir") });
    const bodies = new Set<string>();
    try {
      // until the inside was served too, however busy the machine: the race must really have been run
      for (let i = 0; i < 1000 || swapper.swaps() < 500 || !bodies.has(inside); i++) bodies.add((await rawGet(guarded.port, path)).body);
    } finally {
      await swapper.stop();
    }
    expect([...bodies].filter((b) => b.includes("TOP-SECRET"))).toEqual([]);
  }, 120_000);

  it("closes a connection that sends nothing, and refuses an HTTP/0.9 request, an oversized head and a long URL", async () => {
    const silent = await rawRequest(guarded.port, "", 10_000);
    expect(silent.raw).toBe("");
    const simple = await rawRequest(guarded.port, "GET /page.txt\r\n");
    expect(simple.raw).not.toContain("page\n");
    expect(simple.raw).toContain("400 Bad Request");
    const headers = Array.from({ length: 2500 }, (_, i) => `X${i}: ab\r\n`).join("");
    expect((await rawGet(guarded.port, "/page.txt", "GET", headers)).status).toBe(400);
    expect((await rawGet(guarded.port, `/${"a".repeat(5000)}`)).status).toBe(414);
    expect((await rawGet(guarded.port, "/page.txt")).body).toBe("page");
  });

  it.each([
    ["two Host lines", "GET /page.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"],
    ["no Host in HTTP/1.1", "GET /page.txt HTTP/1.1\r\nConnection: close\r\n\r\n"],
    ["a Host that is no host[:port]", "GET /page.txt HTTP/1.1\r\nHost: a/b\r\nConnection: close\r\n\r\n"],
  ])("answers 400 to %s as the built-in engine does (RFC 9112 3.2)", async (_, request) => {
    const res = await rawRequest(guarded.port, request);
    expect(res.status).toBe(400);
    expect(res.body).not.toContain("page");
  });

  it("ignores Range and says so", async () => {
    const res = await rawGet(guarded.port, "/page.txt", "GET", "Range: bytes=0-1\r\n");
    expect(res.status).toBe(200);
    expect(res.headers["accept-ranges"]).toBe("none");
  });

  it("refuses connections beyond its cap, stays up and serves again", async () => {
    const flood = await Promise.all(Array.from({ length: 60 }, () => rawRequest(guarded.port, "", 10_000)));
    expect(flood.every((r) => r.status === 0)).toBe(true);
    expect(guardLog.some((l) => l.includes("worker_connections are not enough"))).toBe(true);
    expect((await rawGet(guarded.port, "/page.txt")).body).toBe("page");
  });
});
