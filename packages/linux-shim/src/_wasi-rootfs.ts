/**
 * Internal: the Linux root filesystem as a WASI program sees it, preopened
 * as `/`. Descriptors are browser_wasi_shim `Fd`s over the {@link RootFs}
 * (`_wasi-files.ts`): a directory holds its listing, a file its bytes, read
 * when it is opened. Between the program and the file system sits Linux's
 * page cache (`_wasi-page-cache.ts`): what a program closes, renames or
 * removes is in the cache at once, and written back in the background
 * (coalesced; a rename over a file lands atomically, after the writes
 * before it), so `close` and `rename` do not wait for the storage; errors
 * come back from `fsync`, and the kernel log tells of any other. Without a
 * `background` (a program whose waits block its thread, which would stall
 * the write-back), `close`, `rename` and `unlink` wait for the write-back
 * and return its errors. A new file in a directory the program already
 * created files in costs no call at open (`_wasi-write-behind.ts`). The
 * calls that reach the RootFs return promises: the program suspends in them
 * (built with v8r-cc) while the storage works, and a virtual clock holds
 * still meanwhile; the others answer at once.
 */
import { type Fd, wasi } from "@bjorn3/browser_wasi_shim";
import type { ProgramImport, WasiHost } from "@v8r/openamp-wasm";
import { normalizeGuestPath } from "./_guest-path.ts";
import { errnoOf, RootDir, RootFile } from "./_wasi-files.ts";
import { type PageCache, sharedPageCache } from "./_wasi-page-cache.ts";
import { parentOf, WriteBehind } from "./_wasi-write-behind.ts";
import { type RootFs, RootFsError } from "./rootfs.ts";

/** What the file calls need besides the file system. */
export interface RootFsWasiOptions {
  /** Mark storage work that takes no simulated time (the domain clock's `hold`). */
  readonly hold: <T>(work: Promise<T>) => Promise<T>;
  /** Run the page cache's write-back without waiting for it (the domain clock's `background`); without it the calls that change files wait for their write-back. */
  readonly background?: <T>(work: Promise<T>) => Promise<T>;
  /** The kernel log, for a write-back that failed; default none. */
  readonly log?: (line: string) => void;
  /** The root filesystem `fs` shows (a restarted Linux's over the same directory shares the page cache); default `fs`. */
  readonly shared?: RootFs;
}

/** The preopened `/` over a root filesystem, the WASI calls that reach it, and the write-back of its page cache. */
export interface RootFsWasi {
  /** The preopened `/` (for `program.start({ preopens: [preopen] })`). */
  readonly preopen: Fd;
  /** The calls (for `program.start({ wasi })`). */
  readonly wasi: (host: WasiHost) => Record<string, ProgramImport>;
  /** The program is done (its exit, the guest's stop): write everything back, and let the cache go once no program uses it. */
  release(): Promise<void>;
}

/**
 * The preopened `/` over `fs` and the WASI calls that reach it (for
 * `program.start({ preopens: [preopen], wasi })`).
 */
export function rootFsWasi(fs: RootFs, o: RootFsWasiOptions): RootFsWasi {
  const use = sharedPageCache(fs, o.shared ?? fs, { background: o.background ?? ((work) => work), log: o.log ?? (() => undefined) });
  const { cache } = use;
  return { preopen: new RootDir("/", [], "/"), wasi: (host) => rootFsCalls(fs, o, cache, host), release: () => use.release() };
}

type ProgramReturn = number | Promise<number>;
type Args = (number | bigint)[];
/** A path call: its absolute path(s) resolved, its other arguments as given. */
type PathOp = (path: string, args: Args) => ProgramReturn;

/** One program's view: its descriptors, its memory, and how a call reaches the file system. */
interface Calls {
  readonly fs: RootFs;
  readonly host: WasiHost;
  /** The program's open files and created directories, over the shared page cache (`files.cache`). */
  readonly files: WriteBehind;
  /** The absolute path `ptr`/`len` names relative to directory descriptor `fd`, or an errno. */
  at(fd: number, ptr: number, len: number): string | number;
  /** Run `work` with the clock held, once the open files' writes are in the cache and it is written back; a failure becomes its errno. */
  attempt(work: () => Promise<number>): Promise<number>;
  /** 0, or the failed write-back of `path` not reported yet (thrown, for `attempt` to make it an errno). */
  synced(path: string): Promise<number>;
  /** A call that changed the cache (of `path`) is done: 0 in the background, else once written back (the errno of a failure). */
  done(path: string): ProgramReturn;
}

