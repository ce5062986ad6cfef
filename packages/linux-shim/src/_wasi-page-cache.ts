/**
 * Internal: the page cache of the Linux root filesystem as WASI programs see
 * it, as Linux's: what a program closes (or renames, or removes) is in the
 * cache at once and reaches the file system later, in the background.
 *
 * - **Read your writes.** The cache keeps the latest content of every file a
 *   program wrote (and that a file it removed or renamed away is gone), so
 *   an open of it answers from memory, after its write-back as before.
 * - **Coalescing.** Write-back goes path by path in the order they first
 *   became dirty; a path written again before its turn is written once,
 *   with its latest content (a burst of pages costs one write).
 * - **Atomic rename, in order.** A file renamed over another (the temporary
 *   file, then `rename`) is written back the same way: its content to the
 *   source path, then the rename, so a reader of the real file (the web
 *   server) sees the old page or the new one, never a partial one; and it
 *   comes after the writes that came before it.
 * - **Errors.** A failed write-back is reported by the next `fsync` or
 *   `fdatasync` that flushes the path (once, as Linux does), and logged in
 *   any case, so nothing is lost silently.
 * - **Flush.** {@link PageCache.flush} writes back everything dirty (a
 *   program's exit and the guest's stop do); a call that needs the file
 *   system as it is (a listing, a stat, mkdir, a rename of a file the
 *   cache does not hold) flushes first.
 *
 * One cache per root filesystem while a program uses it (see
 * {@link sharedPageCache}): a restarted Linux's program finds what its
 * previous instance wrote, and its calls wait for that instance's
 * write-back; once no program uses it, it is written back and let go.
 * Write-back runs with `background` (the virtual clock's: the simulation
 * goes on meanwhile and a run waits for it before it ends). Beyond its
 * limit of content ({@link CACHE_LIMIT_BYTES}), a close flushes and the
 * cache starts empty again.
 */
import type { RootFs } from "./rootfs.ts";

/** Bytes of file content the cache holds before a close flushes it and forgets what was written back. */
export const CACHE_LIMIT_BYTES = 64 * 1024 * 1024;

/** A cached path: a file's latest content, or gone (removed or renamed away). */
interface Entry {
  /** The content; null when the path is gone. */
  readonly data: Uint8Array | null;
  /** The path this content was renamed from (written back there first, then renamed over this path). */
  readonly via?: string;
  /** The content is on the file system at `via` already: the rename alone writes this path back. */
  readonly viaSynced?: boolean;
  /** The file system has this content (written back, or read from it). */
  readonly synced?: boolean;
}

/** How a cache reports and schedules its write-back. */
export interface PageCacheOptions {
  /** Run write-back work the simulation does not wait for (the clock's `background`). */
  readonly background: <T>(work: Promise<T>) => Promise<T>;
  /** Log a failed write-back (the kernel log). */
  readonly log: (line: string) => void;
  /** Bytes of content held before a close flushes and forgets; default {@link CACHE_LIMIT_BYTES}. */
  readonly limitBytes?: number;
}

/** The page cache of one root filesystem (see the module comment). */
export class PageCache {
  #fs: RootFs;
  #o: PageCacheOptions;
  readonly #entries = new Map<string, Entry>();
  /** Paths to write back, in the order they first became dirty. */
  readonly #dirty = new Set<string>();
  /** Failed write-backs not reported by an fsync yet, by path. */
  readonly #errors = new Map<string, unknown>();
  #bytes = 0;
  #running: Promise<void> | undefined;

  /** The cache of `fs`. */
  constructor(fs: RootFs, o: PageCacheOptions) {
    this.#fs = fs;
    this.#o = o;
  }

  /** From now on write back through `fs` and report as `o` say (the newest program's view of the same file system). */
  attach(fs: RootFs, o: PageCacheOptions): void {
    this.#fs = fs;
    this.#o = o;
  }

  /** What the cache knows of `path`: its content, null when gone, undefined when only the file system knows. */
  lookup(path: string): Uint8Array | null | undefined {
    const e = this.#entries.get(path);
    return e === undefined ? undefined : e.data;
  }

  /** Whether the cache holds more than its limit of content (a close then flushes and forgets). */
  get full(): boolean {
    return this.#bytes > (this.#o.limitBytes ?? CACHE_LIMIT_BYTES);
  }

  /** `path` now has content `data` (the cache keeps it: do not change it afterwards). */
  put(path: string, data: Uint8Array): void {
    this.#set(path, { data });
  }

  /** Rename `from` (a file the cache holds) over `to`. */
  move(from: string, to: string): void {
    const src = this.#entries.get(from);
    if (!src?.data) throw new RangeError(`[linux-shim] page cache: renaming ${from}, which the cache does not hold`);
    this.#set(to, { data: src.data, via: from, viaSynced: src.synced === true && !this.#dirty.has(from) });
    this.#set(from, { data: null });
  }

  /** `path` (a file the cache holds) is removed. */
  remove(path: string): void {
    this.#set(path, { data: null });
  }

  /** Forget `path` and everything under it (the file system changed there by a call that flushed first). */
  forget(path: string): void {
    for (const [p, e] of this.#entries) {
      if (p === path || p.startsWith(path === "/" ? "/" : `${path}/`)) {
        this.#bytes -= e.data?.length ?? 0;
        this.#entries.delete(p);
      }
    }
  }

