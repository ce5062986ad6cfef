import { describe, expect, it } from "vitest";
import { makeKernel } from "../../test/_kernel-fixture.ts";
import { Errno } from "./errno.ts";
import { K_FOREVER, K_MSEC, K_NO_WAIT } from "./timeout.ts";

describe("threads and sleeping", () => {
  it("k_msleep resumes after exactly the requested virtual time", async () => {
    const { clock, k } = makeKernel();
    const wakes: number[] = [];
    k.k_thread_create({
      name: "sleeper",
      entry: async () => {
        for (let i = 0; i < 3; i++) {
          await k.k_msleep(100);
          wakes.push(k.k_uptime_get());
        }
      },
    });
    await clock.run(1000);
    expect(wakes).toEqual([100, 200, 300]);
  });

  it("a thread's state follows what it waits for, and it is dead after returning", async () => {
    const { clock, k } = makeKernel();
    const sem = k.k_sem_init(0, 1);
    const t = k.k_thread_create({
      name: "worker",
      entry: async () => {
        await k.k_msleep(10);
        await k.k_sem_take(sem, K_FOREVER);
      },
    });
    expect(t.state).toBe("ready");
    await clock.run(5);
    expect(t.state).toBe("sleeping");
    await clock.run(20);
    expect(t.state).toBe("pending");
    k.k_sem_give(sem);
    await clock.run(21);
    expect(t.state).toBe("dead");
    expect(await k.k_thread_join(t, K_NO_WAIT)).toBe(0);
  });

  it("k_current_get names the thread whose code is running", async () => {
    const { clock, k } = makeKernel();
    const seen: Array<string | undefined> = [];
    for (const name of ["a", "b"]) {
      k.k_thread_create({
        name,
        entry: async () => {
          seen.push(k.k_current_get()?.name);
          await k.k_msleep(name === "a" ? 10 : 5);
          seen.push(k.k_current_get()?.name);
        },
      });
    }
    await clock.run(50);
    expect(seen).toEqual(["a", "b", "b", "a"]);
  });

  it("k_wakeup ends a sleep early and reports the time left", async () => {
    const { clock, k } = makeKernel();
    let left = -2;
    const t = k.k_thread_create({
      name: "s",
      entry: async () => {
        left = await k.k_msleep(1000);
      },
    });
    await clock.run(300);
    k.k_wakeup(t);
    await clock.run(301);
    expect(left).toBe(700);
    expect(t.state).toBe("dead");
  });

  it("k_thread_join times out with -EAGAIN while the thread lives", async () => {
    const { clock, k } = makeKernel();
    const t = k.k_thread_create({ name: "long", entry: () => k.k_msleep(1000).then(() => undefined) });
    let r: number | undefined;
    void k.k_thread_join(t, K_MSEC(100)).then((v) => (r = v));
    await clock.run(200);
    expect(r).toBe(-Errno.EAGAIN);
  });

  it("a thread that throws is dead, keeps its error and is logged", async () => {
    const { clock, k, output } = makeKernel();
    const t = k.k_thread_create({
      name: "bad",
      entry: async () => {
        await k.k_msleep(1);
        throw new Error("oops");
      },
    });
    await clock.run(10);
    expect(t.state).toBe("dead");
    expect((t.error as Error).message).toBe("oops");
    expect(output()).toContain("<err> os: thread bad exited with an error: oops");
  });

  it("runtime is charged to the thread and the CPU (a real clock measures it)", async () => {
    const { RealClock, Cpu } = await import("@v8r/fvp-core");
    const { ZephyrKernel } = await import("./kernel.ts");
    const clock = new RealClock();
    const cpu = new Cpu(0, clock);
    const k = new ZephyrKernel({ clock, cpu, write: () => {} });
    const t = k.k_thread_create({
      name: "spin",
      entry: async () => {
        const end = performance.now() + 15;
        while (performance.now() < end) {
          /* busy */
        }
        await k.k_msleep(1);
      },
    });
    await t.joined;
    expect(t.runtimeMs).toBeGreaterThanOrEqual(14);
    expect(k.k_thread_runtime_stats_get(t).execution_cycles).toBeGreaterThanOrEqual(14_000);
    expect(cpu.stats().busyMs).toBeGreaterThanOrEqual(14);
  });

  it("k_busy_wait charges modelled work to the thread and the CPU without moving a virtual clock", async () => {
    const { VirtualClock, Cpu } = await import("@v8r/fvp-core");
    const { ZephyrKernel } = await import("./kernel.ts");
    const clock = new VirtualClock();
    const cpu = new Cpu(0, clock);
    const k = new ZephyrKernel({ clock, cpu, write: () => {} });
    const t = k.k_thread_create({
      name: "worker",
      entry: async () => {
        await k.k_msleep(100);
        k.k_busy_wait(20_000);
      },
    });
    await clock.run(200);
    await t.joined;
    expect(clock.now()).toBe(200);
    expect(t.runtimeMs).toBe(20);
    expect(cpu.stats().busyMs).toBe(20);
    expect(cpu.load(200)).toBeCloseTo(0.1, 5); // 100..120 of 0..200
    expect(() => k.k_busy_wait(-1)).toThrow(RangeError);
  });

  it("k_thread_foreach lists main, the system work queue and created threads", () => {
    const { k } = makeKernel();
    k.k_thread_create({ name: "app", entry: () => {} });
    const names: string[] = [];
    k.k_thread_foreach((t) => names.push(t.name));
    expect(names).toEqual(["main", "sysworkq", "app"]);
  });
});

describe("time and yielding", () => {
  it("k_yield lets work that is already due run before the thread continues", async () => {
    const { clock, k } = makeKernel();
    const order: string[] = [];
    k.k_work_submit(k.k_work_init(() => order.push("work")));
    k.k_thread_create({
      name: "y",
      entry: async () => {
        order.push("before");
        await k.k_yield();
        order.push("after");
      },
    });
    await clock.run(1);
    expect(order).toEqual(["work", "before", "after"]);
  });

  it("k_uptime_delta returns the time since the reference and moves it", async () => {
    const { clock, k } = makeKernel();
    const ref = { value: k.k_uptime_get() };
    clock.advanceTo(250);
    expect(k.k_uptime_delta(ref)).toBe(250);
    clock.advanceTo(300);
    expect(k.k_uptime_delta(ref)).toBe(50);
    expect(ref.value).toBe(300);
  });

  it.each([
    [0, 0],
    [1.5, 1500],
    [4_294_967.296, 0],
  ])("k_cycle_get_32 at %d ms is %d (1 MHz, wrapping at 2^32)", (ms, cycles) => {
    const { clock, k } = makeKernel();
    clock.advanceTo(ms);
    expect(k.k_cycle_get_32()).toBe(cycles);
  });
});
