/**
 * Internal: serving files from one directory, safely. The file is opened
 * once, proven to be inside the root from its descriptor, and its headers
 * come from `fstat` on that descriptor, so a file replaced by rename while it
 * is served is sent whole (old or new), never with a Content-Length that
 * belongs to the other one, and a symbolic link swapped while it is looked
 * up cannot lead outside.
 */
import { promises as fsp } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { contentTypeOf } from "./_mime.ts";
import { openInRoot, type OpenedFile, type RootGuard } from "./_open-in-root.ts";

/** Where a request path leads: a path under the root (not yet opened), or an HTTP status. */
export type StaticTarget = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly status: 400 | 404 };

/**
 * Map the path of a request URL to a path under `rootReal`. Refuses `..`
 * (plain or percent-encoded), backslashes, NUL and dot files (the
 * publisher's temporary files); what the path leads to is decided only
 * after it is opened (see {@link openInRoot}).
 */
export function resolveStaticTarget(rootReal: string, rawUrl: string): StaticTarget {
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
  return { ok: true, path: join(rootReal, ...segments) };
}

/** Open the file a target names (a directory's `index.html`), proven inside the root, with the name it was opened by; undefined when there is none. */
async function openTarget(guard: RootGuard, path: string): Promise<(OpenedFile & { readonly name: string }) | undefined> {
  const opened = await openInRoot(guard, path);
  if (opened === undefined || opened.stat.isFile()) return opened && { ...opened, name: path };
  await opened.handle.close();
  if (!opened.stat.isDirectory()) return undefined;
  const name = join(path, "index.html");
  const index = await openInRoot(guard, name);
  if (index === undefined || index.stat.isFile()) return index && { ...index, name };
  await index.handle.close();
  return undefined;
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

/** Serve the target with type, length, ETag, Last-Modified and 304 handling; no caching without revalidation. */
export async function sendFile(req: IncomingMessage, res: ServerResponse, guard: RootGuard, target: { path: string }): Promise<void> {
  const opened = await openTarget(guard, target.path);
  if (opened === undefined) {
    sendStatus(res, 404, "Not Found");
    return;
  }
  const { handle, stat } = opened;
  const size = Number(stat.size);
  const mtimeMs = Number(stat.mtimeMs);
  try {
    const etag = `W/"${stat.ino.toString(36)}-${size.toString(36)}-${Math.floor(mtimeMs).toString(36)}"`;
    const headers: Record<string, string> = {
      "Content-Type": contentTypeOf(opened.name),
      "ETag": etag,
      "Last-Modified": new Date(mtimeMs).toUTCString(),
      "Cache-Control": "no-cache",
    };
    if (notModified(req, etag, mtimeMs)) {
      await handle.close();
      res.writeHead(304, { ETag: etag, "Last-Modified": headers["Last-Modified"] ?? "", "Cache-Control": "no-cache" });
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, "Content-Length": String(size) });
    if (req.method === "HEAD" || size === 0) {
      await handle.close();
      res.end();
      return;
    }
    await pipeline(handle.createReadStream({ start: 0, end: size - 1 }), res);
  } catch {
    await handle.close().catch(() => undefined);
    res.destroy();
  }
}
