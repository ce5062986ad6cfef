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

/** A bounded store of settled versions, least recently used dropped first. */
export class FileVersions {
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  readonly #kept = new Map<string, FileVersion>();
  #bytes = 0;

  /** Keep at most `maxEntries` versions and `maxBytes` of content. */
  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  /** The kept version with the settled identity `identity`, marked as the most recently used; undefined when none is kept. */
  kept(identity: string): FileVersion | undefined {
    const kept = this.#kept.get(identity);
    if (kept !== undefined && this.#kept.size > 1) {
      this.#kept.delete(identity); // most recently used goes last
      this.#kept.set(identity, kept);
    }
    return kept;
  }

  /** Keep what a read found, when it may be kept. */
  remember(read: VersionRead): void {
    if (read.keep) this.#keep(read.identity, read.version);
  }

  #keep(identity: string, version: FileVersion): void {
    if (version.body.length > this.#maxBytes || this.#kept.has(identity)) return;
    this.#kept.set(identity, version);
    this.#bytes += version.body.length;
    for (const [key, old] of this.#kept) {
      if (this.#bytes <= this.#maxBytes && this.#kept.size <= this.#maxEntries) break;
      this.#kept.delete(key);
      this.#bytes -= old.body.length;
    }
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
