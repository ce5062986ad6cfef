// Exercises fvp-core's sources unmodified under Deno (or any runtime with a
// global module Worker): memory, VirtualClock timers, an inline guest, and a
// WorkerExecutor round trip with an interrupt and a crash.
//   ./node_modules/.bin/deno run -A packages/fvp-core/test/deno-smoke.ts
import {
  createPlatform,
  FVP_BaseR_AEMv8R,
  InlineExecutor,
  MemorySink,
  RealClock,
  VirtualClock,
  WorkerExecutor,
} from "../src/mod.ts";

function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`deno-smoke: ${what} failed`);
  console.log(`ok ${what}`);
}

const guest = new URL("./fixtures/echo-guest.ts", import.meta.url);
type Msg = Record<string, unknown>;

async function virtualPart(): Promise<void> {
  const clock = new VirtualClock();
  let ticks = 0;
  clock.setInterval(() => ticks++, 1000);
  clock.advanceTo(3_600_000);
  check(ticks === 3600, "an hour of 1 Hz VirtualClock timers");
  const p = createPlatform(FVP_BaseR_AEMv8R, { clock, executor: new InlineExecutor() });
  const sink = new MemorySink();
  p.uart(0).attach(sink);
  const g = await p.startGuest({ name: "inline", image: guest, cpus: [0] });
  await clock.run(clock.now() + 10);
  check(sink.lines[0] === "hello from inline on cpu 0", "inline guest console");
  await g.stop();
}

async function workerPart(): Promise<void> {
  const p = createPlatform(FVP_BaseR_AEMv8R, { clock: new RealClock(), executor: new WorkerExecutor() });
  p.memory.map({ base: 0x7fe0_0000, size: 0x1000, name: "shm" });
  const w = p.memory.window(0x7fe0_0000, 0x100);
  w.write32(0, 0x1234);
  check(w.read32(0) === 0x1234, "memory write/read");
  const g = await p.startGuest({ name: "worker", image: guest, cpus: [1], init: { shm: w.describe() } });
  const next = (op: string) => new Promise<Msg>((r) => { const off = g.onMessage((m) => { if ((m as Msg)["op"] === op) { off(); r(m as Msg); } }); });
  const read = next("read");
  g.post({ op: "window-read", off: 0 });
  check((await read)["v"] === 0x1234, "worker guest reads the shared window");
  const listening = next("listening");
  g.post({ op: "listen", irq: 2 });
  await listening;
  const irq = next("irq");
  p.gic.raise(2, 1);
  check((await irq)["irq"] === 2, "SGI from the main thread reaches the worker guest");
  g.post({ op: "throw", message: "expected crash" });
  check((await g.exited).error === "expected crash", "worker guest crash is reported");
  await p.shutdown();
}

await virtualPart();
await workerPart();
console.log("deno-smoke: all ok");
