/**
 * Internal: the descriptors a WASI program holds on the Linux root
 * filesystem (browser_wasi_shim `Fd`s): a directory with its listing as of
 * when it was opened, a file with its bytes in memory until it is written
 * back (see `_wasi-rootfs.ts`), and the errno a failed RootFs call gives.
 */
import { Fd, File, OpenFile, wasi } from "@bjorn3/browser_wasi_shim";
import { RootFsError, type RootFsErrnoName } from "./rootfs.ts";

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

/** The WASI errno for a failed RootFs call (EIO for anything that is not a RootFsError). */
export const errnoOf = (e: unknown): number => (e instanceof RootFsError ? ERRNO[e.code] : wasi.ERRNO_IO);

/** A directory of the root filesystem, with its listing as of when it was opened. */
export class RootDir extends Fd {
  /** Its absolute guest path. */
  readonly path: string;
  readonly #names: readonly string[];
  readonly #prestat: string | undefined;
  /** The directory `path` listing `names`; `prestat` names it when it is a preopen. */
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

/**
 * A file of the root filesystem, its bytes in memory: what the program
 * writes goes to the page cache when the file is closed or synced (or
 * before another call needs it there), in one piece.
 */
export class RootFile extends OpenFile {
  /** Its absolute guest path (the new one after a rename; "" once removed while open). */
  path: string;
  /** Its bytes differ from the page cache's (written since opened, or created in memory only): they go there at close or sync. */
  dirty: boolean;
  /** The file `path` with bytes `data`; `dirty` when those are not on the file system yet. */
  constructor(path: string, data: Uint8Array, dirty = false) {
    super(new File(data));
    this.path = path;
    this.dirty = dirty;
  }
  override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
    this.dirty = true;
    // the first write to an empty file (a page written in one piece): the bytes (the shim's own copy) become the file
    if (this.file_pos === 0n && this.file.data.byteLength === 0 && !this.file.readonly) {
      this.file.data = data;
      this.file_pos = BigInt(data.byteLength);
      return { ret: 0, nwritten: data.byteLength };
    }
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
