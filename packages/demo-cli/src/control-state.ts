/**
 * The state files through which `v8r-demo xl ...` finds the control
 * endpoints of the running demos: one per demo, `demo-<pid>.json` in
 * `$XDG_RUNTIME_DIR/v8r-demo/`, or in `<tmpdir>/v8r-demo-<uid>/`, readable
 * only by their owner. A demo writes its own and removes only its own.
 *
 * @module
 */
import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
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

/** Where to look for the state files. */
export interface ControlStateLocation {
  /** Use this one file instead of the per-demo files of the default place. */
  readonly stateFile?: string;
  /** Environment to read `XDG_RUNTIME_DIR` from; default `process.env`. */
  readonly env?: Record<string, string | undefined>;
}

/** The directory of the per-demo state files (see the module documentation). */
export function controlStateDir(location: ControlStateLocation = {}): string {
  const runtime = (location.env ?? process.env).XDG_RUNTIME_DIR;
  if (runtime !== undefined && runtime !== "") return join(runtime, "v8r-demo");
  const uid = typeof process.getuid === "function" ? String(process.getuid()) : userInfo().username;
  return join(tmpdir(), `v8r-demo-${uid}`);
}

/** The state file of the demo with process id `pid` (default this process), or `location.stateFile` when given. */
export function controlStatePath(location: ControlStateLocation = {}, pid: number = process.pid): string {
  return location.stateFile ?? join(controlStateDir(location), `demo-${pid}.json`);
}

/** A state file and what it holds. */
export interface FoundControlState {
  /** The file. */
  readonly path: string;
  /** Its content. */
  readonly state: ControlState;
}

/**
 * The state files of the demos that are running: `location.stateFile` alone
 * when given, else every `demo-<pid>.json` of the directory whose process is
 * alive, oldest demo first. The file of a demo that is no longer running
 * (it was killed before it could remove it) is removed; files that are not
 * state files are left alone.
 */
export async function listControlStates(location: ControlStateLocation = {}): Promise<FoundControlState[]> {
  if (location.stateFile !== undefined) {
    const state = await readControlState(location.stateFile);
    return state === undefined ? [] : [{ path: location.stateFile, state }];
  }
  const dir = controlStateDir(location);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const found: FoundControlState[] = [];
  for (const name of names.filter((n) => /^demo-\d+\.json$/.test(n)).sort()) {
    const path = join(dir, name);
    const state = await readControlState(path).catch(() => undefined);
    if (state === undefined) continue;
    if (processAlive(state.pid)) found.push({ path, state });
    else await rm(path, { force: true });
  }
  return found.sort((a, b) => a.state.startedAt.localeCompare(b.state.startedAt) || a.state.pid - b.state.pid);
}

/** Whether a process with this id exists (one of another user counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
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

/** Remove the state file if it still holds `token` (so a demo never removes another demo's file). */
export async function removeControlState(path: string, token: string): Promise<void> {
  const current = await readControlState(path).catch(() => undefined);
  if (current?.token === token) await rm(path, { force: true });
}
