/**
 * Internal: serving files from one directory, safely. A file is opened
 * once, proven to be inside the root from its descriptor (see
 * `_open-in-root.ts`), and its headers come from `fstat` on that descriptor,
 * so a file replaced by rename while it is served is sent whole (old or new),
 * never with a Content-Length that belongs to the other one, and a symbolic
 * link swapped while it is looked up cannot lead outside. Small files are
 * read whole and their settled versions kept (see `_file-versions.ts`):
 * a request for one of them costs a `stat` of its name made on arrival, and
 * is answered without waiting, so a page asked for by a thousand clients at
 * once costs a thousand `stat` calls, one read, and no request in flight.
 */
import { closeSync, createReadStream, statSync, type Stats } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { contentTypeOf } from "./_mime.ts";
import { evaluatePreconditions, selectRange, type Validators } from "./_http-conditional.ts";
import { identityOf, readFileVersion, safeLastModified, settled, FileVersions, type FileVersion, type VersionRead } from "./_file-versions.ts";
import { openInRootSync, type OpenedFd, type RootGuard } from "./_open-in-root.ts";

const NOSNIFF = { "X-Content-Type-Options": "nosniff" } as const;

/** Files up to this size are read whole (and kept when settled); larger ones are streamed. */
const WHOLE_FILE_MAX = 1 << 20;

