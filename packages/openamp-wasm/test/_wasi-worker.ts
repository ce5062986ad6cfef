/**
 * Test Worker: runs one WASI program with the machine port over a shared block,
 * blocking in its waits (Atomics.wait on its doorbell word), and posts how it ended.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadWasiProgram, realClock, type WasiRun } from "../src/mod.ts";

const { module, shm, bells, me, args } = workerData as { module: WebAssembly.Module; shm: SharedArrayBuffer; bells: SharedArrayBuffer; me: number; args: string[] };
const words = new Int32Array(bells);
let seen = Atomics.load(words, me);
let run: WasiRun | undefined;
let out = "";
const program = await loadWasiProgram(module, args[0]);
run = program.start({
  args,
  stdout: (t) => (out += t),
  clock: realClock,
  idle: (timeoutMs) => {
    if (Atomics.load(words, me) === seen) Atomics.wait(words, me, seen, timeoutMs);
    const now = Atomics.load(words, me);
    if (now !== seen) {
      seen = now;
      run?.ring();
    }
    return true;
  },
  machine: {
    regions: [{ name: "rpmsg-shm", shm: { buffer: shm }, physBase: 0x7a00_0000 }],
    doorbells: [10],
    notify: () => {
      Atomics.add(words, 1 - me, 1);
      Atomics.notify(words, 1 - me);
    },
  },
});
const exit = await run.exited.catch((e: unknown) => ({ error: String(e) }));
parentPort!.postMessage({ exit, out });
