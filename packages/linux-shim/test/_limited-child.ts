/**
 * Test helper: run a TypeScript script from the sources in a child process
 * whose descriptor limit (soft and hard) is `nofile`, and talk to it in JSON
 * lines: it prints one object per line, and reads one per line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const TSX = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));

/** A running child. */
export interface LimitedChild {
  readonly process: ChildProcess;
  /** The next JSON line it prints that satisfies `match`. */
  next<T>(match?: (value: T) => boolean): Promise<T>;
  /** Send one JSON line. */
  send(value: unknown): void;
  /** Wait for it to exit; kills it if it has not after `timeoutMs`. */
  exit(timeoutMs?: number): Promise<number | null>;
}

/** Start `script` (a path relative to this directory) under `ulimit -n nofile`. */
export function startLimitedChild(script: string, nofile: number, args: readonly string[] = []): LimitedChild {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn("bash", ["-c", `ulimit -n ${nofile} && exec "$0" --conditions=source "$@"`, TSX, path, ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waiting: Array<{ match: (v: unknown) => boolean; resolve: (v: unknown) => void }> = [];
  const seen: unknown[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return; // not ours
    }
    const i = waiting.findIndex((w) => w.match(value));
    if (i >= 0) waiting.splice(i, 1)[0]?.resolve(value);
    else seen.push(value);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    process: child,
    next<T>(match: (value: T) => boolean = () => true) {
      const i = seen.findIndex((v) => match(v as T));
      if (i >= 0) return Promise.resolve(seen.splice(i, 1)[0] as T);
      return new Promise<T>((resolve, reject) => {
        waiting.push({ match: match as (v: unknown) => boolean, resolve: resolve as (v: unknown) => void });
        void exited.then((code) => reject(new Error(`the child exited (${code}) before printing what was expected`)));
      });
    },
    send(value) {
      child.stdin!.write(`${JSON.stringify(value)}\n`);
    },
    async exit(timeoutMs = 10_000) {
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
