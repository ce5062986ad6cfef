/**
 * Internal: the contents of small served files, read once per version.
 *
 * A version is named by its identity (device, inode, size, modification and
 * change time, in ns). A version is kept only when it is "settled": its
 * change time was at least {@link SETTLE_MS} in the past when the read
 * began, so any later write or replacement (a new inode, even one reusing
 * the number) gets a different change time and so a different identity.
 * Only files proven to lie inside the root are ever read and kept, so a
 * cached version may be served after a plain `stat` of the name.
 */
import { createHash } from "node:crypto";
import type { BigIntStats } from "node:fs";
import type { FileHandle } from "node:fs/promises";

/** How long after its last change a file's timestamps are trusted to tell the next change apart, ms (covers coarse file system clocks). */
export const SETTLE_MS = 50;

/** One version of a file, ready to send. */
export interface FileVersion {
  readonly body: Buffer;
  /** Strong ETag from the content. */
  readonly etag: string;
  /** Whole-second Last-Modified, once that second is over; undefined before. */
  readonly lastModifiedMs: number | undefined;
}

/** The identity of a file version. */
export function identityOf(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** Whether a change made after `nowMs` is sure to give `st`'s file a new change time. */
export function settled(st: BigIntStats, nowMs: number): boolean {
  return nowMs - Number(st.ctimeNs / 1_000_000n) >= SETTLE_MS;
}

/** `Last-Modified` for `st` at `nowMs` (whole seconds), or undefined while its second could still see another change. */
export function safeLastModified(st: BigIntStats, nowMs: number): number | undefined {
  const second = Number(st.mtimeNs / 1_000_000_000n) * 1000;
  return nowMs >= second + 1000 + SETTLE_MS ? second : undefined;
}

function sameVersion(a: BigIntStats, b: BigIntStats): boolean {
  return identityOf(a) === identityOf(b);
}

/** A bounded store of settled versions, least recently used dropped first, with shared reads in flight. */
export class FileVersions {
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  readonly #kept = new Map<string, FileVersion>();
  readonly #reading = new Map<string, Promise<FileVersion>>();
  #bytes = 0;

  /** Keep at most `maxEntries` versions and `maxBytes` of content. */
  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  /** The kept version with this identity, or the read of it already in flight. */
  find(identity: string): FileVersion | Promise<FileVersion> | undefined {
    const kept = this.#kept.get(identity);
    if (kept !== undefined) {
      this.#kept.delete(identity); // most recently used goes last
      this.#kept.set(identity, kept);
      return kept;
    }
    return this.#reading.get(identity);
  }

  /** Read the open file (whose `fstat` is `st`); settled versions are kept, and concurrent readers of one share the read. */
  read(handle: FileHandle, st: BigIntStats): Promise<FileVersion> {
    const identity = identityOf(st);
    const now = Date.now();
    if (!settled(st, now)) return readVersion(handle, st, now);
    const shared = this.find(identity);
    if (shared !== undefined) return Promise.resolve(shared);
    const reading = readVersion(handle, st, now).then(({ stable, ...version }) => {
      if (stable) this.#keep(identity, version);
      return version;
    });
    this.#reading.set(identity, reading);
    void reading.then(() => this.#reading.delete(identity), () => this.#reading.delete(identity));
    return reading;
  }

  #keep(identity: string, version: FileVersion): void {
    if (version.body.length > this.#maxBytes) return;
    this.#kept.set(identity, version);
    this.#bytes += version.body.length;
    for (const [key, old] of this.#kept) {
      if (this.#bytes <= this.#maxBytes && this.#kept.size <= this.#maxEntries) break;
      this.#kept.delete(key);
      this.#bytes -= old.body.length;
    }
  }
}

async function readVersion(handle: FileHandle, st: BigIntStats, startedMs: number): Promise<FileVersion & { readonly stable: boolean }> {
  const size = Number(st.size);
  const buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  const body = filled === size ? buffer : buffer.subarray(0, filled);
  const stable = filled === size && sameVersion(st, await handle.stat({ bigint: true }));
  return {
    body,
    etag: `"${createHash("sha1").update(body).digest("base64url")}"`,
    lastModifiedMs: stable ? safeLastModified(st, startedMs) : undefined,
    stable,
  };
}
