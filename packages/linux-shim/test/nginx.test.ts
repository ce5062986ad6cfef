import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NodeRootFs } from "../src/rootfs-node.ts";
import { WEB_ROOT } from "../src/web-root.ts";
import { findNginx } from "../src/web-server-nginx.ts";
import { startWebServer, type WebServer } from "../src/web-server.ts";
import { writeFileAtomic } from "../src/write-file-atomic.ts";
import { rawGet } from "./http-raw.ts";

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

  it("answers 304 to a repeated request with its ETag", async () => {
    const first = await fetch(new URL("/zephyr-status.html", server.url));
    await first.text();
    const again = await fetch(new URL("/zephyr-status.html", server.url), { headers: { "If-None-Match": first.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);
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
