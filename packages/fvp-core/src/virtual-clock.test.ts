import { describe, expect, it } from "vitest";
import { VirtualClock } from "./virtual-clock.ts";

/** A small seeded PRNG (mulberry32) so runs can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Schedule a random tree of timers and record (time, id) of each firing. */
function scenario(seed: number): string[] {
  const clock = new VirtualClock();
  const rand = rng(seed);
  const trace: string[] = [];
  let next = 0;
  const spawn = (depth: number): void => {
    const id = next++;
    clock.setTimeout(() => {
      trace.push(`${clock.now()}:${id}`);
      if (depth < 3) for (let i = 0; i < 2; i++) spawn(depth + 1);
    }, Math.floor(rand() * 5) * 10);
  };
  for (let i = 0; i < 20; i++) spawn(0);
  const tick = clock.setInterval(() => trace.push(`${clock.now()}:tick`), 15);
  clock.advanceTo(200);
  tick.cancel();
  clock.runUntilIdle();
  return trace;
}

describe("VirtualClock", () => {
  it("fires timers in time order and same-instant timers in the order they were set", () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.setTimeout(() => seen.push("b@20"), 20);
    clock.setTimeout(() => seen.push("a@10"), 10);
    clock.setTimeout(() => seen.push("c@20"), 20);
    clock.setTimeout(() => seen.push("d@20"), 20);
    clock.setTimeout(() => seen.push("e@0"), -5);
    clock.advanceTo(100);
    expect(seen).toEqual(["e@0", "a@10", "b@20", "c@20", "d@20"]);
    expect(clock.now()).toBe(100);
  });

  it("sets now() to each timer's due time while it runs", () => {
    const clock = new VirtualClock({ start: 1000 });
    const at: number[] = [];
    clock.setTimeout(() => at.push(clock.now()), 5);
    clock.setInterval(() => at.push(clock.now()), 7);
    clock.advanceTo(1015);
    expect(at).toEqual([1005, 1007, 1014]);
  });

  it("cancel() stops one-shot and periodic timers and updates pending()", () => {
    const clock = new VirtualClock();
    let n = 0;
    const once = clock.setTimeout(() => n++, 10);
    const every = clock.setInterval(() => n++, 10);
    expect(clock.pending()).toBe(2);
    once.cancel();
    expect(once.active).toBe(false);
    clock.advanceTo(30);
    expect(n).toBe(3);
    every.cancel();
    clock.advanceTo(100);
    expect(n).toBe(3);
    expect(clock.pending()).toBe(0);
  });

  it("a one-shot timer is inactive after it fired", () => {
    const clock = new VirtualClock();
    const h = clock.setTimeout(() => {}, 1);
    clock.advanceTo(1);
    expect(h.active).toBe(false);
  });

  it("a timer set from a callback at delay 0 fires within the same advance", () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.setTimeout(() => clock.setTimeout(() => seen.push(clock.now()), 0), 5);
    clock.advanceTo(5);
    expect(seen).toEqual([5]);
  });

  it("simulates an hour of 1 Hz timers in well under a second", () => {
    const clock = new VirtualClock();
    let ticks = 0;
    for (let i = 0; i < 4; i++) clock.setInterval(() => ticks++, 1000);
    const t0 = performance.now();
    clock.advanceTo(3_600_000);
    expect(ticks).toBe(4 * 3600);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it("gives the same trace twice for the same seed and a different one for another seed", () => {
    const a = scenario(42);
    expect(scenario(42)).toEqual(a);
    expect(a.length).toBeGreaterThan(100);
    expect(scenario(43)).not.toEqual(a);
  });

  it("runUntilIdle() honours maxSteps and maxTimeMs", () => {
    const clock = new VirtualClock();
    clock.setInterval(() => {}, 10);
    expect(clock.runUntilIdle({ maxSteps: 5 })).toBe(5);
    expect(clock.now()).toBe(50);
    expect(clock.runUntilIdle({ maxTimeMs: 25 })).toBe(2);
    expect(clock.now()).toBe(70);
  });

  it("run() lets async continuations proceed between timers", async () => {
    const clock = new VirtualClock();
    const sleep = (ms: number) => new Promise<void>((r) => clock.setTimeout(r, ms));
    const log: string[] = [];
    const task = async (name: string, period: number) => {
      for (let i = 0; i < 3; i++) {
        await sleep(period);
        await Promise.resolve();
        log.push(`${clock.now()}:${name}`);
      }
    };
    void task("a", 10);
    void task("b", 15);
    await clock.run(100);
    // At 30 both are due; b set its timer first (at 15, a at 20), so b runs first.
    expect(log).toEqual(["10:a", "15:b", "20:a", "30:b", "30:a", "45:b"]);
    expect(clock.now()).toBe(100);
  });

  it("run() does not advance time while held real work is pending", async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.setInterval(() => seen.push(`tick@${clock.now()}`), 10);
    let finish: (v: string) => void = () => {};
    const work = clock.hold(new Promise<string>((r) => (finish = r)));
    void work.then((v) => seen.push(`${v}@${clock.now()}`));
    const running = clock.run(25);
    // Real time passes (several macrotasks) while the work is pending.
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([]);
    expect(clock.held()).toBe(1);
    finish("loaded");
    await running;
    expect(seen).toEqual(["loaded@0", "tick@10", "tick@20"]);
    expect(clock.held()).toBe(0);
  });

  it("run() keeps firing timers while background work is pending and returns only once it settled", async () => {
    const clock = new VirtualClock();
    const ticks: number[] = [];
    clock.setInterval(() => ticks.push(clock.now()), 10);
    let finish: () => void = () => {};
    let done = false;
    const work = clock.background(new Promise<void>((r) => (finish = r)).then(() => void (done = true)));
    const running = clock.run(30);
    let returned = false;
    void running.then(() => (returned = true));
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
    expect(ticks).toEqual([10, 20, 30]);
    expect(returned).toBe(false);
    expect(clock.backgroundPending()).toBe(1);
    finish();
    await running;
    expect(done).toBe(true);
    expect(clock.backgroundPending()).toBe(0);
    expect(clock.now()).toBe(30);
    await work;
  });

  it("run() fires a timer that settling background work sets within the run", async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    let finish: () => void = () => {};
    void clock.background(new Promise<void>((r) => (finish = r))).then(() => void clock.setTimeout(() => seen.push(`late@${clock.now()}`), 5));
    const running = clock.run(100);
    await new Promise((r) => setTimeout(r, 0));
    finish();
    await running;
    expect(seen).toEqual(["late@5"]);
    expect(clock.now()).toBe(100);
  });

  it("background() returns the work itself and forgets it when it rejects", async () => {
    const clock = new VirtualClock();
    await expect(clock.background(Promise.reject(new Error("disk full")))).rejects.toThrow("disk full");
    await clock.run(5);
    expect(clock.backgroundPending()).toBe(0);
  });

  it("hold() delivers held work in the order it was held, whichever finishes first on the host", async () => {
    const seen: string[] = [];
    const finishes: Array<() => void> = [];
    const clock = new VirtualClock();
    const piece = (name: string): void => {
      const work = clock.hold(new Promise<string>((r) => finishes.push(() => r(name))));
      // each continuation is a chain of steps, as a guest's async code is
      void work.then(async (v) => {
        seen.push(`${v}:1`);
        await Promise.resolve();
        seen.push(`${v}:2`);
      });
    };
    piece("zephyr");
    piece("linux");
    piece("xen");
    const running = clock.run(10);
    // the host finishes them in reverse order, with real time in between
    for (const finish of [...finishes].reverse()) {
      finish();
      await new Promise((r) => setTimeout(r, 0));
    }
    await running;
    expect(seen).toEqual(["zephyr:1", "zephyr:2", "linux:1", "linux:2", "xen:1", "xen:2"]);
    expect(clock.held()).toBe(0);
  });

  it("hold(fn) starts the work only once the work held before it was delivered, so its effects come at the same point every run", async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    let finishFirst: () => void = () => {};
    void clock.hold(new Promise<void>((r) => (finishFirst = r))).then(() => seen.push("first delivered"));
    void clock.hold(async () => {
      seen.push("second started"); // e.g. a device that announces itself while it is created
      await Promise.resolve();
      return "second";
    }).then((v) => seen.push(`${v} delivered`));
    const running = clock.run(1);
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([]);
    finishFirst();
    await running;
    expect(seen).toEqual(["first delivered", "second started", "second delivered"]);
  });

  it("hold() keeps its order when a piece fails", async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    let fail: (e: Error) => void = () => {};
    void clock.hold(new Promise<void>((_, reject) => (fail = reject))).catch((e: Error) => seen.push(e.message));
    void clock.hold(Promise.resolve("second")).then((v) => seen.push(v));
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([]);
    fail(new Error("first failed"));
    await clock.run(1);
    expect(seen).toEqual(["first failed", "second"]);
  });

  it("hold() gives the work's outcome and releases the clock when it rejects", async () => {
    const clock = new VirtualClock();
    const failing = Promise.reject(new Error("no such module"));
    await expect(clock.hold(failing)).rejects.toThrow("no such module");
    clock.setTimeout(() => {}, 5);
    await clock.run(5);
    expect(clock.now()).toBe(5);
    expect(clock.held()).toBe(0);
  });

  it("run() stops at the target time and leaves later timers queued", async () => {
    const clock = new VirtualClock();
    let fired = 0;
    clock.setTimeout(() => fired++, 50);
    clock.setTimeout(() => fired++, 150);
    await clock.run(100);
    expect(fired).toBe(1);
    expect(clock.pending()).toBe(1);
    expect(clock.nextAt()).toBe(150);
  });

  it.each([
    { name: "zero period", f: (c: VirtualClock) => c.setInterval(() => {}, 0) },
    { name: "NaN period", f: (c: VirtualClock) => c.setInterval(() => {}, Number.NaN) },
    { name: "non-function callback", f: (c: VirtualClock) => c.setTimeout(5 as never, 1) },
    { name: "NaN advance", f: (c: VirtualClock) => c.advanceTo(Number.NaN) },
  ])("rejects $name", ({ f }) => {
    expect(() => f(new VirtualClock())).toThrow(/\[fvp-core\]/);
  });
});
