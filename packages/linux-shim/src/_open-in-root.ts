/**
 * Internal: open a file first, then prove from the open descriptor that it
 * lies inside the served directory, so a symbolic link swapped between a
 * check and the open can never hand out a file from elsewhere.
 *
 * On Linux the kernel names the descriptor's file (`/proc/self/fd/N`),
 * which is the truth at the moment of the check: a link swapped before the
 * open leads to a file whose name is outside, one swapped after it no longer
 * matters because the descriptor is already bound to its inode. Where there
 * is no `/proc`, the file's real path is resolved again and every component
 * below the root is `lstat`ed, and the last one must be the very inode that
 * was opened (device and inode number); this narrows the window to the walk
 * itself but cannot close it without `openat`, which Node does not offer.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, promises as fsp, readlinkSync, realpathSync, type Stats } from "node:fs";
import { join, sep } from "node:path";

/** How descriptors are checked: by the kernel's name for them, or by a walk. */
export type RootCheckMode = "proc" | "walk";

/** The served directory, resolved once. */
export interface RootGuard {
  /** The root's real path (no symbolic links, no trailing separator). */
  readonly rootReal: string;
  /** How opened files are checked. */
  readonly mode: RootCheckMode;
}

/** A file opened and proven to be inside the root. */
export interface OpenedFile {
  readonly handle: fsp.FileHandle;
  readonly stat: Stats;
}

// O_NONBLOCK: a FIFO placed in the root must not hang the open.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
const DELETED = " (deleted)";

function procPath(fd: number): string | undefined {
  try {
    const name = readlinkSync(`/proc/self/fd/${fd}`);
    return name.endsWith(DELETED) ? name.slice(0, -DELETED.length) : name;
  } catch {
    return undefined;
  }
}

/**
 * Resolve `root` and find out whether the kernel names open descriptors
 * (checked on the root itself). `mode` forces a method (tests).
 */
export async function createRootGuard(root: string, mode?: RootCheckMode): Promise<RootGuard> {
  const rootReal = await fsp.realpath(root);
  if (mode !== undefined) return { rootReal, mode };
  const handle = await fsp.open(rootReal, constants.O_RDONLY);
  try {
    return { rootReal, mode: procPath(handle.fd) === rootReal ? "proc" : "walk" };
  } finally {
    await handle.close();
  }
}

/** The part of `real` below the root, as segments; undefined when `real` is not inside it or names a dot file. */
function insideSegments(guard: RootGuard, real: string): string[] | undefined {
  if (real === guard.rootReal) return [];
  const prefix = guard.rootReal === sep ? sep : guard.rootReal + sep;
  if (!real.startsWith(prefix)) return undefined;
  const segments = real.slice(prefix.length).split(sep);
  return segments.some((s) => s === "" || s.startsWith(".")) ? undefined : segments;
}

/** The check by walk: the name's real path below the root, no component a link, ending at the opened inode. */
function walkConfirms(guard: RootGuard, path: string, opened: Stats): boolean {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return false;
  }
  const segments = insideSegments(guard, real);
  if (segments === undefined) return false;
  let probe = guard.rootReal;
  let last: Stats | undefined;
  for (const segment of segments) {
    probe = join(probe, segment);
    last = lstatSync(probe, { throwIfNoEntry: false });
    if (last === undefined || last.isSymbolicLink()) return false;
  }
  const final = last ?? lstatSync(guard.rootReal);
  return final.dev === opened.dev && final.ino === opened.ino;
}

/**
 * Whether the descriptor `fd`, opened by the name `path` and whose `fstat`
 * is `stat`, is inside the root with no dot file on its real path. Its
 * checks are system calls on names already in the kernel's caches (a
 * `readlink` in `/proc`, or `realpath` and `lstat`), made synchronously.
 */
function provenInside(guard: RootGuard, path: string, fd: number, stat: Stats): boolean {
  try {
    return guard.mode === "proc" ? insideSegments(guard, procPath(fd) ?? "") !== undefined : walkConfirms(guard, path, stat);
  } catch {
    return false;
  }
}

/**
 * Open `path` (a file or directory under the root) read-only and return it
 * only when the opened object is inside the root and no component of its
 * real path is a dot file; otherwise close it and return undefined.
 */
export async function openInRoot(guard: RootGuard, path: string): Promise<OpenedFile | undefined> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, OPEN_FLAGS);
  } catch {
    return undefined;
  }
  try {
    const stat = await handle.stat();
    if (provenInside(guard, path, handle.fd, stat)) return { handle, stat };
  } catch {
    // treated as not found below
  }
  await handle.close().catch(() => undefined);
  return undefined;
}

/** A file opened synchronously and proven inside the root: its descriptor (the caller closes it) and its `fstat`. */
export interface OpenedFd {
  readonly fd: number;
  readonly stat: Stats;
}

/** {@link openInRoot} done synchronously, for a server that answers from its thread: a few system calls on a local name. */
export function openInRootSync(guard: RootGuard, path: string): OpenedFd | undefined {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (provenInside(guard, path, fd, stat)) return { fd, stat };
  } catch {
    // treated as not found below
  }
  closeSync(fd);
  return undefined;
}
