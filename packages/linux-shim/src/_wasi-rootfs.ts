/**
 * Internal: the Linux root filesystem as a WASI program sees it, preopened
 * as `/`. Descriptors are browser_wasi_shim `Fd`s over the {@link RootFs}: a
 * directory holds its listing, a file its bytes, read when it is opened and
 * written back when it is closed or synced (so a reader never sees half a
 * write; `rename` replaces atomically, as RootFs does). The calls that reach
 * the RootFs (open, close, sync, rename, unlink, mkdir, rmdir, stat) return
 * promises: the program suspends in them (built with v8r-cc) while the
 * storage works, and a virtual clock holds still meanwhile.
 */
import { Fd, File, OpenFile, wasi } from "@bjorn3/browser_wasi_shim";
import type { ProgramImport, WasiHost } from "@v8r/openamp-wasm";
import { type RootFs, RootFsError, type RootFsErrnoName } from "./rootfs.ts";

/** Linux errno names as WASI numbers. */
const ERRNO: Readonly<Record<RootFsErrnoName, number>> = {
  ENOENT: wasi.ERRNO_NOENT,
  EEXIST: wasi.ERRNO_EXIST,
  ENOTDIR: wasi.ERRNO_NOTDIR,
  EISDIR: wasi.ERRNO_ISDIR,
  ENOTEMPTY: wasi.ERRNO_NOTEMPTY,
  EINVAL: wasi.ERRNO_INVAL,
  EACCES: wasi.ERRNO_ACCES,
  EIO: wasi.ERRNO_IO,
  EMFILE: wasi.ERRNO_MFILE,
  ENFILE: wasi.ERRNO_NFILE,
};

/** A directory of the root filesystem, with its listing as of when it was opened. */
class RootDir extends Fd {
  /** Its absolute guest path. */
  readonly path: string;
  readonly #names: readonly string[];
  readonly #prestat: string | undefined;
  constructor(path: string, names: readonly string[], prestat?: string) {
    super();
    this.path = path;
    this.#names = names;
    this.#prestat = prestat;
  }
  override fd_prestat_get(): { ret: number; prestat: wasi.Prestat | null } {
    return this.#prestat === undefined ? { ret: wasi.ERRNO_BADF, prestat: null } : { ret: 0, prestat: wasi.Prestat.dir(this.#prestat) };
  }
  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat | null } {
    return { ret: 0, fdstat: new wasi.Fdstat(wasi.FILETYPE_DIRECTORY, 0) };
  }
  override fd_filestat_get(): { ret: number; filestat: wasi.Filestat | null } {
    return { ret: 0, filestat: new wasi.Filestat(0n, wasi.FILETYPE_DIRECTORY, 0n) };
  }
  override fd_readdir_single(cookie: bigint): { ret: number; dirent: wasi.Dirent | null } {
    const all = [".", "..", ...this.#names];
    const i = Number(cookie);
    if (i >= all.length) return { ret: 0, dirent: null };
    return { ret: 0, dirent: new wasi.Dirent(cookie + 1n, 0n, all[i]!, i < 2 ? wasi.FILETYPE_DIRECTORY : wasi.FILETYPE_UNKNOWN) };
  }
}

/** A file of the root filesystem, its bytes in memory until it is closed or synced. */
class RootFile extends OpenFile {
  /** Its absolute guest path. */
  readonly path: string;
  /** Written since it was opened: it goes back to the file system at close or sync. */
  dirty: boolean;
  constructor(path: string, data: Uint8Array) {
    super(new File(data));
    this.path = path;
    this.dirty = false;
  }
  override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
    this.dirty = true;
    return super.fd_write(data);
  }
  override fd_pwrite(data: Uint8Array, offset: bigint): { ret: number; nwritten: number } {
    this.dirty = true;
    return super.fd_pwrite(data, offset);
  }
  override fd_filestat_set_size(size: bigint): number {
    this.dirty = true;
    return super.fd_filestat_set_size(size);
  }
  override fd_allocate(offset: bigint, len: bigint): number {
    this.dirty = true;
    return super.fd_allocate(offset, len);
  }
}

