/**
 * Test helper: run `v8r-demo` from source as a user would (tsx, from the
 * repository root), in its own process group, with its own runtime
 * directory (so `xl` control files of parallel tests never collide).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_STATUS_DIR, type StatusJson } from "v8r-demo/apps/rpmsg-demo/linux-rpmsg-remote";
import { makeTempDir } from "../../../scripts/test-temp-dirs.ts";

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/**
 * How the tests run the TypeScript source: Node with tsx's loader in the
 * same process, as `npx v8r-demo` runs one Node process. (The `tsx` CLI
 * runs the script in a child and, on Ctrl-C, SIGKILLs it when it has not
 * acknowledged the signal within 30 ms, which a busy 2-core machine misses.)
 */
export const NODE_TSX: readonly string[] = [process.execPath, "--import", "tsx", "--conditions=source"];
/**
 * The Deno binary of the npm package (`node_modules/.bin/deno` runs it
 * through a Node wrapper, which a signal to the process group would end
 * first).
 */
export const DENO = join(REPO_ROOT, "node_modules/deno/deno");
/**
 * How the tests run the TypeScript source under Deno: `--conditions=source`
 * resolves the workspace packages to their sources (without it Deno follows
 * their package.json to the built dist/).
 */
export const DENO_RUN: readonly string[] = [DENO, "run", "-A", "--conditions=source"];
/** The CLI source, relative to the repository root (as the README writes it). */
export const CLI = "packages/demo-cli/src/cli.ts";
/** Where Linux writes the page, relative to its root filesystem. */
export const STATUS_DIR = DEFAULT_STATUS_DIR.slice(1);

/** How a demo process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A spawned demo. */
export interface DemoProcess {
  readonly child: ChildProcess;
  /** Its root filesystem directory. */
  readonly rootfs: string;
  /** Its `XDG_RUNTIME_DIR` (where `xl` finds its control file). */
  readonly runtimeDir: string;
  /** Everything it wrote to stdout so far. */
  stdout(): string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
  /** Wait until stdout+stderr match `pattern`; rejects after `timeoutMs` with the output. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Whether any process of its group is still alive. */
  groupAlive(): boolean;
  /** Kill the whole group (cleanup). */
  kill(): void;
}

/** Options of {@link spawnDemo}. */
export interface SpawnOptions {
  /** Pipe stdin (to type into the Linux console) instead of /dev/null. */
  readonly stdin?: boolean;
  /** The command; default {@link NODE_TSX}. */
  readonly command?: readonly string[];
  /** A root filesystem directory; default a new temporary one (passed as --rootfs); false passes none (commands that take no --rootfs). */
  readonly rootfs?: string | false;
  /** `XDG_RUNTIME_DIR`; default a new temporary one (`xl` run with the same one finds the demo). */
  readonly runtimeDir?: string;
}

/** A new temporary directory, removed after the test file unless `keep`. */
export function tempDir(prefix: string, keep = false): string {
  return makeTempDir(`v8r-e2e-${prefix}-`, keep);
}

/** Where browser tests save screenshots: docs/images/ (for the READMEs) with V8R_UPDATE_SCREENSHOTS=1, else a kept temporary directory. */
export function screenshotDir(forReadme = true): string {
  return forReadme && process.env["V8R_UPDATE_SCREENSHOTS"] === "1" ? join(REPO_ROOT, "docs/images") : tempDir("screenshots", true);
}

/** Spawn `v8r-demo ARGS --rootfs DIR` in its own process group. */
export function spawnDemo(args: readonly string[], options: SpawnOptions = {}): DemoProcess {
  const rootfs = options.rootfs === false ? "" : (options.rootfs ?? tempDir("rootfs"));
  const [cmd, ...pre] = options.command ?? NODE_TSX;
  const runtimeDir = options.runtimeDir ?? tempDir("run");
  const child = spawn(cmd as string, [...pre, CLI, ...args, ...(rootfs === "" ? [] : ["--rootfs", rootfs])], {
    cwd: REPO_ROOT,
    detached: true,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", XDG_RUNTIME_DIR: runtimeDir },
    stdio: [options.stdin === true ? "pipe" : "ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const waiters = new Set<() => void>();
  const changed = (): void => {
    for (const w of waiters) w();
  };
  child.stdout?.on("data", (d: Buffer) => ((out += d.toString()), changed()));
  child.stderr?.on("data", (d: Buffer) => ((err += d.toString()), changed()));
  const exited = new Promise<Exit>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const pid = child.pid ?? -1;
  const groupAlive = (): boolean => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const waitFor = (pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const m = (out + err).match(pattern);
        if (m === null) return;
        done();
        resolve(m);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${String(pattern)} within ${timeoutMs} ms; output:\n${out}\n${err}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  return {
    child,
    rootfs,
    runtimeDir,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor,
    groupAlive,
    kill: () => {
      if (groupAlive()) process.kill(-pid, "SIGKILL");
    },
  };
}

/** Run a demo to its end and return its output and exit code. */
export async function runDemoToEnd(args: readonly string[], options: SpawnOptions = {}): Promise<{ exit: Exit; stdout: string; stderr: string; rootfs: string; wallMs: number }> {
  const started = performance.now();
  const demo = spawnDemo(args, options);
  const exit = await demo.exited;
  return { exit, stdout: demo.stdout(), stderr: demo.stderr(), rootfs: demo.rootfs, wallMs: performance.now() - started };
}

/**
 * The port a demo started with `--port 0` serves on, read from its banner
 * (`status page  http://127.0.0.1:N/...`). Asking the demo for port 0 and
 * reading it back leaves no window in which another process could take a
 * port picked in advance.
 */
export async function servedPort(demo: DemoProcess, timeoutMs: number): Promise<number> {
  const m = await demo.waitFor(/\n {2}status page +http:\/\/127\.0\.0\.1:(\d+)\/zephyr-status\.html\n/, timeoutMs);
  return Number(m[1]);
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

export type { StatusJson };

/** Read `zephyr-status.json` (and the html) from a root filesystem. */
export function readStatus(rootfs: string): { json: StatusJson; jsonText: string; html: string } {
  const jsonText = readFileSync(join(rootfs, STATUS_DIR, "zephyr-status.json"), "utf8");
  return { json: JSON.parse(jsonText) as StatusJson, jsonText, html: readFileSync(join(rootfs, STATUS_DIR, "zephyr-status.html"), "utf8") };
}

/** Poll `fn` every 50 ms until it returns a value other than `undefined`; rejects after `timeoutMs`. */
export async function eventually<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last === undefined ? "" : ` (last error: ${String(last)})`}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
