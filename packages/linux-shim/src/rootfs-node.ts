/**
 * A root filesystem backed by a real directory on the host (Node and Deno).
 * Node-specific: reached through `@v8r/linux-shim/node`.
 *
 * @module
 */
import { promises as fsp, realpathSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { guestPathParts } from "./_guest-path.ts";
import { RootFsErrno, RootFsError, type RootFs, type RootFsErrnoName, type RootFsStat } from "./rootfs.ts";

const encoder = new TextEncoder();
/** How long an operation keeps retrying while no file descriptor is free, ms. */
const DESCRIPTOR_RETRY_MS = 10_000;
const decoder = new TextDecoder();

/**
 * A {@link RootFs} whose `/` is a host directory. Guest paths are mapped
 * under it; `..` cannot leave it and a symbolic link that resolves outside
 * it is refused with `EACCES`. `rename` is the host's `rename(2)`, atomic
 * within one file system. An operation that fails because the process (or
 * the system) is out of file descriptors (`EMFILE`, `ENFILE`) is retried
 * with a growing pause for up to 10 s (`descriptorRetryMs`), each retry counted in
 * {@link NodeRootFs.descriptorRetries}; only then does it fail, with that
 * code: a status file is never skipped silently.
 *
 * @example
 * ```ts
 * const fs = new NodeRootFs("/tmp/v8r-rootfs");
 * await fs.mkdir("/usr/share/nginx/html", { recursive: true });
 * console.log(fs.hostPath("/usr/share/nginx/html")); // /tmp/v8r-rootfs/usr/share/nginx/html
 * ```
 */
export class NodeRootFs implements RootFs {
  /** The host directory that is the guest's `/` (absolute). */
  readonly root: string;
  #rootReal: Promise<string> | undefined;
  readonly #descriptorRetryMs: number;
  #descriptorRetries = 0;

  /** Use `hostDir` (which should exist) as the guest's `/`; `descriptorRetryMs` (default 10 000) bounds the retries when descriptors run out. */
  constructor(hostDir: string, options: { readonly descriptorRetryMs?: number } = {}) {
    if (typeof hostDir !== "string" || hostDir === "") {
      throw new TypeError("[linux-shim] NodeRootFs needs a host directory path");
    }
    const retryMs = options.descriptorRetryMs ?? DESCRIPTOR_RETRY_MS;
    if (!Number.isFinite(retryMs) || retryMs < 0) {
      throw new RangeError(`[linux-shim] NodeRootFs descriptorRetryMs must be a number of ms >= 0, got ${retryMs}`);
    }
    this.root = resolve(hostDir);
    this.#descriptorRetryMs = retryMs;
  }

  /** How many times an operation was retried because no file descriptor was free. */
  get descriptorRetries(): number {
    return this.#descriptorRetries;
  }

  /** The host path a guest path maps to (no checks on the file system). */
  hostPath(guestPath: string): string {
    return join(this.root, ...guestPathParts(guestPath));
  }

  /** Read a whole file. */
  async readFile(path: string): Promise<Uint8Array> {
    const host = await this.#checked(path, "read");
    const buf = await this.#io(path, "read", () => fsp.readFile(host));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Create or truncate a file and write `data`. */
  async writeFile(path: string, data: Uint8Array): Promise<void> {
    if (!(data instanceof Uint8Array)) {
      throw new TypeError(`[linux-shim] writing ${path}: data must be a Uint8Array`);
    }
    const host = await this.#checked(path, "write");
    await this.#io(path, "write", () => fsp.writeFile(host, data));
  }

  /** Read a whole file as UTF-8 text. */
  async readText(path: string): Promise<string> {
    return decoder.decode(await this.readFile(path));
  }

  /** Write `text` as UTF-8. */
  async writeText(path: string, text: string): Promise<void> {
    await this.writeFile(path, encoder.encode(text));
  }

  /** `rename(2)`: atomically replaces a file at `to`. */
  async rename(from: string, to: string): Promise<void> {
    const a = await this.#checked(from, "rename");
    const b = await this.#checked(to, "rename");
    await this.#io(from, "rename", () => fsp.rename(a, b));
  }

  /** Create a directory (and with `recursive` its parents). */
  async mkdir(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    const host = await this.#checked(path, "mkdir");
    await this.#io(path, "mkdir", () => (options.recursive === true ? this.#mkdirEach(path) : fsp.mkdir(host)));
  }

  /** `mkdir -p`, one component at a time: Node's recursive mkdir never returns on some trees (a root under /proc). */
  async #mkdirEach(path: string): Promise<void> {
    const parts = guestPathParts(path);
    let host = this.root;
    for (const [i, part] of parts.entries()) {
      host = join(host, part);
      try {
        await fsp.mkdir(host);
      } catch (err) {
        // a file in the middle fails the next mkdir (ENOTDIR); at the end, it is the EEXIST
        if ((err as NodeJS.ErrnoException).code !== "EEXIST" || (i === parts.length - 1 && !(await fsp.stat(host)).isDirectory())) throw err;
      }
    }
  }

  /** The names in a directory, sorted. */
  async readdir(path: string): Promise<string[]> {
    const host = await this.#checked(path, "readdir");
    const names = await this.#io(path, "readdir", () => fsp.readdir(host));
    return names.sort();
  }

  /** Kind, size and modification time. */
  async stat(path: string): Promise<RootFsStat> {
    const host = await this.#checked(path, "stat");
    const st = await this.#io(path, "stat", () => fsp.stat(host));
    return { kind: st.isDirectory() ? "directory" : "file", size: st.size, mtimeMs: st.mtimeMs };
  }

  /** Whether a path exists (a link that leads outside the root counts as missing). */
  async exists(path: string): Promise<boolean> {
    guestPathParts(path);
    try {
      await fsp.access(await this.#checked(path, "access"));
      return true;
    } catch {
      return false;
    }
  }

  /** Remove a file or, with `recursive`, a directory tree. */
  async rm(path: string, options: { recursive?: boolean; force?: boolean } = {}): Promise<void> {
    if (guestPathParts(path).length === 0) {
      throw new RootFsError("EACCES", path, `[linux-shim] rm ${path}: the root directory cannot be removed`);
    }
    const host = await this.#checked(path, "rm");
    await this.#io(path, "rm", () => fsp.rm(host, { recursive: options.recursive ?? false, force: options.force ?? false }));
  }

  /** Run one host operation, retrying while the process is out of descriptors; failures become RootFsError. */
  async #io<T>(path: string, op: string, run: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#descriptorRetryMs;
    for (let pause = 5; ; pause = Math.min(pause * 2, 250)) {
      try {
        return await run();
      } catch (cause) {
        if (!outOfDescriptors(cause) || Date.now() >= deadline) throw rootFsError(path, op, cause);
        this.#descriptorRetries++;
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /** Map a guest path and refuse it when its existing part resolves outside the root. */
  async #checked(guestPath: string, op: string): Promise<string> {
    const host = this.hostPath(guestPath);
    this.#rootReal ??= fsp.realpath(this.root);
    let rootReal: string;
    try {
      rootReal = await this.#rootReal;
    } catch (cause) {
      this.#rootReal = undefined;
      throw new RootFsError("ENOENT", guestPath, `[linux-shim] ${op} ${guestPath}: the root directory ${this.root} does not exist`, { cause });
    }
    const real = deepestRealpath(host, this.root);
    if (real !== rootReal && !real.startsWith(rootReal + sep)) {
      throw new RootFsError("EACCES", guestPath, `[linux-shim] ${op} ${guestPath}: a symbolic link leads outside the root directory`);
    }
    return host;
  }
}

/**
 * realpath of `host`, or of its deepest existing ancestor (stopping at
 * `stop`). Made synchronously: a few system calls on names already in the
 * kernel's caches, where the thread pool would add a round trip to each
 * operation (the web server checks its files the same way, `_open-in-root.ts`).
 */
function deepestRealpath(host: string, stop: string): string {
  let probe = host;
  for (;;) {
    try {
      return realpathSync.native(probe);
    } catch (e) {
      const parent = dirname(probe);
      if (probe === stop || parent === probe) throw e;
      probe = parent;
    }
  }
}

function outOfDescriptors(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === "EMFILE" || code === "ENFILE";
}

function rootFsError(path: string, op: string, cause: unknown): RootFsError {
  const given = (cause as { code?: unknown }).code;
  const raw = given === "ERR_FS_EISDIR" ? "EISDIR" : given;
  const code: RootFsErrnoName = typeof raw === "string" && raw in RootFsErrno ? (raw as RootFsErrnoName) : "EIO";
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new RootFsError(code, path, `[linux-shim] ${op} ${path}: ${describe(code)} (${detail})`, { cause });
}

function describe(code: RootFsErrnoName): string {
  switch (code) {
    case "ENOENT": return "it does not exist";
    case "EEXIST": return "it already exists";
    case "ENOTDIR": return "a path component is not a directory";
    case "EISDIR": return "it is a directory";
    case "ENOTEMPTY": return "the directory is not empty";
    case "EACCES": return "permission denied";
    case "EINVAL": return "invalid argument";
    case "EMFILE": return "no file descriptor free in this process";
    case "ENFILE": return "no file descriptor free in the system";
    default: return "I/O error";
  }
}
