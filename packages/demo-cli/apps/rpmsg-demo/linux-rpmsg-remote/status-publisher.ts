/**
 * Publishing of the status files `zephyr-status.html` and
 * `zephyr-status.json` (and of the counters kept across a Linux restart),
 * each replaced atomically (`writeFileAtomic` of the
 * Linux guest: a reader such as nginx or a browser sees the old file or
 * the new one, never a partial or missing one).
 *
 * @module
 */
import { type RootFs, WEB_ROOT, writeFileAtomic } from "@v8r/linux-shim";
import type { HistoryStore } from "./_history-store.ts";
import type { StatusHistory } from "./status-history.ts";
import { renderStatusJson, renderStatusPage } from "./status-page.ts";

/** Where the status files go: the web server's document root of the Linux guest. */
export const DEFAULT_STATUS_DIR = WEB_ROOT;

/** `dir` without trailing slashes; a TypeError when it is not an absolute guest path. */
function directory(dir: string): string {
  if (typeof dir !== "string" || !dir.startsWith("/") || dir.includes("\0") || /(^|\/)\.\.?(\/|$)/.test(dir)) {
    throw new TypeError(`[rpmsg-demo] the status directory must be an absolute guest path without . or .., got ${JSON.stringify(dir)}`);
  }
  return dir.replace(/\/+$/, "") || "/";
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
  /** Where the history's counters are saved after each publish, to survive a Linux restart; default none. */
  readonly store?: HistoryStore;
}

/**
 * Writes `zephyr-status.html` and `zephyr-status.json` from a history, each
 * replaced atomically. Calls are serialised: a publish starts after the
 * previous one finished, so the newest state is always the one left on disk.
 * A publish renders the history when its turn comes, so a publish of the
 * same history asked for while another one still waits for its turn joins
 * it (a burst costs two writes); its place in the order is the first ask's.
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
  readonly #store: HistoryStore | undefined;
  #queue: Promise<void> = Promise.resolve();
  /** The publish asked for and not started yet, which a publish of the same history joins. */
  #waiting: { readonly history: StatusHistory; readonly run: Promise<void> } | undefined;
  #dirReady = false;
  #published = 0;

  /** Publish into `options.dir` of `fs`. */
  constructor(fs: RootFs, options: StatusPublisherOptions = {}) {
    this.#fs = fs;
    this.#dir = directory(options.dir ?? DEFAULT_STATUS_DIR);
    const base = this.#dir === "/" ? "" : this.#dir;
    this.htmlPath = `${base}/${fileName(options.htmlName ?? "zephyr-status.html")}`;
    this.jsonPath = `${base}/${fileName(options.jsonName ?? "zephyr-status.json")}`;
    this.#now = options.now ?? Date.now;
    this.#refreshSeconds = options.refreshSeconds ?? 1;
    this.#store = options.store;
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
    if (this.#waiting?.history === history) return this.#waiting.run;
    const key = sharedKey(this.#fs, this.htmlPath);
    const before = key === undefined ? this.#queue : (chains.get(key) ?? this.#queue);
    const run = before.then(() => {
      if (this.#waiting?.run === run) this.#waiting = undefined;
      return this.#write(history);
    });
    this.#waiting = { history, run };
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
    // both from the same state, before either write lets the history move on
    const now = this.#now();
    const html = renderStatusPage(history, { now, refreshSeconds: this.#refreshSeconds });
    const json = renderStatusJson(history, { now });
    await writeFileAtomic(this.#fs, this.htmlPath, html);
    await writeFileAtomic(this.#fs, this.jsonPath, json);
    await this.#store?.save(history);
    this.#published++;
  }

  /**
   * Resolves once every write to these files asked for so far by any
   * publisher of this thread has finished (a restarted Linux waits for its
   * previous instance's last one before it reads what that one saved).
   */
  async settled(): Promise<void> {
    const key = sharedKey(this.#fs, this.htmlPath);
    if (key === undefined) return this.idle();
    // each write's tail leaves the map once it is the last one and has settled
    for (let q = chains.get(key); q !== undefined; q = chains.get(key)) await q;
  }

  /** Resolves once every publish asked for so far (and any asked for meanwhile) has finished. */
  async idle(): Promise<void> {
    for (let q = this.#queue; ; q = this.#queue) {
      await q;
      if (q === this.#queue) return;
    }
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
    throw new TypeError(`[rpmsg-demo] status file name must be a plain file name, got ${JSON.stringify(name)}`);
  }
  return name;
}
