import { mkdtemp, mkdir, rename, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawGet, rawRequest } from "../test/http-raw.ts";
import { startWebServer, type WebServer } from "./web-server.ts";
import { WebServerError } from "./web-server-error.ts";

let base: string;
let root: string;
let server: WebServer;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "v8r-web-"));
  root = join(base, "html");
  await mkdir(join(root, "sub"), { recursive: true });
  await mkdir(join(root, "docs"));
  await writeFile(join(base, "secret.txt"), "TOP-SECRET");
  await writeFile(join(root, "index.html"), "<!DOCTYPE html><title>index</title>");
  await writeFile(join(root, "zephyr-status.html"), "<!DOCTYPE html><p>status</p>");
  await writeFile(join(root, "zephyr-status.json"), '{"v":1}');
  await writeFile(join(root, "style.css"), "body{}");
  await writeFile(join(root, "chart.svg"), "<svg/>");
  await writeFile(join(root, "blob.bin7"), "x");
  await writeFile(join(root, "docs", "index.html"), "docs index");
  await writeFile(join(root, ".zephyr-status.html.0123456789ab.tmp"), "partial");
  await symlink(join(base, "secret.txt"), join(root, "leak.txt"));
  await symlink(base, join(root, "up"));
  await symlink(join(root, "zephyr-status.json"), join(root, "alias.json"));
  server = await startWebServer({ root, port: 0, limits: { headersTimeoutMs: 300, requestTimeoutMs: 400 } });
});

afterAll(async () => {
  await server.close();
  await rm(base, { recursive: true, force: true });
});

