/**
 * Internal: where rpmsg-remote keeps its history's counters across a Linux
 * restart, in its own root filesystem (`/var/lib/rpmsg-demo/history.json`),
 * replaced atomically like the status files. The one who outlives a Linux
 * restart is its disk.
 */
import type { Clock } from "@v8r/fvp-core";
import { type RootFs, writeFileAtomic } from "@v8r/linux-shim";
import { type HistoryState, isHistoryState, type StatusHistory } from "./status-history.ts";

/** The file rpmsg-remote keeps its counters in, in its root filesystem. */
export const HISTORY_STATE_FILE = "/var/lib/rpmsg-demo/history.json";

/** Largest state file read back (a few boots and six counters take well under 1 KiB). */
const MAX_STATE_BYTES = 64 * 1024;

/** Saves and loads a {@link HistoryState} in a root filesystem. */
export class HistoryStore {
  readonly #fs: RootFs;
  readonly #path: string;
  #dirReady = false;

  /** A store at `path` (default {@link HISTORY_STATE_FILE}) of `fs`. */
  constructor(fs: RootFs, path = HISTORY_STATE_FILE) {
    this.#fs = fs;
    this.#path = path;
  }

  /** The saved state, or undefined when there is none or it is not one (a broken file is ignored, never fatal). */
  async load(): Promise<HistoryState | undefined> {
    try {
      if (!(await this.#fs.exists(this.#path))) return undefined;
      const st = await this.#fs.stat(this.#path);
      if (st.size > MAX_STATE_BYTES) return undefined;
      const value: unknown = JSON.parse(await this.#fs.readText(this.#path));
      return isHistoryState(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Load the saved state (on `clock`: the load takes real time) into the
   * empty `history`, saying so with `log`; first waits for `writes` (the
   * previous instance's last save, which may still be on its way).
   */
  async restore(history: StatusHistory, clock: Clock, log: (line: string) => void, writes?: () => Promise<void>): Promise<void> {
    const saved = await clock.hold(async () => {
      await writes?.();
      return this.load();
    });
    if (saved === undefined) return;
    history.restore(saved);
    const c = saved.counters;
    log(`took up the counters of the previous instance: ${c.received} sample(s) received, ${c.lost} lost, ${c.restarts} Zephyr restart(s) seen`);
  }

  /** Save what `history` must keep across a restart; a failure is a {@link HistorySaveError}. */
  async save(history: StatusHistory): Promise<void> {
    try {
      if (!this.#dirReady) {
        await this.#fs.mkdir(this.#path.slice(0, this.#path.lastIndexOf("/")) || "/", { recursive: true });
        this.#dirReady = true;
      }
      await writeFileAtomic(this.#fs, this.#path, `${JSON.stringify(history.snapshot())}\n`);
    } catch (err) {
      throw new HistorySaveError(this.#path, err);
    }
  }
}

/** Saving the counters failed (the status page itself was written); `cause` is the file system's error. */
export class HistorySaveError extends Error {
  /** Stable code for this condition. */
  readonly code = "HISTORY_SAVE_FAILED";

  /** The failure to save `path`, caused by `cause`. */
  constructor(path: string, cause: unknown) {
    super(`saving the counters to ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "HistorySaveError";
  }
}
