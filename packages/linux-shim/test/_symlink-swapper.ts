/**
 * Test helper: a Worker thread that flips a name in the web root, as fast
 * as it can, between something inside (a regular file, or a real directory)
 * and a symbolic link to something outside, so a server's lookups race with
 * it truly in parallel.
 */
import { Worker } from "node:worker_threads";

const SWAPPER = `
const { renameSync, rmSync, symlinkSync, writeFileSync } = require("node:fs");
const { workerData, parentPort } = require("node:worker_threads");
const { kind, name, inside, outside, stop } = workerData;
const flag = new Int32Array(stop);
const tmp = name + ".swap";
let n = 0;
const hold = (ms) => { const until = Date.now() + ms; while (Date.now() < until); };
while (Atomics.load(flag, 0) === 0) {
  Atomics.store(flag, 1, n);
  if (kind === "file") {
    writeFileSync(tmp, inside);          // a regular file, atomically in place
    renameSync(tmp, name);
    if (n % 64 === 0) hold(1);           // now and then long enough for a lookup to find it whole
    symlinkSync(outside, tmp);           // then a link leading outside, atomically in place
    renameSync(tmp, name);
  } else {
    renameSync(inside, name);            // the real directory under the name
    if (n % 64 === 0) hold(1);
    renameSync(name, inside);
    symlinkSync(outside, name);          // then a link to the outside directory
    rmSync(name);
  }
  n += 2;
}
parentPort.postMessage(n);
`;

/** What the name flips between. */
export type SwapPlan =
  | { readonly kind: "file"; readonly name: string; readonly inside: string; readonly outside: string }
  | { readonly kind: "dir"; readonly name: string; readonly inside: string; readonly outside: string };

/** A running swapper. */
export interface SymlinkSwapper {
  /** Swaps done so far. */
  swaps(): number;
  /** Stop; resolves with the number of swaps done. */
  stop(): Promise<number>;
}

/**
 * Start flipping. `file`: `name` becomes a regular file holding `inside`
 * (its content), then a link to `outside`. `dir`: the directory `inside`
 * (held outside the root between turns) is renamed to `name`, then `name`
 * is a link to the directory `outside`.
 */
export function startSymlinkSwapper(plan: SwapPlan): SymlinkSwapper {
  const stop = new SharedArrayBuffer(8);
  const worker = new Worker(SWAPPER, { eval: true, workerData: { ...plan, stop } });
  const done = new Promise<number>((resolve, reject) => {
    worker.once("message", (n: number) => resolve(n));
    worker.once("error", reject);
  });
  return {
    swaps: () => Atomics.load(new Int32Array(stop), 1),
    async stop() {
      Atomics.store(new Int32Array(stop), 0, 1);
      const n = await done;
      await worker.terminate();
      return n;
    },
  };
}
