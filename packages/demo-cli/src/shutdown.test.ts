import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { createShutdown, type SignalSource } from "./shutdown.ts";

function setup(timeoutMs?: number) {
  const emitter = new EventEmitter();
  const exit = vi.fn<(code: number) => void>();
  const logs: [string, string][] = [];
  const shutdown = createShutdown({
    signals: emitter as unknown as SignalSource,
    exit,
    log: (line, level) => logs.push([level, line]),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return { emitter, exit, logs, shutdown };
}

describe("createShutdown", () => {
  it("runs hooks last-registered-first on SIGINT, then exits 0", async () => {
    const { emitter, exit, shutdown } = setup();
    const order: string[] = [];
    shutdown.add("flush consoles", () => void order.push("consoles"));
    shutdown.add("close server", async () => {
      await new Promise((r) => setTimeout(r, 5));
      order.push("server");
    });
    shutdown.add("stop guests", () => void order.push("guests"));
    emitter.emit("SIGINT");
    await vi.waitFor(() => expect(exit).toHaveBeenCalled());
    expect(order).toEqual(["guests", "server", "consoles"]);
    expect(exit).toHaveBeenCalledExactlyOnceWith(0);
  });

  it("does the same on SIGTERM and stops listening afterwards", async () => {
    const { emitter, exit } = setup();
    emitter.emit("SIGTERM");
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
    expect(emitter.listenerCount("SIGINT")).toBe(0);
    expect(emitter.listenerCount("SIGTERM")).toBe(0);
  });

  it("forces exit 1 on a second signal while hooks still run", async () => {
    const { emitter, exit, logs, shutdown } = setup();
    shutdown.add("stuck", () => new Promise<void>(() => {}));
    emitter.emit("SIGINT");
    emitter.emit("SIGINT");
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
    expect(logs.at(-1)).toEqual(["error", "[v8r-demo] SIGINT again: exiting now"]);
  });

  it("exits with the highest code a hook asked for; a failed hook asks for at least 1", async () => {
    const { emitter, exit, shutdown } = setup();
    shutdown.add("verdict 3", () => 3);
    shutdown.add("verdict 0", async () => 0);
    shutdown.add("nothing", () => {});
    emitter.emit("SIGINT");
    await vi.waitFor(() => expect(exit).toHaveBeenCalledExactlyOnceWith(3));
    const second = setup();
    second.shutdown.add("verdict 2", () => 2);
    second.shutdown.add("broken", () => {
      throw new Error("boom");
    });
    expect(await second.shutdown.run("test")).toBe(2);
    const third = setup();
    third.shutdown.add("broken", () => {
      throw new Error("boom");
    });
    third.shutdown.add("verdict 0", () => 0);
    expect(await third.shutdown.run("test")).toBe(1);
  });

  it("keeps going after a failing hook, logs it, and exits 1", async () => {
    const { emitter, exit, logs, shutdown } = setup();
    const after = vi.fn();
    shutdown.add("flush consoles", after);
    shutdown.add("close server", () => {
      throw new Error("EADDRINUSE");
    });
    emitter.emit("SIGTERM");
    await vi.waitFor(() => expect(exit).toHaveBeenCalled());
    expect(after).toHaveBeenCalled();
    expect(exit).toHaveBeenCalledWith(1);
    expect(logs).toContainEqual(["error", "[v8r-demo] shutting down: close server failed: EADDRINUSE"]);
  });

  it("gives up with exit 1 when hooks take longer than the timeout", async () => {
    vi.useFakeTimers();
    try {
      const { exit, shutdown } = setup(1000);
      shutdown.add("stuck", () => new Promise<void>(() => {}));
      const done = shutdown.stop("SIGINT");
      await vi.advanceTimersByTimeAsync(1000);
      await done;
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("runs hooks only once however often run() is called, and skips removed hooks", async () => {
    const { shutdown } = setup();
    const hook = vi.fn();
    const removed = vi.fn();
    shutdown.add("a", hook);
    shutdown.add("b", removed)();
    const [a, b] = await Promise.all([shutdown.run("done"), shutdown.run("done")]);
    expect([a, b]).toEqual([0, 0]);
    expect(hook).toHaveBeenCalledTimes(1);
    expect(removed).not.toHaveBeenCalled();
    expect(shutdown.started).toBe(true);
  });
});