/** Send a small plain-text status response. */
export function sendStatus(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = `${status} ${text}\n`;
  res.writeHead(status, { ...NOSNIFF, "Content-Type": "text/plain; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/** Open the file a path names (a directory's `index.html`), proven inside the root, with the name it was opened by; the caller closes it. */
function openTarget(guard: RootGuard, path: string): (OpenedFd & { readonly name: string }) | undefined {
  const opened = openInRootSync(guard, path);
  if (opened === undefined || opened.stat.isFile()) return opened && { ...opened, name: path };
  closeSync(opened.fd);
  if (!opened.stat.isDirectory()) return undefined;
  const name = join(path, "index.html");
  const index = openInRootSync(guard, name);
  if (index === undefined || index.stat.isFile()) return index && { ...index, name };
  closeSync(index.fd);
  return undefined;
}

/** What a response sends: its type, validators, length, and its bytes in memory or an open file to stream. */
interface Representation extends Validators {
  readonly name: string;
  readonly size: number;
  readonly lastModified: string | undefined;
  readonly body?: Buffer;
  readonly file?: OpenedFd;
}

function send(res: ServerResponse, rep: Representation, start: number, end: number): void | Promise<void> {
  if (rep.body !== undefined) {
    res.end(start === 0 && end === rep.body.length - 1 ? rep.body : rep.body.subarray(start, end + 1));
    return;
  }
  // A client that goes away mid-file just ends the stream.
  // The stream closes the descriptor when it ends or fails.
  return pipeline(createReadStream(rep.name, { fd: rep.file!.fd, start, end, autoClose: true }), res).catch(() => void res.destroy());
}

/** The headers every answer about `rep` carries, as name, value pairs in a flat list: no caching without revalidation, and its validators when it has them. */
function validatorHeaders(rep: Representation): string[] {
  const headers = ["X-Content-Type-Options", "nosniff", "Cache-Control", "no-cache"];
  if (rep.etag !== undefined) headers.push("ETag", rep.etag);
  if (rep.lastModified !== undefined) headers.push("Last-Modified", rep.lastModified);
  return headers;
}

function respond(req: IncomingMessage, res: ServerResponse, rep: Representation): void | Promise<void> {
  const pre = evaluatePreconditions(req, rep);
  if (pre === "not-modified") {
    res.writeHead(304, validatorHeaders(rep)).end();
    return;
  }
  if (pre === "failed") return sendStatus(res, 412, "Precondition Failed");
  const range = selectRange(req, rep.size, rep);
  if (range === "unsatisfiable") return sendStatus(res, 416, "Range Not Satisfiable", { "Content-Range": `bytes */${rep.size}` });
  const start = range?.start ?? 0;
  const end = range?.end ?? rep.size - 1;
  const headers = validatorHeaders(rep);
  headers.push("Content-Type", contentTypeOf(rep.name), "Accept-Ranges", "bytes", "Content-Length", String(end - start + 1));
  if (range !== undefined) headers.push("Content-Range", `bytes ${start}-${end}/${rep.size}`);
  res.writeHead(range === undefined ? 200 : 206, headers);
  if (req.method === "HEAD" || end < start) {
    res.end();
    return;
  }
  return send(res, rep, start, end);
}

function fromVersion(name: string, version: FileVersion): Representation {
  return { name, size: version.body.length, etag: version.etag, lastModifiedMs: version.lastModifiedMs, lastModified: version.lastModified, body: version.body };
}

function streamed(file: OpenedFd & { readonly name: string }): Representation {
  const now = Date.now();
  const st = file.stat;
  const lastModifiedMs = safeLastModified(st, now);
  return {
    name: file.name,
    size: st.size,
    // An identity any change alters (weak: it does not prove the bytes), given only once settled.
    etag: settled(st, now) ? `W/"${Buffer.from(identityOf(st)).toString("base64url")}"` : undefined,
    lastModifiedMs,
    lastModified: lastModifiedMs === undefined ? undefined : new Date(lastModifiedMs).toUTCString(),
    file,
  };
}

/** A name looked up by `stat` (a directory's `index.html` in its place), with its identity. */
interface Looked {
  readonly name: string;
  readonly st: Stats;
  readonly identity: string;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // not a directory on the way, no permission, a link loop: not found
  }
}

/**
 * Look a name up now, on this thread: a `stat` of a local name is a few
 * microseconds, far less than a round trip through the thread pool, and it
 * is made after the request arrived, so a file replaced before is seen.
 */
function look(path: string): Looked | undefined {
  let name = path;
  let st = statOrUndefined(name);
  if (st?.isDirectory()) {
    name = join(path, "index.html");
    st = statOrUndefined(name);
  }
  return st && { name, st, identity: identityOf(st) };
}

/** The static file half of the built-in server. */
export class StaticFiles {
  readonly #guard: RootGuard;
  readonly #prefix: string;
  readonly #versions = new FileVersions(64, 16 << 20);

  /** Serve the files under the guarded root. */
  constructor(guard: RootGuard) {
    this.#guard = guard;
    this.#prefix = guard.rootReal === sep ? sep : guard.rootReal + sep;
  }

  /**
   * Answer a GET or HEAD for the decoded path `segments` (already checked:
   * no `.`, `..` or separators). Everything up to the answer is done at
   * once, on this thread; only a large file's bytes are streamed (the
   * promise returned then).
   */
  serve(req: IncomingMessage, res: ServerResponse, segments: readonly string[]): void | Promise<void> {
    for (let i = 0; i < segments.length; i++) if ((segments[i] as string).startsWith(".")) return sendStatus(res, 404, "Not Found"); // temporary and hidden files
    // The segments hold no separator, `.` or `..`: joined as they are, they name a path below the root.
    const path = segments.length === 0 ? this.#guard.rootReal : this.#prefix + segments.join(sep);
    const looked = look(path);
    if (looked !== undefined && looked.st.isFile() && looked.st.size <= WHOLE_FILE_MAX && settled(looked.st, Date.now())) {
      // Kept versions were proven inside the root when read; a settled identity names one content.
      const kept = this.#versions.kept(looked.name, looked.identity);
      if (kept !== undefined) return respond(req, res, fromVersion(looked.name, kept));
    }
    return this.#serveOpened(req, res, path);
  }

  /** Open the target, prove it inside the root and serve it from its descriptor: large files streamed, others read whole (and kept when settled). */
  #serveOpened(req: IncomingMessage, res: ServerResponse, path: string): void | Promise<void> {
    const file = openTarget(this.#guard, path);
    if (file === undefined) return sendStatus(res, 404, "Not Found");
    if (file.stat.size > WHOLE_FILE_MAX) {
      const streaming = respond(req, res, streamed(file));
      if (streaming === undefined) closeSync(file.fd); // answered without the bytes (304, 412, 416, HEAD)
      return streaming;
    }
    let read: VersionRead;
    try {
      read = readFileVersion(file.fd, file.stat);
    } finally {
      closeSync(file.fd);
    }
    this.#versions.remember(file.name, read);
    return respond(req, res, fromVersion(file.name, read.version));
  }
}
