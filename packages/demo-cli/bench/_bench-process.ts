// Helpers of demo.bench.ts: start the demo as a user would, watch its
// process tree's memory through /proc (Linux), poll its web server, stop it.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

/** A started demo process. */
export interface DemoProcess {
  /** ms from spawn, by `performance.now()`. */
  readonly startedAt: number;
  /** Its process id (undefined when it could not be spawned). */
  readonly pid: number | undefined;
  /** Everything it printed on stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) once it exited. */
  readonly exited: Promise<number | string>;
  /** Largest sum of VmHWM over its process tree seen so far, in KiB (0 without /proc). */
  peakTreeKiB(): number;
  /** Largest VmHWM of a single process of the tree seen so far, in KiB. */
  peakProcessKiB(): number;
  /** Read /proc now (it is also sampled every 25 ms). */
  sampleMemory(): void;
  /** SIGINT, then SIGKILL to the whole tree after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The pids of `pid` and all its descendants (empty without /proc). */
function processTree(pid: number): number[] {
  const out = [pid];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  for (const t of tasks) {
    let kids = "";
    try {
      kids = readFileSync(`/proc/${pid}/task/${t}/children`, "utf8");
    } catch {
      continue;
    }
    for (const k of kids.split(/\s+/).filter(Boolean)) out.push(...processTree(Number(k)));
  }
  return out;
}

/** VmHWM (peak resident set) of one process in KiB, or 0 when it cannot be read. */
function vmHwmKiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Start `command args` in `cwd`, sampling its memory until it exits. */
export function startDemo(command: string, args: readonly string[], cwd: string): DemoProcess {
  const startedAt = performance.now();
  const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout?.on("data", (d: Buffer) => (text += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (text += d.toString()));
  const hwm = new Map<number, number>();
  let peakTree = 0;
  let peakOne = 0;
  let pids: number[] = [];
  const sampleMemory = (): void => {
    if (child.pid === undefined || child.exitCode !== null) return;
    pids = processTree(child.pid);
    for (const p of pids) {
      const v = vmHwmKiB(p);
      if (v > 0) hwm.set(p, Math.max(hwm.get(p) ?? 0, v));
    }
    let sum = 0;
    for (const v of hwm.values()) sum += v;
    peakTree = Math.max(peakTree, sum);
    peakOne = Math.max(peakOne, ...hwm.values());
  };
  const timer = setInterval(sampleMemory, 25);
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      clearInterval(timer);
      resolve(code ?? signal ?? "?");
    });
  });
  const stop = async (graceMs = 5000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    sampleMemory();
    const tree = [...pids];
    child.kill("SIGINT");
    const killer = setTimeout(() => {
      for (const p of tree) {
        try {
          process.kill(p, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }, graceMs);
    await exited;
    clearTimeout(killer);
  };
  return { startedAt, pid: child.pid, output: () => text, exited, peakTreeKiB: () => peakTree, peakProcessKiB: () => peakOne, sampleMemory, stop };
}

/** GET `url`; the status and body, or undefined when nothing answers yet. */
export async function tryGet(url: string): Promise<{ status: number; body: string } | undefined> {
  try {
    const res = await fetch(url);
    return { status: res.status, body: await res.text() };
  } catch {
    return undefined;
  }
}

/** Poll `check` every `everyMs` until it returns a value, for at most `timeoutMs`. */
export async function pollUntil<T>(check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 5): Promise<T | undefined> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return undefined;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
}
