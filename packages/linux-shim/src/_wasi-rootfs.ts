/**
 * Internal: the Linux root filesystem as a WASI program sees it, preopened
 * as `/`. Descriptors are browser_wasi_shim `Fd`s over the {@link RootFs}
 * (`_wasi-files.ts`): a directory holds its listing, a file its bytes, read
 * when it is opened; what the program writes stays in memory and goes to
 * the file system in one write when the file is closed or synced (so a
 * reader never sees half a write, and `fopen(path, "w")` of an existing
 * file leaves it whole until then; `rename` replaces atomically, as RootFs
 * does). A new file in a directory the program already created files in
 * costs no call at open (`_wasi-write-behind.ts`). The calls that reach the
 * RootFs return promises: the program suspends in them (built with v8r-cc)
 * while the storage works, and a virtual clock holds still meanwhile; the
 * others (writes, reads, opens in memory, closing an unchanged file) answer
 * at once.
 */
import { type Fd, wasi } from "@bjorn3/browser_wasi_shim";
import type { ProgramImport, WasiHost } from "@v8r/openamp-wasm";
import { normalizeGuestPath } from "./_guest-path.ts";
import { errnoOf, RootDir, RootFile } from "./_wasi-files.ts";
import { parentOf, WriteBehind } from "./_wasi-write-behind.ts";
import { type RootFs, RootFsError } from "./rootfs.ts";

/** What the file calls need besides the file system. */
export interface RootFsWasiOptions {
  /** Mark storage work that takes no simulated time (the domain clock's `hold`). */
  readonly hold: <T>(work: Promise<T>) => Promise<T>;
}

/**
 * The preopened `/` over `fs` and the WASI calls that reach it (for
 * `program.start({ preopens: [preopen], wasi })`).
 */
export function rootFsWasi(fs: RootFs, o: RootFsWasiOptions): { preopen: Fd; wasi: (host: WasiHost) => Record<string, ProgramImport> } {
  return { preopen: new RootDir("/", [], "/"), wasi: (host) => rootFsCalls(fs, o, host) };
}

type ProgramReturn = number | Promise<number>;
type Args = (number | bigint)[];
/** A path call: its absolute path(s) resolved, its other arguments as given. */
type PathOp = (path: string, args: Args) => ProgramReturn;

/** One program's view: its descriptors, its memory, and how a call reaches the file system. */
interface Calls {
  readonly fs: RootFs;
  readonly host: WasiHost;
  readonly cache: WriteBehind;
  /** The absolute path `ptr`/`len` names relative to directory descriptor `fd`, or an errno. */
  at(fd: number, ptr: number, len: number): string | number;
  /** Run `work` (after writing what the paths named need written) with the clock held; a failure becomes its errno. */
  attempt(work: () => Promise<number>, ...paths: string[]): Promise<number>;
  /** Write a changed file back, then forget its descriptor (even when the write fails, as POSIX close does). */
  close(fd: number, file: RootFile): ProgramReturn;
}

/** The WASI calls over `fs` of one program; descriptors that are not ours go to the shim's own calls. */
function rootFsCalls(fs: RootFs, o: RootFsWasiOptions, host: WasiHost): Record<string, ProgramImport> {
  const decoder = new TextDecoder();
  const cache = new WriteBehind(fs);
  const original = host.original as Record<string, (...a: Args) => number>;
  const c: Calls = {
    fs,
    host,
    cache,
    at(fd, ptr, len) {
      const dir = host.fds[fd];
      if (!(dir instanceof RootDir)) return dir === undefined ? wasi.ERRNO_BADF : wasi.ERRNO_NOTDIR;
      const rel = decoder.decode(new Uint8Array(host.memory().buffer, ptr >>> 0, len >>> 0).slice());
      if (rel.startsWith("/")) return wasi.ERRNO_NOTCAPABLE;
      return rel.includes("\0") ? wasi.ERRNO_INVAL : normalizeGuestPath(`${dir.path}/${rel}`);
    },
    attempt(work, ...paths) {
      const before = cache.settle(...paths);
      return o.hold(before === undefined ? work() : before.then(work)).catch(errnoOf);
    },
    close(fd, file) {
      if (!file.dirty) {
        cache.closed(file);
        host.fds[fd] = undefined;
        return 0;
      }
      return c.attempt(() => cache.writeBack(file).then(() => 0)).finally(() => {
        cache.closed(file);
        host.fds[fd] = undefined;
      });
    },
  };
  /** Call `op` on the path at argument positions 0 (fd), `p`, `p + 1`; not our descriptor: the shim's call. */
  const onPath = (name: string, p: number, op: PathOp) => (...args: Args): ProgramReturn => {
    const fd = Number(args[0]);
    if (!(host.fds[fd] instanceof RootDir) && host.fds[fd] !== undefined) return original[name]!(...args);
    const path = c.at(fd, Number(args[p]), Number(args[p + 1]));
    return typeof path === "number" ? path : op(path, args);
  };
  const sync = (fd: number): ProgramReturn => {
    const f = host.fds[fd];
    if (!(f instanceof RootFile)) return f === undefined ? wasi.ERRNO_BADF : 0;
    return f.dirty ? c.attempt(() => cache.writeBack(f).then(() => 0)) : 0;
  };
  return {
    // (fd, dirflags, path, len, oflags, rights, inheriting, fdflags, *opened)
    path_open: onPath("path_open", 2, (path, a) => pathOpen(c, path, Number(a[4]), Number(a[7]), Number(a[8]))),
    fd_close: (fd: number): ProgramReturn => {
      const f = host.fds[fd];
      if (f instanceof RootFile) return c.close(fd, f);
      if (!(f instanceof RootDir)) return original.fd_close!(fd);
      host.fds[fd] = undefined;
      return 0;
    },
    fd_sync: sync,
    fd_datasync: sync,
    ...pathCalls(c, onPath),
  };
}

