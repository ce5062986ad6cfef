import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getHeapSpaceStatistics } from "node:v8";
import { afterEach, describe, expect, it, vi } from "vitest";
import { collectThroughInspector, IdleRelease, resolveIdleRelease, type ResolvedIdleRelease } from "./_web-idle-release.ts";
import { startWebServer } from "./web-server.ts";

afterEach(() => {
  vi.useRealTimers();
});

/** An IdleRelease on fake timers, with a release that counts its calls. */
function watch(options: Partial<ResolvedIdleRelease> = {}) {
  vi.useFakeTimers();
  const release = vi.fn();
  const log: string[] = [];
  const idle = new IdleRelease({ minRequests: 100, quietMs: 1000, minIntervalMs: 30_000, release, ...options }, (line) => log.push(line), () => Date.now());
  const requests = (n: number) => {
    for (let i = 0; i < n; i++) idle.activity();
  };
  return { idle, release, log, requests };
}

describe("idle release", () => {
  it("releases once, in the first quiet interval after a burst", async () => {
    const { release, log, requests } = watch();
    requests(150);
    await vi.advanceTimersByTimeAsync(1000); // the interval with the burst
    expect(release).not.toHaveBeenCalled();
    requests(5); // the burst trails off: not quiet yet
    await vi.advanceTimersByTimeAsync(1000);
    expect(release).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000); // quiet
    expect(release).toHaveBeenCalledTimes(1);
    expect(log[0]).toMatch(/^\[linux-shim\] web: idle after 155 requests and connections: memory released, RSS \d+ -> \d+ MiB/);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(release).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0); // nothing left armed while idle
  });

  it("never releases for steady light traffic (a page refreshing every second)", async () => {
    const { release, requests } = watch();
    for (let second = 0; second < 300; second++) {
      requests(3);
      await vi.advanceTimersByTimeAsync(1000);
    }
    await vi.advanceTimersByTimeAsync(5000);
    expect(release).not.toHaveBeenCalled();
  });

  it("releases at most once every minIntervalMs, the waiting one as soon as it may", async () => {
    const { release, requests } = watch();
    requests(100);
    await vi.advanceTimersByTimeAsync(2000);
    expect(release).toHaveBeenCalledTimes(1);
    const first = Date.now();
    requests(100);
    await vi.advanceTimersByTimeAsync(5000); // quiet again, but too soon
    expect(release).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(release).toHaveBeenCalledTimes(2);
    expect(Date.now() - first).toBeGreaterThanOrEqual(30_000);
  });

  it("logs a failed release and keeps watching", async () => {
    const { release, log, requests } = watch({ minIntervalMs: 1 });
    release.mockRejectedValueOnce(new Error("no inspector"));
    requests(100);
    await vi.advanceTimersByTimeAsync(2000);
    expect(log).toEqual(["[linux-shim] web: idle after a burst: releasing memory failed: no inspector"]);
    requests(100);
    await vi.advanceTimersByTimeAsync(2000);
    expect(release).toHaveBeenCalledTimes(2);
  });

  it("stops with its server", async () => {
    const { idle, release, requests } = watch();
    requests(100);
    idle.stop();
    requests(100);
    await vi.advanceTimersByTimeAsync(5000);
    expect(release).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("is off unless asked for, and checks what it is given", () => {
    expect(resolveIdleRelease(undefined)).toBeUndefined();
    expect(resolveIdleRelease(false)).toBeUndefined();
    expect(resolveIdleRelease(true)).toMatchObject({ minRequests: 200, quietMs: 1000, minIntervalMs: 30_000, release: collectThroughInspector });
    expect(() => resolveIdleRelease({ quietMs: 0 })).toThrow(RangeError);
    expect(() => resolveIdleRelease({ minRequests: 1.5 })).toThrow("[linux-shim] idleRelease.minRequests must be a whole number >= 1, got 1.5");
  });

  it("collects through the inspector: the young generation shrinks back", async () => {
    let keep: unknown[] = [];
    for (let i = 0; i < 400_000; i++) {
      keep.push({ i, s: `x${i}` });
      if (keep.length > 50_000) keep = []; // survivors make V8 grow the young generation
    }
    keep = [];
    const young = () => getHeapSpaceStatistics().find((space) => space.space_name === "new_space")?.space_size ?? 0;
    const grown = young();
    await collectThroughInspector();
    expect(young()).toBeLessThanOrEqual(grown);
    expect(young()).toBeLessThanOrEqual(2 << 20);
  });

  it("runs in the built-in server, after a burst of requests, never on the engines that cannot", async () => {
    const root = await mkdtemp(join(tmpdir(), "v8r-idle-"));
    await writeFile(join(root, "index.html"), "hello");
    let released = 0;
    const server = await startWebServer({ root, port: 0, idleRelease: { minRequests: 5, quietMs: 50, release: () => void released++ } });
    try {
      await Promise.all(Array.from({ length: 40 }, async () => (await fetch(server.url)).text()));
      await vi.waitFor(() => expect(released).toBe(1), { timeout: 10_000, interval: 20 });
    } finally {
      await server.close();
      await rm(root, { recursive: true, force: true });
    }
    await expect(startWebServer({ root, port: 0, engine: "nginx", idleRelease: true })).rejects.toThrow("[linux-shim] idleRelease needs the builtin engine, not nginx");
  });
});
