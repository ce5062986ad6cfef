/** Test helper: a host and a remote WASI program over one shared-memory block in this thread (they suspend to wait). */
import { type Clock, loadWasiProgram, realClock, type WasiExit, type WasiRun, type WasiRunOptions } from "../src/mod.ts";

/** What one side printed and how it ended. */
export interface Side {
  readonly exit: WasiExit | Error;
  readonly out: string;
}

/** A platform clock on real time. */
export const realTimeClock: Clock = realClock;

/** Run `host` and `remote` (program bytes) with their arguments until both end. */
export async function runPair(
  host: Uint8Array,
  remote: Uint8Array,
  opts: { hostArgs?: string[]; remoteArgs?: string[]; shmSize?: number; extra?: Partial<WasiRunOptions> } = {},
): Promise<{ host: Side; remote: Side }> {
  const shm = { buffer: new SharedArrayBuffer(opts.shmSize ?? 0x10000) };
  const runs: { host?: WasiRun; remote?: WasiRun } = {};
  const out = { host: "", remote: "" };
  const start = async (who: "host" | "remote", bytes: Uint8Array, args: string[]): Promise<WasiRun> => {
    const peer = who === "host" ? "remote" : "host";
    const program = await loadWasiProgram(bytes, `${who}.wasm`);
    const run = program.start({
      args: [`${who}.wasm`, ...args],
      stdout: (t) => (out[who] += t),
      clock: realTimeClock,
      machine: { regions: [{ name: "rpmsg-shm", shm, physBase: 0x7a00_0000 }], doorbells: [10], notify: () => runs[peer]?.ring() },
      ...opts.extra,
    });
    runs[who] = run;
    return run;
  };
  const r = await start("remote", remote, opts.remoteArgs ?? []);
  const h = await start("host", host, opts.hostArgs ?? []);
  const settle = (p: Promise<WasiExit>): Promise<WasiExit | Error> => p.catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  const [he, re] = await Promise.all([settle(h.exited), settle(r.exited)]);
  return { host: { exit: he, out: out.host }, remote: { exit: re, out: out.remote } };
}
