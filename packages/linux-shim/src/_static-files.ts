/**
 * Internal: serving files from one directory, safely. A file is opened
 * once, proven to be inside the root from its descriptor (see
 * `_open-in-root.ts`), and its headers come from `fstat` on that descriptor,
 * so a file replaced by rename while it is served is sent whole (old or new),
 * never with a Content-Length that belongs to the other one, and a symbolic
 * link swapped while it is looked up cannot lead outside. Small files are
 * read whole and their settled versions kept (see `_file-versions.ts`); a
 * name is looked up with `stat` calls shared by the requests that wait for
 * them, so a page asked for by a thousand clients at once costs a few
 * `stat` calls and one read.
 */
import { promises as fsp, type Stats } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { contentTypeOf } from "./_mime.ts";
import { evaluatePreconditions, selectRange, type Validators } from "./_http-conditional.ts";
import { Batched } from "./_batched.ts";
import { identityOf, readFileVersion, safeLastModified, settled, FileVersions, type FileVersion, type VersionRead } from "./_file-versions.ts";
import { openInRoot, type OpenedFile, type RootGuard } from "./_open-in-root.ts";

/** Files up to this size are read whole (and kept when settled); larger ones are streamed. */
const WHOLE_FILE_MAX = 1 << 20;

/** Send a small plain-text status response. */
export function sendStatus(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = `${status} ${text}\n`;
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/** Open the file a path names (a directory's `index.html`), proven inside the root, with the name it was opened by. */
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

/** What a response sends: its type, validators, length and, per byte range, its bytes. */
interface Representation extends Validators {
  readonly name: string;
  readonly size: number;
  send(res: ServerResponse, start: number, end: number): void | Promise<void>;
}

function respond(req: IncomingMessage, res: ServerResponse, rep: Representation): void | Promise<void> {
  const validators: Record<string, string> = { "Cache-Control": "no-cache" };
  if (rep.etag !== undefined) validators.ETag = rep.etag;
  if (rep.lastModifiedMs !== undefined) validators["Last-Modified"] = new Date(rep.lastModifiedMs).toUTCString();
  const pre = evaluatePreconditions(req, rep);
  if (pre === "not-modified") {
    res.writeHead(304, validators).end();
    return;
  }
  if (pre === "failed") return sendStatus(res, 412, "Precondition Failed");
  const range = selectRange(req, rep.size, rep);
  if (range === "unsatisfiable") return sendStatus(res, 416, "Range Not Satisfiable", { "Content-Range": `bytes */${rep.size}` });
  const { start, end } = range ?? { start: 0, end: rep.size - 1 };
  res.writeHead(range === undefined ? 200 : 206, {
    "Content-Type": contentTypeOf(rep.name),
    "Accept-Ranges": "bytes",
    ...validators,
    ...(range === undefined ? {} : { "Content-Range": `bytes ${start}-${end}/${rep.size}` }),
    "Content-Length": String(end - start + 1),
  });
  if (req.method === "HEAD" || end < start) {
    res.end();
    return;
  }
  return rep.send(res, start, end);
}

function fromVersion(name: string, version: FileVersion): Representation {
  return {
    name,
    size: version.body.length,
    etag: version.etag,
    lastModifiedMs: version.lastModifiedMs,
    send: (res, start, end) => void res.end(start === 0 && end === version.body.length - 1 ? version.body : version.body.subarray(start, end + 1)),
  };
}

function streamed(file: OpenedFile & { readonly name: string }): Representation {
  const now = Date.now();
  const st = file.stat;
  return {
    name: file.name,
    size: st.size,
    // An identity any change alters (weak: it does not prove the bytes), given only once settled.
    etag: settled(st, now) ? `W/"${Buffer.from(identityOf(st)).toString("base64url")}"` : undefined,
    lastModifiedMs: safeLastModified(st, now),
    // A client that goes away mid-file just ends the stream.
    send: (res, start, end) => pipeline(file.handle.createReadStream({ start, end, autoClose: false }), res).catch(() => void res.destroy()),
  };
}

/** A name looked up by `stat` (a directory's `index.html` in its place). */
interface Looked {
  readonly name: string;
  readonly st: Stats;
}

async function look(path: string): Promise<Looked | undefined> {
  const st = await fsp.stat(path).catch(() => undefined);
  if (!st?.isDirectory()) return st && { name: path, st };
  const name = join(path, "index.html");
  const index = await fsp.stat(name).catch(() => undefined);
  return index && { name, st: index };
}

/** The static file half of the built-in server. */
export class StaticFiles {
  readonly #guard: RootGuard;
  readonly #versions = new FileVersions(64, 16 << 20);
  // Concurrent requests for one name share their stat calls (each gets one made after it arrived).
  readonly #looks = new Batched<string, Looked | undefined>(look);
  readonly #fresh = new Batched<string, FileVersion | undefined>(async (name) => {
    const read = await this.#readSmall(name);
    if (read !== undefined) this.#versions.remember(read);
    return read?.version;
  });

  /** Serve the files under the guarded root. */
  constructor(guard: RootGuard) {
    this.#guard = guard;
  }

  /** Answer a GET or HEAD for the decoded path `segments` (already checked: no `.`, `..` or separators). */
  async serve(req: IncomingMessage, res: ServerResponse, segments: readonly string[]): Promise<void> {
    if (segments.some((s) => s.startsWith("."))) return sendStatus(res, 404, "Not Found"); // temporary and hidden files
    const path = join(this.#guard.rootReal, ...segments);
    const looked = await this.#looks.get(path);
    if (looked !== undefined && looked.st.isFile() && looked.st.size <= WHOLE_FILE_MAX) {
      // Read whole, proven inside the root, shared: a settled version by identity, a fresh one by the requests waiting for it.
      const version = settled(looked.st, Date.now())
        ? await this.#versions.shared(identityOf(looked.st), () => this.#readSmall(looked.name))
        : await this.#fresh.get(looked.name);
      if (version !== undefined) return respond(req, res, fromVersion(looked.name, version));
    }
    const file = await openTarget(this.#guard, path);
    if (file === undefined) return sendStatus(res, 404, "Not Found");
    try {
      if (file.stat.size > WHOLE_FILE_MAX) return await respond(req, res, streamed(file));
      const read = await readFileVersion(file.handle, file.stat);
      this.#versions.remember(read);
      return respond(req, res, fromVersion(file.name, read.version));
    } finally {
      await file.handle.close().catch(() => undefined);
    }
  }

  /** Open `name`, prove it inside the root and read it whole; undefined when that fails or it is no small regular file. */
  async #readSmall(name: string): Promise<VersionRead | undefined> {
    const file = await openInRoot(this.#guard, name);
    if (file === undefined) return undefined;
    try {
      return file.stat.isFile() && file.stat.size <= WHOLE_FILE_MAX ? await readFileVersion(file.handle, file.stat) : undefined;
    } finally {
      await file.handle.close().catch(() => undefined);
    }
  }
}
