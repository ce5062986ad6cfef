// One conformance suite, run against every executor.
import { afterEach, describe, expect, it } from "vitest";
import type { Executor, GuestHandle } from "./executor.ts";
import { GuestError } from "./guest-error.ts";
import { InlineExecutor } from "./inline-executor.ts";
import { nodeWorkerExecutor } from "./node.ts";
import { createPlatform, type Platform } from "./platform.ts";
import { FVP_BaseR_AEMv8R } from "./platform-model.ts";
import { RealClock } from "./real-clock.ts";
import { VirtualClock } from "./virtual-clock.ts";
import type { FvpTraceEvent } from "./trace-bus.ts";
import { MemorySink } from "./uart.ts";

const fixture = (name: string) => new URL(`../test/fixtures/${name}.ts`, import.meta.url);

/** Resolve with the first message from the guest that satisfies `pred`. */
function nextMessage(g: GuestHandle, pred: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const off = g.onMessage((raw) => {
      const m = raw as Record<string, unknown>;
      if (pred(m)) {
        off();
        resolve(m);
      }
    });
  });
}
const reply = (g: GuestHandle, op: string) => nextMessage(g, (m) => m["op"] === op);

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error("timed out waiting for a condition");
    await new Promise((r) => setTimeout(r, 2));
  }
}

const executors: Array<{ name: string; make: () => Executor }> = [
  { name: "InlineExecutor", make: () => new InlineExecutor() },
  { name: "WorkerExecutor", make: () => nodeWorkerExecutor() },
];

