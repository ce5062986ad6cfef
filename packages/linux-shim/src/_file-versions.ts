/**
 * Internal: the contents of small served files, read once per version.
 *
 * A version is named by its identity (device, inode, size, modification and
 * change time; the times as ms with their fraction, a resolution of about a
 * quarter of a microsecond). A version is kept only when it is "settled": its
 * change time was at least {@link SETTLE_MS} in the past when the read
 * began, so any later write or replacement (a new inode, even one reusing
 * the number) gets a different change time and so a different identity.
 * Only files proven to lie inside the root are ever read and kept, so a
 * cached version may be served after a plain `stat` of the name.
 */
import { createHash } from "node:crypto";
import { fstatSync, readSync, type Stats } from "node:fs";

/** How long after its last change a file's timestamps are trusted to tell the next change apart, ms (covers coarse file system clocks). */
export const SETTLE_MS = 50;

/** One version of a file, ready to send. */
export interface FileVersion {
  readonly body: Buffer;
  /** Strong ETag from the content. */
  readonly etag: string;
  /** Whole-second Last-Modified, once that second is over; undefined before. */
  readonly lastModifiedMs: number | undefined;
  /** The same as an HTTP date. */
  readonly lastModified: string | undefined;
}

/** The identity of a file version. */
export function identityOf(st: Stats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

/** Whether a change made after `nowMs` is sure to give `st`'s file a new change time. */
export function settled(st: Stats, nowMs: number): boolean {
  return nowMs - st.ctimeMs >= SETTLE_MS;
}

/** `Last-Modified` for `st` at `nowMs` (whole seconds), or undefined while its second could still see another change. */
export function safeLastModified(st: Stats, nowMs: number): number | undefined {
  const second = Math.floor(st.mtimeMs / 1000) * 1000;
  return nowMs >= second + 1000 + SETTLE_MS ? second : undefined;
}

function sameVersion(a: Stats, b: Stats): boolean {
  return identityOf(a) === identityOf(b);
}

/** A read of a file: the version, the identity it was read under, and whether it may be kept. */
export interface VersionRead {
  readonly version: FileVersion;
  readonly identity: string;
  readonly keep: boolean;
}

/**
 * A bounded store of settled versions, one per name (a file's new version
 * takes its old one's place, so a page rewritten every second holds one
 * copy, not one per second until evicted), least recently used dropped first.
 */
export class FileVersions {
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  readonly #kept = new Map<string, { readonly identity: string; readonly version: FileVersion }>();
  #bytes = 0;

  /** Keep at most `maxEntries` names and `maxBytes` of content. */
  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  /** The version kept for `name` when it has the settled identity `identity`, marked as the most recently used; undefined otherwise. */
  kept(name: string, identity: string): FileVersion | undefined {
    const entry = this.#kept.get(name);
    if (entry === undefined || entry.identity !== identity) return undefined;
    if (this.#kept.size > 1) {
      this.#kept.delete(name); // most recently used goes last
      this.#kept.set(name, entry);
    }
    return entry.version;
  }

  /** Keep what a read of `name` found, when it may be kept, in place of any version kept for that name. */
  remember(name: string, read: VersionRead): void {
    if (!read.keep || read.version.body.length > this.#maxBytes) return;
    const old = this.#kept.get(name);
    if (old?.identity === read.identity) return;
    if (old !== undefined) {
      this.#kept.delete(name);
      this.#bytes -= old.version.body.length;
    }
    this.#kept.set(name, { identity: read.identity, version: read.version });
    this.#bytes += read.version.body.length;
    for (const [key, entry] of this.#kept) {
      if (this.#bytes <= this.#maxBytes && this.#kept.size <= this.#maxEntries) break;
      this.#kept.delete(key);
      this.#bytes -= entry.version.body.length;
    }
  }

  /** How many names have a version kept, and their bytes. */
  get size(): { readonly entries: number; readonly bytes: number } {
    return { entries: this.#kept.size, bytes: this.#bytes };
  }
}

/** Read the whole open file `fd` whose `fstat` is `st`; it may be kept when it was settled and did not change while read. */
export function readFileVersion(fd: number, st: Stats): VersionRead {
  const started = Date.now();
  const size = st.size;
  const buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const bytesRead = readSync(fd, buffer, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  const body = filled === size ? buffer : buffer.subarray(0, filled);
  const stable = filled === size && sameVersion(st, fstatSync(fd));
  const lastModifiedMs = stable ? safeLastModified(st, started) : undefined;
  const version: FileVersion = {
    body,
    etag: `"${createHash("sha1").update(body).digest("base64url")}"`,
    lastModifiedMs,
    lastModified: lastModifiedMs === undefined ? undefined : new Date(lastModifiedMs).toUTCString(),
  };
  return { version, identity: identityOf(st), keep: stable && settled(st, started) };
}
