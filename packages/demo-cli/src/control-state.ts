/**
 * The state file through which `v8r-demo xl ...` finds a running demo's
 * control endpoint: `$XDG_RUNTIME_DIR/v8r-demo/control.json`, or
 * `<tmpdir>/v8r-demo-<uid>/control.json`, readable only by its owner.
 *
 * @module
 */
import { lstat, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";

/** What the state file holds. */
export interface ControlState {
  /** Format version, 1. */
  readonly version: 1;
  /** Process id of the demo. */
  readonly pid: number;
  /** Base URL of the control endpoint, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Bearer token every request must carry. */
  readonly token: string;
  /** When the demo started, ISO 8601. */
  readonly startedAt: string;
}

/** Where to look for the state file. */
export interface ControlStateLocation {
  /** Use this file instead of the default place. */
  readonly stateFile?: string;
  /** Environment to read `XDG_RUNTIME_DIR` from; default `process.env`. */
  readonly env?: Record<string, string | undefined>;
}

/** The state file path for `location` (see the module documentation). */
export function controlStatePath(location: ControlStateLocation = {}): string {
  if (location.stateFile !== undefined) return location.stateFile;
  const runtime = (location.env ?? process.env).XDG_RUNTIME_DIR;
  if (runtime !== undefined && runtime !== "") return join(runtime, "v8r-demo", "control.json");
  const uid = typeof process.getuid === "function" ? String(process.getuid()) : userInfo().username;
  return join(tmpdir(), `v8r-demo-${uid}`, "control.json");
}

/**
 * Write the state file atomically with mode 0600, in a directory of mode
 * 0700 that must belong to the current user (not a symlink).
 */
export async function writeControlState(path: string, state: ControlState): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) {
    throw new Error(`[v8r-demo] writing the control file: ${dir} is not a directory of the current user`);
  }
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}

/** Read the state file; undefined when there is none. Throws for a file that is not a state file. */
export async function readControlState(path: string): Promise<ControlState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`[v8r-demo] reading the control file ${path}: it is not JSON`, { cause: err });
  }
  const v = value as Partial<ControlState> | null;
  if (v === null || v.version !== 1 || typeof v.url !== "string" || typeof v.token !== "string" || typeof v.pid !== "number") {
    throw new Error(`[v8r-demo] reading the control file ${path}: it is not a v8r-demo control file (version 1)`);
  }
  return v as ControlState;
}

/** Remove the state file if it still holds `token` (another demo may have replaced it). */
export async function removeControlState(path: string, token: string): Promise<void> {
  const current = await readControlState(path).catch(() => undefined);
  if (current?.token === token) await rm(path, { force: true });
}