describe.each(executors)("executor conformance: $name", ({ make }) => {
  let platform: Platform;
  let events: FvpTraceEvent[];
  const boot = () => {
    platform = createPlatform(FVP_BaseR_AEMv8R, { clock: new RealClock(), executor: make() });
    events = [];
    platform.trace.on((e) => events.push(e));
    return platform;
  };
  afterEach(async () => {
    await platform?.shutdown();
  });

  it("starts a guest whose console goes to its UART and whose control port answers", async () => {
    const p = boot();
    const sink = new MemorySink();
    p.uart("uart2").attach(sink);
    const g = await p.startGuest({ name: "g", image: fixture("echo-guest"), cpus: [2], init: { greeting: "hi" } });
    expect(g.state).toBe("running");
    const echoed = reply(g, "echo");
    g.post({ op: "echo", v: { n: [1, 2] } });
    expect((await echoed)["v"]).toEqual({ n: [1, 2] });
    await until(() => sink.lines.length > 0);
    expect(sink.lines[0]).toBe("hi from g on cpu 2");
    const started = events.find((e): e is Extract<FvpTraceEvent, { type: "guest-started" }> => e.type === "guest-started" && e.guest === "g");
    expect(started?.cpus).toEqual([2]); // the CPUs, for a watchdog naming who runs where
  });

  it("routes UART input to the guest", async () => {
    const p = boot();
    const g = await p.startGuest({ name: "g", image: fixture("echo-guest"), cpus: [0], uart: "uart3" });
    const got = reply(g, "input");
    p.uart(3).input("typed");
    expect((await got)["text"]).toBe("typed");
  });

  it("delivers an SPI raised by the host to the guest's handler", async () => {
    const p = boot();
    const g = await p.startGuest({ name: "g", image: fixture("echo-guest"), cpus: [1] });
    const listening = reply(g, "listening");
    p.gic.setTarget(50, 1);
    g.post({ op: "listen", irq: 50 });
    await listening;
    const handled = reply(g, "irq");
    p.gic.raise(50);
    expect((await handled)["irq"]).toBe(50);
    await until(() => events.some((e) => e.type === "irq-handled"));
  });

  it("shares a mapped window with the guest", async () => {
    const p = boot();
    p.memory.map({ base: 0x7fe0_0000, size: 0x1000, name: "shm" });
    const win = p.memory.window(0x7fe0_0000, 0x100);
    const g = await p.startGuest({ name: "g", image: fixture("echo-guest"), cpus: [0], init: { shm: win.describe() } });
    const written = reply(g, "written");
    g.post({ op: "window-write", off: 8, v: 0xc0ffee });
    await written;
    expect(win.loadAcquire32(8)).toBe(0xc0ffee);
    win.storeRelease32(12, 77);
    const read = reply(g, "read");
    g.post({ op: "window-read", off: 12 });
    expect((await read)["v"]).toBe(77);
  });

  it("accounts guest busy time as CPU load readable from the main thread", async () => {
    const p = boot();
    const g = await p.startGuest({ name: "g", image: fixture("echo-guest"), cpus: [3] });
    const spun = reply(g, "spun");
    const t0 = p.clock.now();
    g.post({ op: "spin", ms: 60 });
    await spun;
    // a window that still holds the whole spin however late this thread got here (a loaded machine): >= 40 ms busy in it
    const windowMs = Math.max(1000, p.clock.now() - t0 + 100);
    expect(p.cpus[3]!.load(windowMs) * windowMs).toBeGreaterThan(40);
    expect(p.cpus[3]!.stats().busyMs).toBeGreaterThanOrEqual(55);
    expect(p.cpus[2]!.stats().busyMs).toBe(0);
  });

  it("a crash in one guest is reported with its name and stack and stops only that guest", async () => {
    const p = boot();
    const bad = await p.startGuest({ name: "bad", image: fixture("echo-guest"), cpus: [0] });
    const good = await p.startGuest({ name: "good", image: fixture("echo-guest"), cpus: [1] });
    bad.post({ op: "throw", message: "guest bug 42" });
    const exit = await bad.exited;
    expect(exit.state).toBe("crashed");
    expect(exit.error).toBe("guest bug 42");
    expect(exit.stack).toMatch(/echo-guest/);
    expect(bad.state).toBe("crashed");
    const crash = events.find((e) => e.type === "guest-crashed");
    expect(crash).toMatchObject({ guest: "bad", error: "guest bug 42" });
    const echoed = reply(good, "echo");
    good.post({ op: "echo", v: 1 });
    expect((await echoed)["v"]).toBe(1);
    expect(good.state).toBe("running");
    expect(p.guests().map((g) => g.name)).toEqual(["good"]);
  });

  it("a crash in a timer callback crashes the guest", async () => {
    const p = boot();
    const g = await p.startGuest({ name: "t", image: fixture("echo-guest"), cpus: [0] });
    g.post({ op: "throw-later", message: "late bug", ms: 5 });
    expect(await g.exited).toMatchObject({ state: "crashed", error: "late bug" });
  });

  it("a start() that throws crashes the guest", async () => {
    const p = boot();
    const g = await p.startGuest({ name: "s", image: fixture("throw-on-start"), cpus: [0] });
    expect(await g.exited).toMatchObject({ state: "crashed", error: "boom at start" });
    expect(events.map((e) => e.type)).toEqual(["guest-started", "guest-crashed"]);
  });

  it("rejects with GuestError load-failed for a module without start()", async () => {
    const p = boot();
    const err = await p.startGuest({ name: "n", image: fixture("no-start"), cpus: [0] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GuestError);
    expect(err).toMatchObject({ code: "load-failed", guest: "n" });
    expect((err as Error).message).toMatch(/exports no start function/);
  });

  it("keeps control messages posted during start() for the first listener, in order", async () => {
    const p = boot();
    const g = await p.startGuest({ name: "early", image: fixture("early-poster"), cpus: [0] });
    const got: unknown[] = [];
    g.onMessage((m) => got.push(m));
    await until(() => got.length >= 3);
    expect(got).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it("calls the runtime's destroyContext once when the guest stops, while its console still works", async () => {
    const p = boot();
    const sink = new MemorySink();
    p.uart(0).attach(sink);
    const flags = new Int32Array(new SharedArrayBuffer(8));
    const g = await p.startGuest({ name: "rt", image: fixture("echo-guest"), runtime: fixture("counting-runtime"), cpus: [0], init: { flags } });
    await g.stop("test done");
    await g.stop("again");
    expect(Array.from(flags)).toEqual([1, 1]);
    await until(() => sink.lines.includes("destroyContext(test done)"));
  });

  it("calls the runtime's destroyContext with \"crashed\" when the guest crashes", async () => {
    const p = boot();
    const flags = new Int32Array(new SharedArrayBuffer(8));
    const g = await p.startGuest({ name: "rc", image: fixture("echo-guest"), runtime: fixture("counting-runtime"), cpus: [0], init: { flags } });
    g.post({ op: "throw", message: "boom" });
    expect((await g.exited).state).toBe("crashed");
    await until(() => Atomics.load(flags, 0) === 1);
    expect(Atomics.load(flags, 1)).toBe(2);
  });

  it("stop() runs the guest's stop hook, ends it and publishes guest-stopped", async () => {
    const p = boot();
    const sink = new MemorySink();
    p.uart(0).attach(sink);
    const g = await p.startGuest({ name: "st", image: fixture("echo-guest"), cpus: [0] });
    await g.stop("test done");
    expect(g.state).toBe("stopped");
    expect(await g.exited).toEqual({ state: "stopped" });
    await until(() => events.some((e) => e.type === "guest-stopped"));
    expect(events.find((e) => e.type === "guest-stopped")).toEqual({ type: "guest-stopped", guest: "st", reason: "test done" });
    expect(sink.lines).toContain("st stopping");
  });
});

describe("WorkerExecutor stop timeout", () => {
  it("terminates a guest whose stop hook does not answer in time and publishes guest-stop-timeout", async () => {
    const p = createPlatform(FVP_BaseR_AEMv8R, { clock: new RealClock(), executor: nodeWorkerExecutor({ stopTimeoutMs: 50 }) });
    const events: FvpTraceEvent[] = [];
    p.trace.on((e) => events.push(e));
    try {
      const g = await p.startGuest({ name: "busy", image: fixture("echo-guest"), cpus: [0] });
      g.post({ op: "spin", ms: 3_000 });
      await g.stop("test done");
      expect(g.state).toBe("stopped");
      expect(events).toContainEqual({ type: "guest-stop-timeout", guest: "busy", ms: 50 });
    } finally {
      await p.shutdown();
    }
  });
});

describe("executor misuse", () => {
  it.each([
    { name: "no CPUs", spec: { cpus: [] as number[] }, re: /at least one CPU/ },
    { name: "a CPU past the last", spec: { cpus: [4] }, re: /CPU 4 does not exist/ },
    { name: "a relative image path", spec: { cpus: [0], image: "./guest.ts" }, re: /not an absolute URL/ },
  ])("rejects a spec with $name", async ({ spec, re }) => {
    const p = createPlatform(FVP_BaseR_AEMv8R);
    const full = { name: "x", image: fixture("echo-guest"), ...spec };
    await expect(p.startGuest(full)).rejects.toThrow(re);
  });

  it.each(executors)("$name rejects an init that cannot be cloned with a TypeError", async ({ make }) => {
    const p = createPlatform(FVP_BaseR_AEMv8R, { executor: make() });
    const spec = { name: "f", image: fixture("echo-guest"), cpus: [0], init: { fn: () => 1 } };
    await expect(p.startGuest(spec)).rejects.toThrow(/init cannot be/);
    expect(p.guests()).toEqual([]);
  });

  it("refuses two running guests with the same name", async () => {
    const p = createPlatform(FVP_BaseR_AEMv8R);
    await p.startGuest({ name: "dup", image: fixture("echo-guest"), cpus: [0] });
    await expect(p.startGuest({ name: "dup", image: fixture("echo-guest"), cpus: [1] })).rejects.toThrow(/already|running/);
    await p.shutdown();
  });
});

describe("InlineExecutor on a VirtualClock", () => {
  it("holds the clock while a guest loads, so a guest started mid-run starts at the same instant every run", async () => {
    const clock = new VirtualClock();
    const p = createPlatform(FVP_BaseR_AEMv8R, { clock, executor: new InlineExecutor() });
    const sink = new MemorySink();
    p.uart(0).attach(sink);
    clock.setInterval(() => {}, 1);
    const starting = p.startGuest({ name: "late", image: fixture("start-time-guest"), runtime: fixture("slow-runtime"), cpus: [0] });
    await clock.run(2000);
    await starting;
    expect(sink.lines).toContain("started at 0");
    await p.shutdown();
  });
});
