// HTTP correctness of the built-in engine: head limits, versions, ranges
// and conditional requests that never answer a stale 304.
import { mkdtemp, rename, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawGet, rawRequest } from "../test/http-raw.ts";
import { startWebServer, type WebServer } from "./web-server.ts";

let root: string;
let server: WebServer;
const LONG_AGO = new Date(Date.now() - 3_600_000);

async function writeOld(name: string, content: string | Buffer): Promise<void> {
  await writeFile(join(root, name), content);
  await utimes(join(root, name), LONG_AGO, LONG_AGO);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "v8r-web-http-"));
  await writeOld("digits.txt", "0123456789");
  await writeOld("big.bin", Buffer.alloc(3 << 20, 7)); // over the 1 MiB read-whole limit: streamed
  server = await startWebServer({ root, port: 0 });
});

afterAll(async () => {
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** A GET whose head (request line to final CRLF) is exactly `size` bytes, in header lines of about `lineBytes`. */
function headOf(size: number, lineBytes: number): string {
  let head = "GET /digits.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
  const line = (name: string, length: number) => `${name}: ${"v".repeat(Math.max(0, length - name.length - 4))}\r\n`;
  for (let i = 0; size - head.length - 2 > 2 * lineBytes + 8; i++) head += line(`X${i.toString(36)}`, lineBytes);
  return `${head}${line("Z", size - head.length - 2)}\r\n`;
}

describe("builtin engine HTTP", () => {
  it.each([[8], [64]])("answers 431 to a head over 16 KiB made of short headers (%d-byte lines), and 200 just under it", async (lineBytes) => {
    const over = headOf(16_384 + 200, lineBytes);
    expect(over.length).toBeGreaterThan(16_384);
    expect((await rawRequest(server.port, over)).status).toBe(431);
    const under = headOf(16_000, lineBytes);
    expect(under.length).toBeLessThanOrEqual(16_384);
    expect((await rawRequest(server.port, under)).status).toBe(200);
  });

  it("refuses an HTTP/0.9 request line with 400 and HTTP/2.0 with 505, without the file", async () => {
    const simple = await rawRequest(server.port, "GET /digits.txt\r\n\r\n");
    expect(simple.status).toBe(400);
    expect(simple.raw).not.toContain("0123456789");
    const two = await rawRequest(server.port, "GET /digits.txt HTTP/2.0\r\nHost: x\r\n\r\n");
    expect(two.status).toBe(505);
    expect((await rawRequest(server.port, "GET /digits.txt HTTP/1.0\r\n\r\n")).body).toBe("0123456789");
  });

  it.each([
    ["two Host lines", "GET /digits.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"],
    ["two Host lines with the same value", "GET /digits.txt HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n"],
    ["two Host lines in HTTP/1.0", "GET /digits.txt HTTP/1.0\r\nHost: a\r\nHOST: b\r\n\r\n"],
    ["no Host in HTTP/1.1", "GET /digits.txt HTTP/1.1\r\nConnection: close\r\n\r\n"],
    ["a Host that is no host[:port]", "GET /digits.txt HTTP/1.1\r\nHost: a/b@c\r\n\r\n"],
    ["a Host with a non-numeric port", "GET /digits.txt HTTP/1.1\r\nHost: a:b\r\n\r\n"],
  ])("answers 400 to %s (RFC 9112 3.2), without the file", async (_, request) => {
    const res = await rawRequest(server.port, request);
    expect(res.status).toBe(400);
    expect(res.raw).not.toContain("0123456789");
  });

  it.each([["Host: 127.0.0.1:8080"], ["Host: [::1]:80"], ["Host: example.org"], ["Host:"]])("serves a request with %s", async (host) => {
    const res = await rawRequest(server.port, `GET /digits.txt HTTP/1.1\r\n${host}\r\nConnection: close\r\n\r\n`);
    expect(res.body).toBe("0123456789");
  });

  it.each([
    ["bytes=0-3", 206, "0123", "bytes 0-3/10"],
    ["bytes=7-", 206, "789", "bytes 7-9/10"],
    ["bytes=-2", 206, "89", "bytes 8-9/10"],
    ["bytes=5-100", 206, "56789", "bytes 5-9/10"],
    ["bytes=10-", 416, "", "bytes */10"],
    ["bytes=-0", 416, "", "bytes */10"],
    ["bytes=0-1,4-5", 200, "0123456789", undefined],
    ["bytes=5-3", 200, "0123456789", undefined],
    ["items=0-3", 200, "0123456789", undefined],
  ])("Range %s -> %d", async (range, status, body, contentRange) => {
    const res = await rawGet(server.port, "/digits.txt", "GET", `Range: ${range}\r\n`);
    expect(res.status).toBe(status);
    expect(res.headers["content-range"]).toBe(contentRange);
    if (status !== 416) expect(res.body).toBe(body);
    expect(res.headers["accept-ranges"] ?? "bytes").toBe("bytes");
  });

  it("honours If-Range only when it still names what is served", async () => {
    const full = await rawGet(server.port, "/digits.txt");
    const etag = full.headers.etag ?? "";
    expect((await rawGet(server.port, "/digits.txt", "GET", `Range: bytes=0-1\r\nIf-Range: ${etag}\r\n`)).status).toBe(206);
    expect((await rawGet(server.port, "/digits.txt", "GET", `Range: bytes=0-1\r\nIf-Range: "stale"\r\n`)).status).toBe(200);
    const date = full.headers["last-modified"] ?? "";
    expect((await rawGet(server.port, "/digits.txt", "GET", `Range: bytes=0-1\r\nIf-Range: ${date}\r\n`)).status).toBe(206);
  });

  it("answers 412 to an If-Match that does not match and to an old If-Unmodified-Since", async () => {
    expect((await rawGet(server.port, "/digits.txt", "GET", `If-Match: "nope"\r\n`)).status).toBe(412);
    expect((await rawGet(server.port, "/digits.txt", "GET", `If-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n`)).status).toBe(412);
    expect((await rawGet(server.port, "/digits.txt", "GET", `If-Match: *\r\n`)).status).toBe(200);
  });

  it("streams a large file with ranges and a weak ETag", async () => {
    const res = await rawGet(server.port, "/big.bin", "GET", "Range: bytes=3145720-\r\n");
    expect(res.status).toBe(206);
    expect(res.headers["content-range"]).toBe(`bytes 3145720-3145727/${3 << 20}`);
    expect(res.body).toBe("\x07".repeat(8));
    expect(res.headers.etag).toMatch(/^W\/".+"$/);
    const again = await rawGet(server.port, "/big.bin", "HEAD", `If-None-Match: ${res.headers.etag}\r\n`);
    expect(again.status).toBe(304);
  });

  it("never answers a stale 304 when a file changes twice within one second with the same size (regression)", async () => {
    const stale: string[] = [];
    for (let round = 0; round < 20; round++) {
      const content = `version ${String(round).padStart(4, "0")}`;
      await writeFile(join(root, "flip.txt"), content);
      const seen = await rawGet(server.port, "/flip.txt");
      expect(seen.body).toBe(content);
      // replaced in place and by rename, same size, within the same second
      const next = `version ${String(round + 1000).padStart(4, "0")}`;
      if (round % 2) await writeFile(join(root, "flip.txt"), next);
      else {
        await writeFile(join(root, ".flip.tmp"), next);
        await rename(join(root, ".flip.tmp"), join(root, "flip.txt"));
      }
      // What a browser sends back: the validators it was given (a client's own clock says nothing about the file).
      const conditions = [
        ...(seen.headers.etag ? [`If-None-Match: ${seen.headers.etag}\r\n`] : []),
        ...(seen.headers["last-modified"] ? [`If-Modified-Since: ${seen.headers["last-modified"]}\r\n`] : []),
      ];
      expect(conditions.length).toBeGreaterThan(0);
      for (const condition of conditions) {
        const res = await rawGet(server.port, "/flip.txt", "GET", condition);
        if (res.status === 304) stale.push(`${round}: ${condition.trim()}`); // the content changed since it was seen
        else expect(res.body).toBe(next);
      }
    }
    expect(stale).toEqual([]);
  });
});