/** `path_open`: a new file in a known directory in memory at once, the rest through the file system; the descriptor goes to `*opened`. */
function pathOpen(c: Calls, path: string, oflags: number, fdflags: number, opened: number): ProgramReturn {
  const give = (fd: Fd): number => {
    c.host.fds.push(fd);
    new DataView(c.host.memory().buffer).setUint32(opened >>> 0, c.host.fds.length - 1, true);
    return 0;
  };
  const CREATE = wasi.OFLAGS_CREAT | wasi.OFLAGS_TRUNC;
  if ((oflags & (CREATE | wasi.OFLAGS_EXCL | wasi.OFLAGS_DIRECTORY)) === CREATE) {
    const file = c.cache.create(path);
    if (file !== undefined) return give(file);
  }
  return c.attempt(async () => {
    const fd = await openPath(c, path, oflags, fdflags);
    return typeof fd === "number" ? fd : give(fd);
  }, path);
}

/** The path calls other than open: rename, unlink, mkdir, rmdir, stat. */
function pathCalls(c: Calls, onPath: (name: string, p: number, op: PathOp) => (...args: Args) => ProgramReturn): Record<string, ProgramImport> {
  const { fs, cache } = c;
  return {
    // (fd, old, old_len, new_fd, new, new_len)
    path_rename: onPath("path_rename", 1, (from, a) => {
      const to = c.at(Number(a[3]), Number(a[4]), Number(a[5]));
      if (typeof to === "number") return to;
      return c.attempt(async () => {
        await fs.rename(from, to);
        cache.forget(from);
        return 0;
      }, from, to);
    }),
    // a directory refuses rm without recursive (EISDIR)
    path_unlink_file: onPath("path_unlink_file", 1, (path) => c.attempt(() => fs.rm(path).then(() => 0), path)),
    path_create_directory: onPath("path_create_directory", 1, (path) =>
      c.attempt(async () => {
        try {
          await fs.mkdir(path);
        } catch (e) {
          // a read-only tree (the kernel's /proc) refuses even what exists: EEXIST first, as Linux
          if (e instanceof RootFsError && e.code !== "EEXIST" && (await fs.exists(path))) return wasi.ERRNO_EXIST;
          throw e;
        }
        cache.knownDir(path);
        return 0;
      }, path),
    ),
    path_remove_directory: onPath("path_remove_directory", 1, (path) =>
      c.attempt(async () => {
        if ((await fs.readdir(path)).length > 0) return wasi.ERRNO_NOTEMPTY; // a file: ENOTDIR
        await fs.rm(path, { recursive: true });
        cache.forget(path);
        return 0;
      }, path),
    ),
    // (fd, flags, path, len, *filestat)
    path_filestat_get: onPath("path_filestat_get", 2, (path, a) =>
      c.attempt(async () => {
        const st = await fs.stat(path);
        const stat = new wasi.Filestat(0n, st.kind === "directory" ? wasi.FILETYPE_DIRECTORY : wasi.FILETYPE_REGULAR_FILE, BigInt(st.size));
        stat.mtim = BigInt(Math.round(st.mtimeMs)) * 1_000_000n;
        stat.write_bytes(new DataView(c.host.memory().buffer), Number(a[4]) >>> 0);
        return 0;
      }, path),
    ),
  };
}

/**
 * Open `path` as `oflags` say, asking the file system once in the common
 * cases: a directory with its listing, a file with its bytes (none when
 * truncated: the truncation reaches the file system at close).
 */
async function openPath(c: Calls, path: string, oflags: number, fdflags: number): Promise<Fd | number> {
  const { fs, cache } = c;
  const create = (oflags & wasi.OFLAGS_CREAT) !== 0;
  const exclusive = create && (oflags & wasi.OFLAGS_EXCL) !== 0;
  const truncate = (oflags & wasi.OFLAGS_TRUNC) !== 0;
  if (oflags & wasi.OFLAGS_DIRECTORY) return new RootDir(path, await fs.readdir(path)); // a file: ENOTDIR
  const made = async (): Promise<RootFile> => {
    // created at open, as POSIX does (a missing parent, a directory, a read-only tree refuse it here)
    await fs.writeFile(path, new Uint8Array(0));
    cache.knownDir(parentOf(path));
    return new RootFile(path, new Uint8Array(0));
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
  const file = new RootFile(path, truncate ? new Uint8Array(0) : data, truncate);
  if (fdflags & wasi.FDFLAGS_APPEND) file.fd_seek(0n, wasi.WHENCE_END);
  return file;
}