/** What the file calls need besides the file system. */
export interface RootFsWasiOptions {
  /** Mark storage work that takes no simulated time (the domain clock's `hold`). */
  readonly hold: <T>(work: Promise<T>) => Promise<T>;
}

/** `/` relative path `rel` of directory `dir`, with `.` and `..` resolved (`..` stops at `/`, as in Linux). */
function join(dir: string, rel: string): string {
  const parts = dir.split("/").filter(Boolean);
  for (const part of rel.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

const errno = (e: unknown): number => (e instanceof RootFsError ? ERRNO[e.code] : wasi.ERRNO_IO);

/**
 * The preopened `/` over `fs` and the WASI calls that reach it (for
 * `program.start({ preopens: [preopen], wasi })`).
 */
export function rootFsWasi(fs: RootFs, o: RootFsWasiOptions): { preopen: Fd; wasi: (host: WasiHost) => Record<string, ProgramImport> } {
  return { preopen: new RootDir("/", [], "/"), wasi: (host) => rootFsCalls(fs, o, host) };
}

type ProgramReturn = number | Promise<number>;
type Args = (number | bigint)[];

/** The WASI calls over `fs` of one program; descriptors that are not ours go to the shim's own calls. */
function rootFsCalls(fs: RootFs, o: RootFsWasiOptions, host: WasiHost): Record<string, ProgramImport> {
  const decoder = new TextDecoder();
  const text = (ptr: number, len: number): string => decoder.decode(new Uint8Array(host.memory().buffer, ptr >>> 0, len >>> 0).slice());
  const dirOf = (fd: number): RootDir | undefined => {
    const f = host.fds[fd];
    return f instanceof RootDir ? f : undefined;
  };
  /** The absolute path `ptr`/`len` names relative to directory `fd`, or an errno. */
  const at = (fd: number, ptr: number, len: number): string | number => {
    const dir = dirOf(fd);
    if (dir === undefined) return host.fds[fd] === undefined ? wasi.ERRNO_BADF : wasi.ERRNO_NOTDIR;
    const rel = text(ptr, len);
    return rel.startsWith("/") ? wasi.ERRNO_NOTCAPABLE : join(dir.path, rel);
  };
  const attempt = (work: () => Promise<number>): Promise<number> => o.hold(work()).catch(errno);
  const original = host.original as Record<string, (...a: Args) => number>;
  /** Call `name` on the path at argument positions 0 (fd), `p`, `p + 1`; not our descriptor: the shim's call. */
  const onPath = (name: string, p: number, op: (path: string, args: Args) => Promise<number>) => (...args: Args): ProgramReturn => {
    const fd = Number(args[0]);
    if (dirOf(fd) === undefined && host.fds[fd] !== undefined) return original[name]!(...args);
    const path = at(fd, Number(args[p]), Number(args[p + 1]));
    return typeof path === "number" ? path : attempt(() => op(path, args));
  };
  const sync = (fd: number): ProgramReturn => {
    const f = host.fds[fd];
    if (!(f instanceof RootFile)) return f === undefined ? wasi.ERRNO_BADF : 0;
    return attempt(async () => {
      if (f.dirty) await fs.writeFile(f.path, f.file.data);
      f.dirty = false;
      return 0;
    });
  };
  return {
    // (fd, dirflags, path, len, oflags, rights, inheriting, fdflags, *opened)
    path_open: onPath("path_open", 2, async (path, a) => {
      const opened = await openPath(fs, path, Number(a[4]), Number(a[7]));
      if (typeof opened === "number") return opened;
      host.fds.push(opened);
      new DataView(host.memory().buffer).setUint32(Number(a[8]) >>> 0, host.fds.length - 1, true);
      return 0;
    }),
    fd_close: (fd: number): ProgramReturn => {
      const f = host.fds[fd];
      if (!(f instanceof RootFile || f instanceof RootDir)) return original.fd_close!(fd);
      return attempt(async () => {
        if (f instanceof RootFile && f.dirty) await fs.writeFile(f.path, f.file.data);
        host.fds[fd] = undefined;
        return 0;
      });
    },
    fd_sync: sync,
    fd_datasync: sync,
    // (fd, old, old_len, new_fd, new, new_len)
    path_rename: onPath("path_rename", 1, async (from, a) => {
      const to = at(Number(a[3]), Number(a[4]), Number(a[5]));
      if (typeof to === "number") return to;
      await fs.rename(from, to);
      return 0;
    }),
    path_unlink_file: onPath("path_unlink_file", 1, async (path) => {
      if ((await fs.stat(path)).kind === "directory") return wasi.ERRNO_ISDIR;
      await fs.rm(path);
      return 0;
    }),
    path_create_directory: onPath("path_create_directory", 1, async (path) => {
      if (await fs.exists(path)) return wasi.ERRNO_EXIST;
      await fs.mkdir(path);
      return 0;
    }),
    path_remove_directory: onPath("path_remove_directory", 1, async (path) => {
      if ((await fs.stat(path)).kind !== "directory") return wasi.ERRNO_NOTDIR;
      if ((await fs.readdir(path)).length > 0) return wasi.ERRNO_NOTEMPTY;
      await fs.rm(path, { recursive: true });
      return 0;
    }),
    // (fd, flags, path, len, *filestat)
    path_filestat_get: onPath("path_filestat_get", 2, async (path, a) => {
      const st = await fs.stat(path);
      const stat = new wasi.Filestat(0n, st.kind === "directory" ? wasi.FILETYPE_DIRECTORY : wasi.FILETYPE_REGULAR_FILE, BigInt(st.size));
      stat.mtim = BigInt(Math.round(st.mtimeMs)) * 1_000_000n;
      stat.write_bytes(new DataView(host.memory().buffer), Number(a[4]) >>> 0);
      return 0;
    }),
  };
}


/** Open `path` as `oflags` say: a directory with its listing, a file with its bytes (none when truncated). */
async function openPath(fs: RootFs, path: string, oflags: number, fdflags: number): Promise<Fd | number> {
  if ((oflags & (wasi.OFLAGS_CREAT | wasi.OFLAGS_TRUNC | wasi.OFLAGS_EXCL | wasi.OFLAGS_DIRECTORY)) === (wasi.OFLAGS_CREAT | wasi.OFLAGS_TRUNC)) {
    // fopen(path, "w"): created or truncated by one write (a missing parent, a directory or a read-only tree refuse it)
    await fs.writeFile(path, new Uint8Array(0));
    return new RootFile(path, new Uint8Array(0));
  }
  const exists = await fs.exists(path);
  if (!exists) {
    if (!(oflags & wasi.OFLAGS_CREAT) || oflags & wasi.OFLAGS_DIRECTORY) return wasi.ERRNO_NOENT;
    const parent = path.slice(0, path.lastIndexOf("/")) || "/";
    if ((await fs.stat(parent)).kind !== "directory") return wasi.ERRNO_NOTDIR; // a missing parent: stat fails with ENOENT
    await fs.writeFile(path, new Uint8Array(0)); // created at open, as POSIX does (a read-only tree refuses it here)
    return new RootFile(path, new Uint8Array(0));
  }
  if (oflags & wasi.OFLAGS_CREAT && oflags & wasi.OFLAGS_EXCL) return wasi.ERRNO_EXIST;
  const st = await fs.stat(path);
  if (st.kind === "directory") return new RootDir(path, await fs.readdir(path));
  if (oflags & wasi.OFLAGS_DIRECTORY) return wasi.ERRNO_NOTDIR;
  const truncate = (oflags & wasi.OFLAGS_TRUNC) !== 0;
  if (truncate) await fs.writeFile(path, new Uint8Array(0));
  const file = new RootFile(path, truncate ? new Uint8Array(0) : await fs.readFile(path));
  if (fdflags & wasi.FDFLAGS_APPEND) file.fd_seek(0n, wasi.WHENCE_END);
  return file;
}
