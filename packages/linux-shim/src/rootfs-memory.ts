/**
 * An in-memory root filesystem for hosts with no file system (browsers),
 * and for fast deterministic tests.
 *
 * @module
 */
import { guestPathParts, normalizeGuestPath } from "./_guest-path.ts";
import { RootFsError, type RootFs, type RootFsStat } from "./rootfs.ts";

interface FileNode {
  readonly kind: "file";
  data: Uint8Array;
  mtimeMs: number;
}

interface DirNode {
  readonly kind: "directory";
  readonly entries: Map<string, Node>;
  mtimeMs: number;
}

type Node = FileNode | DirNode;

/** Options of {@link MemoryRootFs}. */
export interface MemoryRootFsOptions {
  /** Clock for modification times, ms; defaults to `Date.now`. */
  readonly now?: () => number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A {@link RootFs} kept in memory. Every operation completes in one step,
 * so `rename` is trivially atomic. File contents are copied in and out, so
 * callers never share buffers with the tree.
 *
 * @example
 * ```ts
 * const fs = new MemoryRootFs();
 * await fs.mkdir("/usr/share/nginx/html", { recursive: true });
 * await fs.writeText("/usr/share/nginx/html/index.html", "<h1>hi</h1>");
 * console.log(await fs.readText("/usr/share/nginx/html/index.html"));
 * ```
 */
export class MemoryRootFs implements RootFs {
  readonly #root: DirNode;
  readonly #now: () => number;

  /** Create an empty tree holding only `/`. */
  constructor(options: MemoryRootFsOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#root = { kind: "directory", entries: new Map(), mtimeMs: this.#now() };
  }

  /** Read a whole file (a copy). */
  async readFile(path: string): Promise<Uint8Array> {
    const node = this.#lookup(path, "read");
    if (node.kind !== "file") throw error("EISDIR", path, "read", "it is a directory");
    return node.data.slice();
  }

  /** Create or truncate a file with a copy of `data`. */
  async writeFile(path: string, data: Uint8Array): Promise<void> {
    if (!(data instanceof Uint8Array)) {
      throw new TypeError(`[linux-shim] writing ${path}: data must be a Uint8Array`);
    }
    const { parent, name } = this.#parentOf(path, "write");
    const existing = parent.entries.get(name);
    if (existing?.kind === "directory") throw error("EISDIR", path, "write", "it is a directory");
    const now = this.#now();
    parent.entries.set(name, { kind: "file", data: data.slice(), mtimeMs: now });
    if (!existing) parent.mtimeMs = now;
  }

  /** Read a whole file as UTF-8 text. */
  async readText(path: string): Promise<string> {
    return decoder.decode(await this.readFile(path));
  }

  /** Write `text` as UTF-8. */
  async writeText(path: string, text: string): Promise<void> {
    await this.writeFile(path, encoder.encode(text));
  }

  /** Move a file or directory; an existing file at `to` is replaced in the same step. */
  async rename(from: string, to: string): Promise<void> {
    const src = this.#parentOf(from, "rename");
    const node = src.parent.entries.get(src.name);
    if (!node) throw error("ENOENT", from, "rename", "it does not exist");
    const dst = this.#parentOf(to, "rename");
    const target = dst.parent.entries.get(dst.name);
    if (target === node) return;
    if (target?.kind === "directory") {
      if (node.kind === "file") throw error("EISDIR", to, "rename onto", "it is a directory");
      if (target.entries.size > 0) throw error("ENOTEMPTY", to, "rename onto", "the directory is not empty");
    } else if (target && node.kind === "directory") {
      throw error("ENOTDIR", to, "rename a directory onto", "it is a file");
    }
    if (node.kind === "directory" && this.#contains(node, dst.parent)) {
      throw error("EINVAL", to, "rename", `it is inside ${normalizeGuestPath(from)}`);
    }
    const now = this.#now();
    src.parent.entries.delete(src.name);
    dst.parent.entries.set(dst.name, node);
    src.parent.mtimeMs = now;
    dst.parent.mtimeMs = now;
  }