describe("startWebServer builtin", () => {
  it("binds 127.0.0.1 on an ephemeral port by default", () => {
    expect(server.engine).toBe("builtin");
    expect(server.host).toBe("127.0.0.1");
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it.each([
    ["/zephyr-status.html", "text/html; charset=utf-8"],
    ["/zephyr-status.json", "application/json; charset=utf-8"],
    ["/style.css", "text/css; charset=utf-8"],
    ["/chart.svg", "image/svg+xml"],
    ["/blob.bin7", "application/octet-stream"],
    ["/", "text/html; charset=utf-8"],
  ])("serves %s as %s, revalidated on every load", async (path, type) => {
    const res = await fetch(new URL(path, server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    await res.arrayBuffer();
  });

  it("answers HEAD with the headers of GET and no body", async () => {
    const res = await rawGet(server.port, "/zephyr-status.json", "HEAD");
    expect(res.status).toBe(200);
    expect(res.headers["content-length"]).toBe("7");
    expect(res.body).toBe("");
  });

  it("answers 304 to a matching If-None-Match, and to If-Modified-Since once the file's second is over", async () => {
    const old = new Date(Date.now() - 60_000);
    await utimes(join(root, "zephyr-status.html"), old, old);
    const first = await fetch(new URL("/zephyr-status.html", server.url));
    await first.text();
    const etag = first.headers.get("etag") ?? "";
    const lastModified = first.headers.get("last-modified") ?? "";
    expect(etag).toMatch(/^"[\w-]+"$/); // strong: it comes from the content
    expect(new Date(lastModified).getTime()).toBe(Math.floor(old.getTime() / 1000) * 1000);
    const byTag = await fetch(new URL("/zephyr-status.html", server.url), { headers: { "If-None-Match": etag } });
    expect(byTag.status).toBe(304);
    expect(byTag.headers.get("etag")).toBe(etag);
    const byDate = await fetch(new URL("/zephyr-status.html", server.url), { headers: { "If-Modified-Since": lastModified } });
    expect(byDate.status).toBe(304);
    const older = await fetch(new URL("/zephyr-status.html", server.url), { headers: { "If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT" } });
    expect(older.status).toBe(200);
    await older.text();
  });

  it("gives a file replaced by rename a new ETag even with the same size and time", async () => {
    const get = async () => {
      const r = await fetch(new URL("/same.txt", server.url));
      await r.text();
      return r.headers.get("etag");
    };
    await writeFile(join(root, "same.txt"), "aaaa");
    const before = await get();
    await writeFile(join(root, ".same.tmp"), "bbbb");
    await rename(join(root, ".same.tmp"), join(root, "same.txt"));
    expect(await get()).not.toBe(before);
  });

  it.each(["POST", "PUT", "DELETE", "OPTIONS", "PATCH"])("refuses %s with 405 and an Allow header", async (method) => {
    const res = await rawGet(server.port, "/zephyr-status.html", method);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("GET, HEAD");
  });

  it.each([
    ["/../secret.txt", 400],
    ["/%2e%2e/secret.txt", 400],
    ["/%2E%2E%2Fsecret.txt", 400],
    ["/..%2fsecret.txt", 400],
    ["/sub/../../secret.txt", 400],
    ["/..\\secret.txt", 400],
    ["/%5c..%5csecret.txt", 400],
    ["/sub%5c..%5c..%5csecret.txt", 400],
    ["//..%2fsecret.txt", 400],
    ["/./secret.txt", 400],
    ["http://[::1/", 400],
    ["http://%zz/", 400],
    ["http://127.0.0.1/../secret.txt", 404],
    ["*", 400],
    ["secret.txt", 400],
    ["/%00", 400],
    ["/%0a", 400],
    ["/%E0%A4%A", 400],
    ["/leak.txt", 404],
    ["/up/secret.txt", 404],
    ["/.zephyr-status.html.0123456789ab.tmp", 404],
    ["/%2ezephyr-status.html.0123456789ab.tmp", 404],
    ["/sub/", 404],
    ["/sub", 404],
  ])("does not leave the root, list directories or fail on a bad target: %s -> %d", async (path, status) => {
    const res = await rawGet(server.port, path);
    expect(res.status).toBe(status);
    expect(res.raw).not.toContain("TOP-SECRET");
    expect(res.raw).not.toContain("partial");
  });

  it("accepts a target in absolute form and collapses empty segments", async () => {
    expect((await rawGet(server.port, `http://127.0.0.1:${server.port}/zephyr-status.json`)).body).toBe('{"v":1}');
    expect((await rawGet(server.port, "//docs//")).body).toBe("docs index");
  });

  it("serves a directory's index.html and a symbolic link that stays inside", async () => {
    expect((await rawGet(server.port, "/docs/")).body).toBe("docs index");
    expect((await rawGet(server.port, "/alias.json")).body).toBe('{"v":1}');
  });

  it("refuses an oversized header with 431, a long URL with 414 and a body with 413", async () => {
    expect((await rawGet(server.port, "/", "GET", `X-Big: ${"a".repeat(20_000)}\r\n`)).status).toBe(431);
    expect((await rawGet(server.port, `/${"a".repeat(5000)}`)).status).toBe(414);
    const withBody = await rawRequest(server.port, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    expect(withBody.status).toBe(413);
    const chunked = await rawRequest(server.port, "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n");
    expect(chunked.status).toBe(413);
  });

  it("drops a client that does not finish its request headers in time", async () => {
    const started = Date.now();
    const res = await rawRequest(server.port, "GET / HTTP/1.1\r\nHost: x\r\n", 5000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect([0, 408]).toContain(res.status);
  });

  it("reports a busy port clearly", async () => {
    const err = await startWebServer({ root, port: server.port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebServerError);
    expect((err as WebServerError).code).toBe("EADDRINUSE");
    expect((err as Error).message).toBe(`[linux-shim] port ${server.port} on 127.0.0.1 is already in use`);
  });

  it("rejects a missing root, an unknown engine and a bad port", async () => {
    await expect(startWebServer({ root: join(base, "nope"), port: 0 })).rejects.toMatchObject({ code: "ROOT_MISSING" });
    await expect(startWebServer({ root, port: 0, engine: "apache" as never })).rejects.toThrow(TypeError);
    await expect(startWebServer({ root, port: 70000 })).rejects.toThrow(RangeError);
  });
});

describe("startWebServer builtin lifecycle", () => {
  it("routes requests through the dashboard hook first", async () => {
    const s = await startWebServer({
      root, port: 0,
      dashboard: (req, res) => {
        if (req.url !== "/") return false;
        res.writeHead(200, { "Content-Type": "text/plain" }).end("dashboard");
        return true;
      },
    });
    expect(await (await fetch(s.url)).text()).toBe("dashboard");
    expect(await (await fetch(new URL("/zephyr-status.json", s.url))).text()).toBe('{"v":1}');
    await s.close();
  });

  it("closes promptly with an idle keep-alive connection open and frees the port", async () => {
    const s = await startWebServer({ root, port: 0 });
    const socket = connect({ host: "127.0.0.1", port: s.port });
    await new Promise<void>((resolve) => {
      socket.once("data", () => resolve());
      socket.write("GET /zephyr-status.json HTTP/1.1\r\nHost: x\r\n\r\n");
    });
    const closedSocket = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    const started = Date.now();
    await s.close();
    await closedSocket;
    expect(Date.now() - started).toBeLessThan(1000);
    const again = await startWebServer({ root, port: s.port });
    await again.close();
  });

  it("sends whole files while they are atomically replaced (regression: stat/open race)", async () => {
    const s = await startWebServer({ root, port: 0 });
    const small = `<!DOCTYPE html>${"a".repeat(4000)}</html>\n`;
    const big = `<!DOCTYPE html>${"b".repeat(60_000)}</html>\n`;
    await writeFile(join(root, "race.html"), small);
    let stop = false;
    let n = 0;
    const writer = (async () => {
      while (!stop) {
        const tmp = join(root, `.race.${n}.tmp`);
        await writeFile(tmp, n++ % 2 ? small : big);
        await rename(tmp, join(root, "race.html"));
      }
    })();
    const bad: string[] = [];
    for (let i = 0; i < 150; i++) {
      const text = await (await fetch(new URL("/race.html", s.url), { signal: AbortSignal.timeout(2000) })).text();
      if (text !== small && text !== big) bad.push(`${text.length} bytes`);
    }
    stop = true;
    await writer;
    await s.close();
    expect(n).toBeGreaterThan(20);
    expect(bad).toEqual([]);
  });
});
