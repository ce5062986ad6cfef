/**
 * Internal: the file tree a Linux process sees: the root filesystem, with
 * the kernel's read-only trees mounted over `/dev`, `/sys` and `/proc`
 * (device nodes, sysfs attributes, the device tree, the command line).
 * Reads of those come from the kernel; writes to them fail with EACCES.
 */
import { normalizeGuestPath } from "./_guest-path.ts";
import { RootFsError, type RootFs, type RootFsStat } from "./rootfs.ts";

/** Where the kernel's trees are mounted. */
const MOUNTS = ["/dev", "/sys", "/proc"];

/** A kernel file: its bytes, a function that makes them when the file is read (like /proc/interrupts), or a character device (opened with `linux.open`). */
export type KernelFile = Uint8Array | (() => Uint8Array) | "chardev";

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/** {@link RootFs} of the whole tree: `files` (absolute paths) over the mount points, `base` elsewhere. */
export class SystemFs implements RootFs {
  readonly #base: RootFs;
  readonly #files: ReadonlyMap<string, KernelFile>;
  readonly #dirs = new Map<string, Set<string>>();
  readonly #mtimeMs: number;

  /** The tree of `base` with `files` mounted; `mtimeMs` is the kernel files' modification time (boot). */
  constructor(base: RootFs, files: ReadonlyMap<string, KernelFile>, mtimeMs: number) {
    this.#base = base;
    this.#files = files;
    this.#mtimeMs = mtimeMs;
    for (const mount of MOUNTS) this.#dirs.set(mount, new Set());
    for (const path of files.keys()) {
      const parts = path.split("/").slice(1);
      for (let i = 1; i < parts.length; i++) {
        const dir = `/${parts.slice(0, i).join("/")}`;
        let names = this.#dirs.get(dir);
        if (names === undefined) this.#dirs.set(dir, (names = new Set()));
        names.add(parts[i] as string);
      }
    }
  }

  async readFile(path: string): Promise<Uint8Array> {
    const p = normalizeGuestPath(path);
    if (!this.#kernel(p)) return this.#base.readFile(p);
    const file = this.#files.get(p);
    if (file === "chardev") throw new RootFsError("EINVAL", p, `[linux-shim] reading ${p}: it is a character device (open it with linux.open)`);
    if (typeof file === "function") return file();
    if (file !== undefined) return file.slice();
    throw this.#dirs.has(p) ? new RootFsError("EISDIR", p, `[linux-shim] reading ${p}: it is a directory`) : this.#missing("reading", p);
  }

  async readText(path: string): Promise<string> {
    return new TextDecoder().decode(await this.readFile(path));
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    return this.#kernel(normalizeGuestPath(path)) ? this.#readOnly("writing", path) : this.#base.writeFile(path, data);
  }

  async writeText(path: string, text: string): Promise<void> {
    return this.#kernel(normalizeGuestPath(path)) ? this.#readOnly("writing", path) : this.#base.writeText(path, text);
  }

  async rename(from: string, to: string): Promise<void> {
    if (this.#kernel(normalizeGuestPath(from))) return this.#readOnly("renaming", from);
    if (this.#kernel(normalizeGuestPath(to))) return this.#readOnly("renaming onto", to);
    return this.#base.rename(from, to);
  }

  async mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    return this.#kernel(normalizeGuestPath(path)) ? this.#readOnly("creating", path) : this.#base.mkdir(path, options);
  }

  async rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void> {
    return this.#kernel(normalizeGuestPath(path)) ? this.#readOnly("removing", path) : this.#base.rm(path, options);
  }

  async readdir(path: string): Promise<string[]> {
    const p = normalizeGuestPath(path);
    if (p === "/") {
      const names = new Set(await this.#base.readdir("/"));
      for (const mount of MOUNTS) names.add(mount.slice(1));
      return [...names].sort();
    }
    if (!this.#kernel(p)) return this.#base.readdir(p);
    const names = this.#dirs.get(p);
    if (names !== undefined) return [...names].sort();
    throw this.#files.has(p) ? new RootFsError("ENOTDIR", p, `[linux-shim] listing ${p}: it is not a directory`) : this.#missing("listing", p);
  }

  async stat(path: string): Promise<RootFsStat> {
    const p = normalizeGuestPath(path);
    if (!this.#kernel(p)) return this.#base.stat(p);
    if (this.#dirs.has(p)) return { kind: "directory", size: 0, mtimeMs: this.#mtimeMs };
    const file = this.#files.get(p);
    if (file === undefined) throw this.#missing("stat of", p);
    return { kind: "file", size: file instanceof Uint8Array ? file.length : 0, mtimeMs: this.#mtimeMs };
  }

  async exists(path: string): Promise<boolean> {
    const p = normalizeGuestPath(path);
    return this.#kernel(p) ? this.#dirs.has(p) || this.#files.has(p) : this.#base.exists(p);
  }

  #kernel(path: string): boolean {
    return MOUNTS.some((m) => under(path, m));
  }

  #missing(what: string, path: string): RootFsError {
    return new RootFsError("ENOENT", path, `[linux-shim] ${what} ${path}: no such file or directory`);
  }

  #readOnly(what: string, path: string): never {
    throw new RootFsError("EACCES", path, `[linux-shim] ${what} ${path}: the kernel's ${MOUNTS.find((m) => under(normalizeGuestPath(path), m)) ?? ""} tree is read-only`);
  }
}