  /** Write back everything dirty; resolves once it is on the file system (failures are kept for {@link PageCache.takeError}). */
  async flush(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /** After a flush, when the cache is over its limit: forget every written-back entry. */
  shrink(): void {
    if (!this.full || this.#dirty.size > 0) return;
    this.#entries.clear();
    this.#bytes = 0;
  }

  /** The failed write-back of `path` not reported yet (then it is reported), or undefined. */
  takeError(path: string): unknown {
    const e = this.#errors.get(path);
    this.#errors.delete(path);
    return e;
  }

  #set(path: string, e: Entry): void {
    this.#bytes += (e.data?.length ?? 0) - (this.#entries.get(path)?.data?.length ?? 0);
    this.#entries.set(path, e);
    this.#dirty.add(path);
    this.#start();
  }

  /** Start the write-back unless it runs (it goes on until nothing is dirty). */
  #start(): void {
    if (this.#running !== undefined || this.#dirty.size === 0) return;
    const running = this.#o.background(this.#writeBack()).finally(() => {
      this.#running = undefined;
      this.#start(); // dirtied between the last turn and now
    });
    this.#running = running;
  }

  /** Write back the dirty paths one by one, oldest first, until none is left. */
  async #writeBack(): Promise<void> {
    await Promise.resolve(); // the program's current call ends first: a rename after a close joins the write
    for (let path = first(this.#dirty); path !== undefined; path = first(this.#dirty)) {
      this.#dirty.delete(path);
      const e = this.#entries.get(path);
      if (e === undefined || (e.data === null && this.#stagedLater(path))) continue;
      try {
        await this.#writeOne(path, e);
        if (this.#entries.get(path) === e) this.#entries.set(path, { data: e.data, synced: true });
      } catch (err) {
        this.#failed(path, e, err);
      }
    }
  }

  /** Whether a dirty path is renamed from `path`: its write-back leaves `path` gone. */
  #stagedLater(path: string): boolean {
    for (const p of this.#dirty) if (this.#entries.get(p)?.via === path) return true;
    return false;
  }

  async #writeOne(path: string, e: Entry): Promise<void> {
    const fs = this.#fs;
    if (e.data === null) return fs.rm(path, { force: true });
    if (e.via === undefined) return fs.writeFile(path, e.data);
    if (!e.viaSynced) await fs.writeFile(e.via, e.data);
    await fs.rename(e.via, path);
    // the source is gone from the file system now: as the cache says, or it holds a newer file that goes back too
    const src = this.#entries.get(e.via);
    if (src?.data) this.#dirty.add(e.via);
    else if (src !== undefined) this.#dirty.delete(e.via);
  }

  #failed(path: string, e: Entry, err: unknown): void {
    this.#errors.set(path, err);
    const why = err instanceof Error ? err.message : String(err);
    this.#o.log(`VFS: lost async page write of ${path}: ${why}`);
    if (e.via !== undefined) void this.#fs.rm(e.via, { force: true }).catch(() => undefined);
    // the file system is as it is: later calls ask it (unless a newer version is on its way)
    if (this.#entries.get(path) === e) {
      this.#bytes -= e.data?.length ?? 0;
      this.#entries.delete(path);
    }
  }
}

const first = (set: Set<string>): string | undefined => set.values().next().value;

/** The caches of host directories (by host path) and of other file systems (by object), and how many programs use each. */
const byHostPath = new Map<string, PageCache>();
const byObject = new WeakMap<object, PageCache>();
const users = new Map<PageCache, number>();

/** A program's use of the page cache of its root filesystem. */
export interface PageCacheUse {
  /** The cache. */
  readonly cache: PageCache;
  /** The program is done: everything is written back; once no program uses the cache, it is forgotten (a later one reads the file system anew). Once per use. */
  release(): Promise<void>;
}

/**
 * The page cache of the root filesystem `shared` (a restarted Linux's new
 * RootFs over the same host directory gets the same cache while a program
 * still uses it), reached through `fs` (the guest's view of it); made on
 * first use.
 */
export function sharedPageCache(fs: RootFs, shared: RootFs, o: PageCacheOptions): PageCacheUse {
  const hostPath = (shared as { hostPath?: unknown }).hostPath;
  const key = typeof hostPath === "function" ? String((hostPath as (p: string) => unknown).call(shared, "/")) : undefined;
  let cache = key === undefined ? byObject.get(shared) : byHostPath.get(key);
  if (cache === undefined) {
    cache = new PageCache(fs, o);
    if (key === undefined) byObject.set(shared, cache);
    else byHostPath.set(key, cache);
  } else cache.attach(fs, o);
  const mine = cache;
  users.set(mine, (users.get(mine) ?? 0) + 1);
  let released: Promise<void> | undefined;
  const forget = (): void => {
    users.delete(mine);
    if (key === undefined) byObject.delete(shared);
    else if (byHostPath.get(key) === mine) byHostPath.delete(key);
  };
  return {
    cache: mine,
    release: () =>
      (released ??= (async () => {
        users.set(mine, (users.get(mine) ?? 1) - 1);
        await mine.flush();
        if (users.get(mine) === 0) forget();
      })()),
  };
}