/** How one program's calls reach the file system through `cache` (see {@link Calls}). */
function callsOf(fs: RootFs, o: RootFsWasiOptions, cache: PageCache, host: WasiHost): Calls {
  const decoder = new TextDecoder();
  const files = new WriteBehind(cache);
  const c: Calls = {
    fs,
    host,
    files,
    at(fd, ptr, len) {
      const dir = host.fds[fd];
      if (!(dir instanceof RootDir)) return dir === undefined ? wasi.ERRNO_BADF : wasi.ERRNO_NOTDIR;
      const rel = decoder.decode(new Uint8Array(host.memory().buffer, ptr >>> 0, len >>> 0).slice());
      if (rel.startsWith("/")) return wasi.ERRNO_NOTCAPABLE;
      return rel.includes("\0") ? wasi.ERRNO_INVAL : normalizeGuestPath(`${dir.path}/${rel}`);
    },
    attempt(work) {
      files.publish();
      const flushed = cache.flush();
      return o.hold(flushed.then(work)).catch(errnoOf);
    },
    synced: async (path) => {
      const err = cache.takeError(path);
      if (err !== undefined) throw err;
      return 0;
    },
    done(path) {
      if (o.background === undefined) return c.attempt(() => c.synced(path));
      if (!cache.full) return 0;
      return c.attempt(async () => (cache.shrink(), 0));
    },
  };
  return c;
}

/** The WASI calls over `fs` of one program; descriptors that are not ours go to the shim's own calls. */
function rootFsCalls(fs: RootFs, o: RootFsWasiOptions, cache: PageCache, host: WasiHost): Record<string, ProgramImport> {
  const c = callsOf(fs, o, cache, host);
  const { files } = c;
  const original = host.original as Record<string, (...a: Args) => number>;
  /** Call `op` on the path at argument positions 0 (fd), `p`, `p + 1`; not our descriptor: the shim's call. */
  const onPath = (name: string, p: number, op: PathOp) => (...args: Args): ProgramReturn => {
    const fd = Number(args[0]);
    if (!(host.fds[fd] instanceof RootDir) && host.fds[fd] !== undefined) return original[name]!(...args);
    const path = c.at(fd, Number(args[p]), Number(args[p + 1]));
    return typeof path === "number" ? path : op(path, args);
  };
  // fsync: the file's writes to the cache, everything written back, and a failed write-back of it reported (once)
  const sync = (fd: number): ProgramReturn => {
    const f = host.fds[fd];
    if (!(f instanceof RootFile)) return f === undefined ? wasi.ERRNO_BADF : 0;
    if (f.path === "") return 0;
    files.publish(f.path);
    return c.attempt(() => c.synced(f.path));
  };
  return {
    // (fd, dirflags, path, len, oflags, rights, inheriting, fdflags, *opened)
    path_open: onPath("path_open", 2, (path, a) => pathOpen(c, path, Number(a[4]), Number(a[7]), Number(a[8]))),
    fd_close: (fd: number): ProgramReturn => {
      const f = host.fds[fd];
      if (f instanceof RootFile) {
        host.fds[fd] = undefined;
        return files.closed(f) ? c.done(f.path) : 0;
      }
      if (!(f instanceof RootDir)) return original.fd_close!(fd);
      host.fds[fd] = undefined;
      return 0;
    },
    fd_sync: sync,
    fd_datasync: sync,
    ...pathCalls(c, onPath),
  };
}

/** `path_open`: what the page cache holds, or a new file in a known directory, in memory at once; the rest through the file system; the descriptor goes to `*opened`. */
function pathOpen(c: Calls, path: string, oflags: number, fdflags: number, opened: number): ProgramReturn {
  const give = (fd: Fd): number => {
    c.host.fds.push(fd);
    new DataView(c.host.memory().buffer).setUint32(opened >>> 0, c.host.fds.length - 1, true);
    return 0;
  };
  const CREATE = wasi.OFLAGS_CREAT | wasi.OFLAGS_TRUNC;
  if ((oflags & (CREATE | wasi.OFLAGS_EXCL | wasi.OFLAGS_DIRECTORY)) === CREATE) {
    const file = c.files.create(path);
    if (file !== undefined) return give(file);
  }
  if ((oflags & wasi.OFLAGS_DIRECTORY) === 0) {
    c.files.publish(path);
    const cached = c.files.cache.lookup(path);
    if (cached === null) return oflags & wasi.OFLAGS_CREAT ? give(c.files.opened(new RootFile(path, new Uint8Array(0), true))) : wasi.ERRNO_NOENT;
    if (cached !== undefined) {
      if ((oflags & (wasi.OFLAGS_CREAT | wasi.OFLAGS_EXCL)) === (wasi.OFLAGS_CREAT | wasi.OFLAGS_EXCL)) return wasi.ERRNO_EXIST;
      return give(openedFile(c, path, cached, oflags, fdflags));
    }
  }
  return c.attempt(async () => {
    const fd = await openPath(c, path, oflags, fdflags);
    return typeof fd === "number" ? fd : give(fd);
  });
}

