/**
 * Internal: serving files from one directory, safely. The file is opened
 * once and its headers come from `fstat` on that descriptor, so a file
 * replaced by rename while it is served is sent whole (old or new), never
 * with a Content-Length that belongs to the other one.
 */
import { promises as fsp } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { contentTypeOf } from "./_mime.ts";

/** Where a request path leads: a file inside the root, or an HTTP status. */
export type StaticTarget = { readonly ok: true; readonly file: string; readonly name: string } | { readonly ok: false; readonly status: 400 | 404 };

/**
 * Resolve the path of a request URL to a regular file inside `rootReal`
 * (a realpath). Refuses `..` (plain or percent-encoded), backslashes, NUL,
 * dot files (the publisher's temporary files), directories without an
 * `index.html` (no listings) and anything whose real path is outside.
 */
export async function resolveStaticTarget(rootReal: string, rawUrl: string): Promise<StaticTarget> {
  const pathPart = rawUrl.split("?", 1)[0] ?? "";
  if (!pathPart.startsWith("/")) return { ok: false, status: 400 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return { ok: false, status: 400 };
  }
  if (decoded.includes("\0")) return { ok: false, status: 400 };
  if (decoded.includes("\\")) return { ok: false, status: 404 };
  const segments = decoded.split("/").filter((s) => s !== "");
  if (segments.some((s) => s.startsWith("."))) return { ok: false, status: 404 };
  let candidate = join(rootReal, ...segments);
  try {
    if ((await fsp.stat(candidate)).isDirectory()) candidate = join(candidate, "index.html");
    const real = await fsp.realpath(candidate);
    const inside = rootReal.endsWith(sep) ? rootReal : rootReal + sep;
    if (!real.startsWith(inside)) return { ok: false, status: 404 };
    if (!(await fsp.stat(real)).isFile()) return { ok: false, status: 404 };
    return { ok: true, file: real, name: candidate };
  } catch {
    return { ok: false, status: 404 };
  }
}

function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === bare);
}

function notModified(req: IncomingMessage, etag: string, mtimeMs: number): boolean {
  const inm = req.headers["if-none-match"];
  if (inm !== undefined) return etagMatches(inm, etag);
  const ims = req.headers["if-modified-since"];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
}

/** Send a small plain-text status response. */
export function sendStatus(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = `${status} ${text}\n`;
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/** Serve the resolved file with type, length, ETag, Last-Modified and 304 handling; no caching without revalidation. */
export async function sendFile(req: IncomingMessage, res: ServerResponse, target: { file: string; name: string }): Promise<void> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(target.file, "r");
  } catch {
    sendStatus(res, 404, "Not Found");
    return;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      await handle.close();
      sendStatus(res, 404, "Not Found");
      return;
    }
    const etag = `W/"${st.ino.toString(36)}-${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`;
    const headers: Record<string, string> = {
      "Content-Type": contentTypeOf(target.name),
      "ETag": etag,
      "Last-Modified": new Date(st.mtimeMs).toUTCString(),
      "Cache-Control": "no-cache",
    };
    if (notModified(req, etag, st.mtimeMs)) {
      await handle.close();
      res.writeHead(304, { ETag: etag, "Last-Modified": headers["Last-Modified"] ?? "", "Cache-Control": "no-cache" });
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, "Content-Length": String(st.size) });
    if (req.method === "HEAD" || st.size === 0) {
      await handle.close();
      res.end();
      return;
    }
    await pipeline(handle.createReadStream({ start: 0, end: st.size - 1 }), res);
  } catch {
    await handle.close().catch(() => undefined);
    res.destroy();
  }
}
