/**
 * Internal: what one WASI program's file calls remember between calls,
 * besides the page cache they share (`_wasi-page-cache.ts`): the
 * directories it created files in (a new file there, `O_CREAT|O_TRUNC`, is
 * made in memory at open, with no call to the file system) and the files
 * it holds open, whose writes reach the cache at close or `fsync` (or
 * before any call that asks the file system, so the program sees its files
 * as POSIX says: a created file exists, a listing shows it).
 *
 * The file system may change behind the program's back (another process
 * removes the directory): then the file's write-back fails, which the next
 * `fsync` reports and the kernel log says, as with a write-back error on
 * Linux.
 */
import { RootFile } from "./_wasi-files.ts";
import type { PageCache } from "./_wasi-page-cache.ts";

/** The directory of an absolute, normalised guest path (`/` for `/x`). */
export const parentOf = (path: string): string => path.slice(0, path.lastIndexOf("/")) || "/";

/** Whether normalised `path` is `dir` or inside it. */
const within = (path: string, dir: string): boolean => path === dir || path.startsWith(dir === "/" ? "/" : `${dir}/`);

/** One program's memory of the root filesystem (see the module comment). */
export class WriteBehind {
  /** The page cache of the file system (shared). */
  readonly cache: PageCache;
  /** Directories this program created a file in or made. */
  readonly #dirs = new Set<string>();
  /** Files the program holds open. */
  readonly #open = new Set<RootFile>();

  /** The memory of a program over the file system of `cache`. */
  constructor(cache: PageCache) {
    this.cache = cache;
  }

  /** `file` is open now. */
  opened(file: RootFile): RootFile {
    this.#open.add(file);
    return file;
  }

  /**
   * `path` (normalised) created or truncated in memory, when the cache
   * knows it or its directory is one the program already created files in;
   * undefined when the file system has to be asked (the caller opens it there).
   */
  create(path: string): RootFile | undefined {
    if (this.#dirs.has(path) || (this.cache.lookup(path) === undefined && !this.#dirs.has(parentOf(path)))) return undefined;
    return this.opened(new RootFile(path, new Uint8Array(0), true));
  }

  /** Whether a rename over `to` can happen in the cache: its directory exists, and it is no directory the program knows. */
  canRename(to: string): boolean {
    return !this.#dirs.has(to) && (this.#dirs.has(parentOf(to)) || this.cache.lookup(to) !== undefined);
  }

  /** Learned from a call that succeeded: `dir` is a directory the program can create files in. */
  knownDir(dir: string): void {
    this.#dirs.add(dir);
  }

  /** `path` was moved or removed: forget the directories at or under it. */
  forget(path: string): void {
    for (const dir of this.#dirs) if (within(dir, path)) this.#dirs.delete(dir);
  }

  /** Put what the open files (of `path`, or all) wrote into the cache; they are clean then. */
  publish(path?: string): void {
    for (const f of this.#open) {
      if (!f.dirty || f.path === "" || (path !== undefined && f.path !== path)) continue;
      this.cache.put(f.path, f.file.data.slice());
      f.dirty = false;
    }
  }

  /** `from` was renamed to `to`: the open files of `from` are files of `to` now (as an inode is). */
  renamed(from: string, to: string): void {
    for (const f of this.#open) if (f.path === from) f.path = to;
  }

  /** `path` was removed: its open files belong to no path any more (what they write goes nowhere). */
  removed(path: string): void {
    for (const f of this.#open) {
      if (f.path !== path) continue;
      f.path = "";
      f.dirty = false;
    }
  }

  /** `file` is closed: its content goes to the cache when it changed; whether it did. */
  closed(file: RootFile): boolean {
    this.#open.delete(file);
    if (!file.dirty || file.path === "") return false;
    this.cache.put(file.path, file.file.data);
    file.dirty = false;
    this.#dirs.add(parentOf(file.path));
    return true;
  }
}
