/**
 * The root filesystem interface of the Linux guest: one shape for a real
 * host directory (Node, Deno) and an in-memory tree (browsers).
 *
 * @module
 */

/** Linux errno names used by {@link RootFsError}. */
export const RootFsErrno = {
  ENOENT: "ENOENT",
  EEXIST: "EEXIST",
  ENOTDIR: "ENOTDIR",
  EISDIR: "EISDIR",
  ENOTEMPTY: "ENOTEMPTY",
  EINVAL: "EINVAL",
  EACCES: "EACCES",
  EIO: "EIO",
  EMFILE: "EMFILE",
  ENFILE: "ENFILE",
} as const;

/** One of the errno names in {@link RootFsErrno}. */
export type RootFsErrnoName = (typeof RootFsErrno)[keyof typeof RootFsErrno];

/** A file operation that failed for a reason callers are expected to handle (missing file, not a directory, ...). */
export class RootFsError extends Error {
  /** The Linux errno name, e.g. `"ENOENT"`. */
  readonly code: RootFsErrnoName;
  /** The guest path the operation was about. */
  readonly path: string;
  /** Build an error; `message` says what was being done and what was wrong. */
  constructor(code: RootFsErrnoName, path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RootFsError";
    this.code = code;
    this.path = path;
  }
}

/** What {@link RootFs.stat} reports about a file or directory. */
export interface RootFsStat {
  /** `"file"` or `"directory"`. */
  readonly kind: "file" | "directory";
  /** Size in bytes (0 for directories in the memory tree). */
  readonly size: number;
  /** Last modification time, ms since the epoch of the filesystem's clock. */
  readonly mtimeMs: number;
}

/**
 * The guest's root filesystem. Paths are absolute guest paths such as
 * `/usr/share/nginx/html/zephyr-status.html`; `.` and `..` are resolved and
 * `..` never leaves `/`. `rename` replaces an existing file atomically:
 * a reader sees either the old or the new file, never a partial or missing one.
 */
export interface RootFs {
  /** Read a whole file. */
  readFile(path: string): Promise<Uint8Array>;
  /** Create or truncate a file and write `data`; the parent directory must exist. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Read a whole file as UTF-8 text. */
  readText(path: string): Promise<string>;
  /** Write `text` as UTF-8, like {@link RootFs.writeFile}. */
  writeText(path: string, text: string): Promise<void>;
  /** Move a file, atomically replacing a file at `to`. */
  rename(from: string, to: string): Promise<void>;
  /** Create a directory; with `recursive` also its parents, and no error when it exists. */
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  /** The names in a directory, sorted. */
  readdir(path: string): Promise<string[]>;
  /** Kind, size and modification time of a path. */
  stat(path: string): Promise<RootFsStat>;
  /** Whether a path exists. */
  exists(path: string): Promise<boolean>;
  /** Remove a file or (with `recursive`) a directory tree; `force` ignores a missing path. */
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>;
}