  /** Create a directory (and with `recursive` its parents). */
  async mkdir(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    const parts = guestPathParts(path);
    let dir = this.#root;
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i] as string;
      const child = dir.entries.get(name);
      const last = i === parts.length - 1;
      if (child?.kind === "file") throw error("ENOTDIR", path, "mkdir", `${name} is a file`);
      if (child) {
        if (last && !options.recursive) throw error("EEXIST", path, "mkdir", "it already exists");
        dir = child;
        continue;
      }
      if (!last && !options.recursive) throw error("ENOENT", path, "mkdir", `the parent ${name} does not exist`);
      const created: DirNode = { kind: "directory", entries: new Map(), mtimeMs: this.#now() };
      dir.entries.set(name, created);
      dir.mtimeMs = created.mtimeMs;
      dir = created;
    }
    if (parts.length === 0 && !options.recursive) throw error("EEXIST", path, "mkdir", "it already exists");
  }

  /** The names in a directory, sorted. */
  async readdir(path: string): Promise<string[]> {
    const node = this.#lookup(path, "readdir");
    if (node.kind !== "directory") throw error("ENOTDIR", path, "readdir", "it is a file");
    return [...node.entries.keys()].sort();
  }

  /** Kind, size and modification time. */
  async stat(path: string): Promise<RootFsStat> {
    const node = this.#lookup(path, "stat");
    const size = node.kind === "file" ? node.data.byteLength : 0;
    return { kind: node.kind, size, mtimeMs: node.mtimeMs };
  }

  /** Whether a path exists. */
  async exists(path: string): Promise<boolean> {
    return this.#find(guestPathParts(path)) !== undefined;
  }

  /** Remove a file or, with `recursive`, a directory tree. */
  async rm(path: string, options: { recursive?: boolean; force?: boolean } = {}): Promise<void> {
    const parts = guestPathParts(path);
    if (parts.length === 0) throw error("EACCES", path, "rm", "the root directory cannot be removed");
    const parent = this.#find(parts.slice(0, -1));
    const name = parts[parts.length - 1] as string;
    const node = parent?.kind === "directory" ? parent.entries.get(name) : undefined;
    if (!parent || parent.kind !== "directory" || !node) {
      if (options.force) return;
      throw error("ENOENT", path, "rm", "it does not exist");
    }
    if (node.kind === "directory" && !options.recursive) {
      throw error("EISDIR", path, "rm", "it is a directory (pass recursive)");
    }
    parent.entries.delete(name);
    parent.mtimeMs = this.#now();
  }

  #find(parts: readonly string[]): Node | undefined {
    let node: Node = this.#root;
    for (const name of parts) {
      if (node.kind !== "directory") return undefined;
      const child: Node | undefined = node.entries.get(name);
      if (!child) return undefined;
      node = child;
    }
    return node;
  }

  #lookup(path: string, op: string): Node {
    const parts = guestPathParts(path);
    let node: Node = this.#root;
    for (const name of parts) {
      if (node.kind !== "directory") throw error("ENOTDIR", path, op, "a parent is a file");
      const child: Node | undefined = node.entries.get(name);
      if (!child) throw error("ENOENT", path, op, "it does not exist");
      node = child;
    }
    return node;
  }

  #parentOf(path: string, op: string): { parent: DirNode; name: string } {
    const parts = guestPathParts(path);
    const name = parts.pop();
    if (name === undefined) throw error("EISDIR", path, op, "it is the root directory");
    const parent = this.#lookup("/" + parts.join("/"), op);
    if (parent.kind !== "directory") throw error("ENOTDIR", path, op, "its parent is a file");
    return { parent, name };
  }

  #contains(dir: DirNode, candidate: DirNode): boolean {
    if (dir === candidate) return true;
    for (const child of dir.entries.values()) {
      if (child.kind === "directory" && this.#contains(child, candidate)) return true;
    }
    return false;
  }
}

function error(code: RootFsError["code"], path: string, op: string, why: string): RootFsError {
  return new RootFsError(code, path, `[linux-shim] ${op} ${path}: ${why}`);
}
