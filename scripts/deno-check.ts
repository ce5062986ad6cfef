// The Deno check run by `npm test`: every package's public entry loads
// unmodified under Deno, and fvp-core works there (memory, VirtualClock
// timers, a Web Worker executor round trip).
import * as fvp from "../packages/fvp-core/src/mod.ts";
import { nodeWorkerFactory } from "../packages/fvp-core/src/node.ts";
import * as xen from "../packages/xen-dom0less/src/mod.ts";
import * as openamp from "../packages/openamp-wasm/src/mod.ts";
import * as zephyr from "../packages/zephyr-shim/src/mod.ts";
import * as linux from "../packages/linux-shim/src/mod.ts";
import * as demo from "../packages/demo-cli/src/mod.ts";

let failures = 0;
let passes = 0;
async function check(name: string, fn: () => void | Promise<void>): Promise<void> {
  try {
    await fn();
    passes++;
    console.log(`ok   ${name}`);
  } catch (err) {
    failures++;
    console.log(`FAIL ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}
function assert(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(what);
}

const entries: Record<string, Record<string, unknown>> = { fvp, xen, openamp, zephyr, linux, demo };
for (const [name, mod] of Object.entries(entries)) {
  await check(`${name}: src/mod.ts loads and exports something`, () => {
    assert(Object.keys(mod).length > 0, `${name} exports nothing`);
  });
}

await check("fvp-core: map memory, write and read through a window", () => {
  const mem = new fvp.PhysicalMemory();
  mem.map({ base: 0x7a00_0000, size: 0x1_0000, name: "shm" });
  const w = mem.window(0x7a00_0000, 0x1_0000);
  w.write32(0x10, 0xdeadbeef);
  w.write64(0x20, 0x0123_4567_89ab_cdefn);
  w.storeRelease16(0x30, 0xbeef);
  assert(w.read32(0x10) === 0xdeadbeef, "u32 read back");
  assert(w.read64(0x20) === 0x0123_4567_89ab_cdefn, "u64 read back");
  assert(w.loadAcquire16(0x30) === 0xbeef, "acquire load");
  let threw = false;
  try {
    w.read32(0xfffe);
  } catch (e) {
    threw = e instanceof RangeError;
  }
  assert(threw, "an access past the end throws RangeError");
});

await check("fvp-core: timers on a VirtualClock fire in order at simulated time", () => {
  const clock = new fvp.VirtualClock();
  const fired: string[] = [];
  clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
  clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
  clock.setTimeout(() => fired.push(`c@${clock.now()}`), 20);
  const tick = clock.setInterval(() => fired.push(`i@${clock.now()}`), 15);
  clock.advanceTo(30);
  tick.cancel();
  assert(fired.join(" ") === "a@10 i@15 b@20 c@20 i@30", `got ${fired.join(" ")}`);
});

/** Start fvp-core's echo guest with `executor`, have it write 42 through shared memory and answer. */
async function echoThroughWorker(executor: fvp.WorkerExecutor): Promise<void> {
  const platform = fvp.createPlatform(fvp.FVP_BaseR_AEMv8R, { executor });
  try {
    platform.memory.map({ base: 0x7a00_0000, size: 0x1000, name: "shm" });
    const win = platform.memory.window(0x7a00_0000, 0x1000);
    const started = platform.startGuest({
      name: "deno-guest",
      image: new URL("../packages/fvp-core/test/fixtures/echo-guest.ts", import.meta.url),
      init: { shm: win.describe() },
      cpus: [1],
    });
    const guest = await within(started, "the guest started");
    const reply = new Promise<unknown>((resolve) => guest.onMessage(resolve));
    guest.post({ op: "window-write", off: 4, v: 42 });
    await within(reply, "a reply");
    assert(win.loadAcquire32(4) === 42, `the guest wrote ${win.loadAcquire32(4)}`);
  } finally {
    await platform.shutdown();
  }
}

/** `p`, or a rejection naming `what` after 10 s. */
async function within<T>(p: Promise<T>, what: string): Promise<T> {
  let id: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    id = setTimeout(() => reject(new Error(`no ${what} within 10 s`)), 10_000);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(id);
  }
}

await check("fvp-core: a guest in a Web Worker answers through shared memory", () => echoThroughWorker(new fvp.WorkerExecutor()));

// What v8r-demo uses in Worker mode: node:worker_threads, which Deno runs on a Web Worker.
await check("fvp-core/node: a guest in a worker_threads Worker answers through shared memory", () =>
  echoThroughWorker(new fvp.WorkerExecutor({ workerFactory: nodeWorkerFactory })),
);

console.log(`deno check: ${passes} passed, ${failures} failed`);
if (failures) Deno.exit(1);
