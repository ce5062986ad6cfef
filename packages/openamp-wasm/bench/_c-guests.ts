/**
 * The C/TS figures of the RPMsg benchmark: examples/c/ping.c and echo.c,
 * built with v8r-cc, as two guests in two Workers over one shared block (each
 * blocks in its waits on a doorbell word, as a guest's vCPU does; the figures
 * are read from what ping prints, on the Worker's real clock), and their
 * TypeScript twin (bench/_ts-pair-worker.ts) doing the same work over the
 * same block and doorbell words: the same payloads both ways, checked, the
 * same window, blocking whenever there is nothing to do.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { runV8rCc } from "../src/v8r-cc.ts";
import type { TsPairResult } from "./_ts-pair-worker.ts";

/** The shared block of the C pair: 256 KiB, as the TypeScript figures use (Zephyr's static vrings: 128 slots). */
const SHM_BYTES = 0x40000;

/** The compiled ping and echo. */
export interface CPrograms { readonly ping: WebAssembly.Module; readonly echo: WebAssembly.Module }

/** Build ping and echo with v8r-cc (the figures are for programs built as a user builds them). */
export async function buildCPrograms(): Promise<CPrograms> {
  const dir = mkdtempSync(join(tmpdir(), "v8r-bench-c-"));
  try {
    const build = async (name: string): Promise<WebAssembly.Module> => {
      const out = join(dir, `${name}.wasm`);
      const errors: string[] = [];
      const status = runV8rCc(["-o", out, fileURLToPath(new URL(`../examples/c/${name}.c`, import.meta.url))], { error: (l) => errors.push(l) });
      if (status !== 0) throw new Error(`[openamp-wasm] bench: v8r-cc ${name}.c failed (status ${status}): ${errors.join("\n")}`);
      return WebAssembly.compile(readFileSync(out));
    };
    return { ping: await build("ping"), echo: await build("echo") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function inWorker<T>(script: string, data: object): Promise<T> {
  const url = new URL(script, import.meta.url).href;
  const w = new Worker(new URL("./_bootstrap.mjs", import.meta.url), { workerData: { ...data, url } });
  return new Promise((resolve, reject) => {
    w.once("message", (m: T) => {
      resolve(m);
      void w.terminate();
    });
    w.once("error", reject);
  });
}

type CSide = { exit: unknown; out: string };

/** Run ping (with `args`) against echo in two Workers; what ping printed. Throws when a side failed. */
export async function runCPair(programs: CPrograms, args: readonly string[]): Promise<string> {
  const shm = new SharedArrayBuffer(SHM_BYTES);
  const bells = new SharedArrayBuffer(8);
  const [host, remote] = await Promise.all([
    inWorker<CSide>("../test/_wasi-worker.ts", { module: programs.ping, shm, bells, me: 0, args: ["ping.wasm", ...args, "quiet"] }),
    inWorker<CSide>("../test/_wasi-worker.ts", { module: programs.echo, shm, bells, me: 1, args: ["echo.wasm"] }),
  ]);
  for (const [who, r] of [["ping", host], ["echo", remote]] as const) {
    if (JSON.stringify(r.exit) !== JSON.stringify({ code: 0 })) throw new Error(`[openamp-wasm] bench: C ${who} ended with ${JSON.stringify(r.exit)}: ${r.out.slice(-500)}`);
  }
  return host.out;
}

/** A figure ping printed: its median round trip (`ping: round trip 12.3 us (median 10.1 us)`) or its rate. */
export function pingFigure(out: string, label: "median round trip" | "msgs/s"): number {
  const m = label === "median round trip" ? /ping: round trip [\d.]+ us \(median ([\d.]+) us\)/.exec(out) : /ping: ([\d.]+) msgs\/s/.exec(out);
  if (m === null) throw new Error(`[openamp-wasm] bench: ping printed no ${label} figure: ${out.slice(-500)}`);
  return Number(m[1]);
}

/** What the pair does: payloads of `size` bytes, `count` of them, at most `pipeline` in flight. */
export interface PairRun { readonly count: number; readonly size: number; readonly pipeline: number }

/** ping's arguments for `run`. */
export const pingArgs = (run: PairRun): string[] => [`count=${run.count}`, `size=${run.size}`, `pipeline=${run.pipeline}`];

/** Run the TypeScript twin of ping and echo (`module`: openamp.wasm); the host's rate and median round trip (one in flight). */
export async function runTsPair(module: WebAssembly.Module, run: PairRun): Promise<TsPairResult> {
  const shm = new SharedArrayBuffer(SHM_BYTES);
  const bells = new SharedArrayBuffer(12);
  const side = (me: 0 | 1): Promise<TsPairResult & { error?: string }> => inWorker("./_ts-pair-worker.ts", { module, shm, bells, me, ...run });
  const [host, remote] = await Promise.all([side(0), side(1)]);
  for (const [who, r] of [["host", host], ["remote", remote]] as const) {
    if (r.error !== undefined || r.errors > 0) throw new Error(`[openamp-wasm] bench: TS ${who} failed: ${r.error ?? `${r.errors} payloads came back damaged`}`);
  }
  if (remote.echoed !== run.count) throw new Error(`[openamp-wasm] bench: TS echo sent back ${remote.echoed} of ${run.count} payloads`);
  return host;
}