/** A descriptor of file `path` with content `data` (a copy: the program may write to it), truncated and at the end as `oflags` and `fdflags` say. */
function openedFile(c: Calls, path: string, data: Uint8Array, oflags: number, fdflags: number): RootFile {
  const truncate = (oflags & wasi.OFLAGS_TRUNC) !== 0;
  const file = c.files.opened(new RootFile(path, truncate ? new Uint8Array(0) : data.slice(), truncate));
  if (fdflags & wasi.FDFLAGS_APPEND) file.fd_seek(0n, wasi.WHENCE_END);
  return file;
}

/** The path calls other than open: rename, unlink, mkdir, rmdir, stat. */
function pathCalls(c: Calls, onPath: (name: string, p: number, op: PathOp) => (...args: Args) => ProgramReturn): Record<string, ProgramImport> {
  const { fs, files } = c;
  const { cache } = files;
  return {
    // (fd, old, old_len, new_fd, new, new_len)
    path_rename: onPath("path_rename", 1, (from, a) => {
      const to = c.at(Number(a[3]), Number(a[4]), Number(a[5]));
      if (typeof to === "number") return to;
      files.publish(from);
      const cached = cache.lookup(from);
      if (cached === null) return wasi.ERRNO_NOENT;
      if (cached !== undefined && files.canRename(to)) {
        cache.move(from, to);
        files.renamed(from, to);
        return c.done(to);
      }
      return c.attempt(async () => {
        await fs.rename(from, to);
        cache.forget(from);
        cache.forget(to);
        files.forget(from);
        files.renamed(from, to);
        return 0;
      });
    }),
    // a directory refuses rm without recursive (EISDIR)
    path_unlink_file: onPath("path_unlink_file", 1, (path) => {
      const cached = cache.lookup(path);
      if (cached === null) return wasi.ERRNO_NOENT;
      if (cached !== undefined) {
        files.removed(path);
        cache.remove(path);
        return c.done(path);
      }
      return c.attempt(async () => {
        await fs.rm(path);
        cache.forget(path); // an open file of it went to the cache before
        files.removed(path);
        return 0;
      });
    }),
    path_create_directory: onPath("path_create_directory", 1, (path) =>
      c.attempt(async () => {
        try {
          await fs.mkdir(path);
        } catch (e) {
          // a read-only tree (the kernel's /proc) refuses even what exists: EEXIST first, as Linux
          if (e instanceof RootFsError && e.code !== "EEXIST" && (await fs.exists(path))) return wasi.ERRNO_EXIST;
          throw e;
        }
        files.knownDir(path);
        return 0;
      }),
    ),
    path_remove_directory: onPath("path_remove_directory", 1, (path) =>
      c.attempt(async () => {
        if ((await fs.readdir(path)).length > 0) return wasi.ERRNO_NOTEMPTY; // a file: ENOTDIR
        await fs.rm(path, { recursive: true });
        cache.forget(path);
        files.forget(path);
        return 0;
      }),
    ),
    // (fd, flags, path, len, *filestat)
    path_filestat_get: onPath("path_filestat_get", 2, (path, a) =>
      c.attempt(async () => {
        const st = await fs.stat(path);
        const stat = new wasi.Filestat(0n, st.kind === "directory" ? wasi.FILETYPE_DIRECTORY : wasi.FILETYPE_REGULAR_FILE, BigInt(st.size));
        stat.mtim = BigInt(Math.round(st.mtimeMs)) * 1_000_000n;
        stat.write_bytes(new DataView(c.host.memory().buffer), Number(a[4]) >>> 0);
        return 0;
      }),
    ),
  };
}

/**
 * Open `path` as `oflags` say, asking the file system once in the common
 * cases: a directory with its listing, a file with its bytes (none when
 * truncated: the truncation reaches the file system at close).
 */
async function openPath(c: Calls, path: string, oflags: number, fdflags: number): Promise<Fd | number> {
  const { fs, files } = c;
  const create = (oflags & wasi.OFLAGS_CREAT) !== 0;
  const exclusive = create && (oflags & wasi.OFLAGS_EXCL) !== 0;
  const truncate = (oflags & wasi.OFLAGS_TRUNC) !== 0;
  if (oflags & wasi.OFLAGS_DIRECTORY) return new RootDir(path, await fs.readdir(path)); // a file: ENOTDIR
  const made = async (): Promise<RootFile> => {
    // created at open, as POSIX does (a missing parent, a directory, a read-only tree refuse it here)
    await fs.writeFile(path, new Uint8Array(0));
    files.knownDir(parentOf(path));
    return files.opened(new RootFile(path, new Uint8Array(0)));
  };
  if (create && truncate && !exclusive) return made();
  let data: Uint8Array;
  try {
    data = await fs.readFile(path);
  } catch (e) {
    if (!(e instanceof RootFsError)) throw e;
    if (e.code === "EISDIR") return exclusive ? wasi.ERRNO_EXIST : new RootDir(path, await fs.readdir(path));
    if (e.code === "ENOENT" && create) return made();
    throw e;
  }
  if (exclusive) return wasi.ERRNO_EXIST;
  return openedFile(c, path, data, oflags, fdflags);
}
