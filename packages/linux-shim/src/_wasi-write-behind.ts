/**
 * Internal: what one WASI program's file calls remember of the root
 * filesystem between calls, so that the common way of publishing a file
 * (`fopen(tmp, "w")`, `fwrite`, `fclose`, `rename(tmp, page)`) reaches the
 * file system twice (the write at close, the rename) instead of at every
 * step.
 *
 * - Directories where the program already created a file (or that it made):
 *   a new file there (`O_CREAT|O_TRUNC`) is created in memory at open, with
 *   no call to the file system, and written there at close or sync.
 * - Such files not written yet: any other call that names them (open, stat,
 *   rename, unlink, a listing of their directory) writes them first, so the
 *   program sees them as POSIX says (a created file exists).
 *
 * The file system may change behind the program's back (another process
 * removes the directory): then the write at close fails and the program
 * gets the errno from `close`, as with a write-back error on Linux.
 */
import { RootFile } from "./_wasi-files.ts";
import type { RootFs } from "./rootfs.ts";

/** The directory of an absolute, normalised guest path (`/` for `/x`). */
export const parentOf = (path: string): string => path.slice(0, path.lastIndexOf("/")) || "/";

/** Whether normalised `path` is `dir` or inside it. */
const within = (path: string, dir: string): boolean => path === dir || path.startsWith(dir === "/" ? "/" : `${dir}/`);

/** One program's memory of the root filesystem (see the module comment). */
export class WriteBehind {
  readonly #fs: RootFs;
  /** Directories this program created a file in or made. */
  readonly #dirs = new Set<string>();
  /** Files created in memory and not on the file system yet, by path. */
  readonly #unwritten = new Map<string, RootFile>();

  /** The memory of a program over `fs`. */
  constructor(fs: RootFs) {
    this.#fs = fs;
  }

  /**
   * `path` (normalised) created or truncated in memory, when its directory
   * is one the program already created files in; undefined when the file
   * system has to be asked (the caller opens it there).
   */
  create(path: string): RootFile | undefined {
    if (!this.#dirs.has(parentOf(path)) || this.#dirs.has(path) || this.#unwritten.has(path)) return undefined;
    const file = new RootFile(path, new Uint8Array(0), true);
    this.#unwritten.set(path, file);
    return file;
  }

  /** Learned from a call that succeeded: `dir` is a directory the program can create files in. */
  knownDir(dir: string): void {
    this.#dirs.add(dir);
  }

  /** `path` was moved or removed: forget the directories at or under it. */
  forget(path: string): void {
    for (const dir of this.#dirs) if (within(dir, path)) this.#dirs.delete(dir);
  }

  /** Write `file`'s bytes to the file system if they differ from it; it is no longer unwritten then. */
  async writeBack(file: RootFile): Promise<void> {
    if (file.dirty) {
      await this.#fs.writeFile(file.path, file.file.data);
      file.dirty = false;
      this.#dirs.add(parentOf(file.path));
    }
    if (this.#unwritten.get(file.path) === file) this.#unwritten.delete(file.path);
  }

  /** `file` is closed (written back or failed to): no later call writes it. */
  closed(file: RootFile): void {
    if (this.#unwritten.get(file.path) === file) this.#unwritten.delete(file.path);
  }

  /**
   * Before a call that names `paths`: write the unwritten files at or under
   * them. Undefined when there are none (the call goes on at once), else the
   * promise of those writes.
   */
  settle(...paths: string[]): Promise<void> | undefined {
    if (this.#unwritten.size === 0) return undefined;
    const due = [...this.#unwritten.values()].filter((f) => paths.some((p) => within(f.path, p)));
    if (due.length === 0) return undefined;
    return (async () => {
      for (const f of due) await this.writeBack(f);
    })();
  }
}

