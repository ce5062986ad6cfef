/**
 * Atomic publishing of the status files: write a temporary file in the
 * same directory, then rename it over the target, so a reader (nginx, a
 * browser) sees the old file or the new one, never a partial or missing one.
 *
 * @module
 */
import { guestPathParts, normalizeGuestPath } from "./_guest-path.ts";
import type { RootFs } from "./rootfs.ts";
import type { StatusHistory } from "./status-history.ts";
import { renderStatusJson, renderStatusPage } from "./status-page.ts";

/** Where the demo publishes its status files (Nginx's default document root). */
export const DEFAULT_STATUS_DIR = "/usr/share/nginx/html";

const encoder = new TextEncoder();

function randomSuffix(): string {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Replace `path` atomically: write `<dir>/.<name>.<random>.tmp`, then rename
 * it over `path`. The temporary file is removed when the write or rename fails.
 *
 * @example
 * ```ts
 * await writeFileAtomic(fs, "/usr/share/nginx/html/zephyr-status.json", '{"v":1}');
 * ```
 */
export async function writeFileAtomic(fs: RootFs, path: string, data: Uint8Array | string): Promise<void> {
  const parts = guestPathParts(path);
  const name = parts.pop() ?? "";
  if (name === "") throw new TypeError(`[linux-shim] writeFileAtomic needs a file path, got "${path}"`);
  const dir = `/${parts.join("/")}`;
  const target = `${dir === "/" ? "" : dir}/${name}`;
  const temp = `${dir === "/" ? "" : dir}/.${name}.${randomSuffix()}.tmp`;
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  try {
    await fs.writeFile(temp, bytes);
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Options of {@link StatusPublisher}. */
export interface StatusPublisherOptions {
  /** Directory of the files; default `/usr/share/nginx/html`. */
  readonly dir?: string;
  /** Page file name; default `zephyr-status.html`. */
  readonly htmlName?: string;
  /** JSON file name; default `zephyr-status.json`. */
  readonly jsonName?: string;
  /** Linux clock (ms) for the page's "last update" age; default `Date.now`. */
  readonly now?: () => number;
  /** Page reload interval in seconds; default 1. */
  readonly refreshSeconds?: number;
}

/**
 * Writes `zephyr-status.html` and `zephyr-status.json` from a history, each
 * replaced atomically. Calls are serialised: a publish starts after the
 * previous one finished, so the newest state is always the one left on disk.
 *
 * @example
 * ```ts
 * const publisher = new StatusPublisher(new MemoryRootFs());
 * await publisher.publish(history);
 * ```
 */
export class StatusPublisher {
  /** Guest path of the HTML page. */
  readonly htmlPath: string;
  /** Guest path of the JSON document. */
  readonly jsonPath: string;
  readonly #fs: RootFs;
  readonly #dir: string;
  readonly #now: () => number;
  readonly #refreshSeconds: number;
  #queue: Promise<void> = Promise.resolve();
  #dirReady = false;
  #published = 0;

  /** Publish into `options.dir` of `fs`. */
  constructor(fs: RootFs, options: StatusPublisherOptions = {}) {
    this.#fs = fs;
    this.#dir = normalizeGuestPath(options.dir ?? DEFAULT_STATUS_DIR, "dir");
    const base = this.#dir === "/" ? "" : this.#dir;
    this.htmlPath = `${base}/${fileName(options.htmlName ?? "zephyr-status.html")}`;
    this.jsonPath = `${base}/${fileName(options.jsonName ?? "zephyr-status.json")}`;
    this.#now = options.now ?? Date.now;
    this.#refreshSeconds = options.refreshSeconds ?? 1;
  }

  /** Files written so far (pairs count once). */
  get published(): number {
    return this.#published;
  }

  /**
   * Render both files from `history` and replace them atomically. Publishes
   * to the same host files from any publisher of this thread (a restarted
   * Linux and its previous instance) run in the order they were asked for.
   */
  publish(history: StatusHistory): Promise<void> {
    const key = sharedKey(this.#fs, this.htmlPath);
    const before = key === undefined ? this.#queue : (chains.get(key) ?? this.#queue);
    const run = before.then(() => this.#write(history));
    const tail = run.catch(() => undefined);
    this.#queue = tail;
    if (key !== undefined) {
      chains.set(key, tail);
      void tail.then(() => {
        if (chains.get(key) === tail) chains.delete(key);
      });
    }
    return run;
  }

  async #write(history: StatusHistory): Promise<void> {
    if (!this.#dirReady) {
      await this.#fs.mkdir(this.#dir, { recursive: true });
      this.#dirReady = true;
    }
    const html = renderStatusPage(history, { now: this.#now(), refreshSeconds: this.#refreshSeconds });
    await writeFileAtomic(this.#fs, this.htmlPath, html);
    await writeFileAtomic(this.#fs, this.jsonPath, renderStatusJson(history));
    this.#published++;
  }
}

/** The pending publish to each host file, shared by every publisher of this thread. */
const chains = new Map<string, Promise<void>>();

/** The host path `path` of `fs` maps to, when `fs` is backed by host files (NodeRootFs), else undefined. */
function sharedKey(fs: RootFs, path: string): string | undefined {
  const hostPath = (fs as { hostPath?: unknown }).hostPath;
  return typeof hostPath === "function" ? String((hostPath as (p: string) => unknown).call(fs, path)) : undefined;
}

function fileName(name: string): string {
  if (typeof name !== "string" || name === "" || name.includes("/") || name === "." || name === "..") {
    throw new TypeError(`[linux-shim] status file name must be a plain file name, got ${JSON.stringify(name)}`);
  }
  return name;
}
