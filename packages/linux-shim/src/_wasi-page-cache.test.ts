// The page cache between WASI programs and the Linux root filesystem: what
// reaches the file system, in which order, and what a reader of the real file
// sees meanwhile (the host's writes are held back by a gate where a test needs
// the cache to have work pending).
import { describe, expect, it } from "vitest";
import { VirtualClock } from "@v8r/fvp-core";
import { PageCache, sharedPageCache } from "./_wasi-page-cache.ts";
import { MemoryRootFs } from "./rootfs-memory.ts";
import { type RootFs, RootFsError } from "./rootfs.ts";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const PAGE = "/srv/www/page.html";
const TMP = "/srv/www/.page.tmp";

/** `fs` recording each call ("method path [text]"), failing writes of *.fail (EIO), and holding writes while `gate` is shut. */
function recorded(): { fs: RootFs; inner: MemoryRootFs; calls: string[]; pages: string[]; shut(): void; open(): void } {
  const inner = new MemoryRootFs();
  const calls: string[] = [];
  const pages: string[] = [];
  let gate: Promise<void> | undefined;
  let release = (): void => {};
  const fs = new Proxy(inner, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]): Promise<unknown> => {
        const data = args[1] instanceof Uint8Array ? ` ${new TextDecoder().decode(args[1])}` : "";
        calls.push(`${String(key)} ${String(args[0])}${data}`);
        if (key === "writeFile" && gate !== undefined) await gate;
        if (key === "writeFile" && String(args[0]).endsWith(".fail")) throw new RootFsError("EIO", String(args[0]), `[test] writing ${String(args[0])}: the disk is full`);
        const r: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        // what a reader of the real page sees after every call
        if (await target.exists(PAGE)) pages.push(await target.readText(PAGE));
        return r;
      };
    },
  });
  return {
    fs,
    inner,
    calls,
    pages,
    shut: () => void (gate = new Promise((r) => (release = r))),
    open: () => {
      gate = undefined;
      release();
    },
  };
}

describe("the WASI programs' page cache", () => {
  it("coalesces: versions of a page written while the first one is on its way reach the file system once, the latest", async () => {
    const r = recorded();
    await r.inner.mkdir("/srv/www", { recursive: true });
    const cache = new PageCache(r.fs, { background: (w) => w, log: () => undefined });
    r.shut();
    for (let i = 1; i <= 5; i++) {
      cache.put(TMP, text(`<p>${i}</p>`));
      cache.move(TMP, PAGE);
      if (i === 1) await Promise.resolve(); // the write-back takes the first one now
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(r.calls).toEqual([`writeFile ${TMP} <p>1</p>`]);
    r.open();
    await cache.flush();
    expect(r.calls).toEqual([`writeFile ${TMP} <p>1</p>`, `rename ${TMP}`, `writeFile ${TMP} <p>5</p>`, `rename ${TMP}`]);
    expect(await r.inner.readText(PAGE)).toBe("<p>5</p>");
    expect(await r.inner.exists(TMP)).toBe(false);
  });

  it("reads its writes: the latest content of a file, and that a file renamed away is gone, before the write-back", async () => {
    const r = recorded();
    await r.inner.mkdir("/srv/www", { recursive: true });
    await r.inner.writeText(PAGE, "old");
    const cache = new PageCache(r.fs, { background: (w) => w, log: () => undefined });
    r.shut();
    cache.put(TMP, text("new"));
    cache.move(TMP, PAGE);
    expect(new TextDecoder().decode(cache.lookup(PAGE) ?? undefined)).toBe("new");
    expect(cache.lookup(TMP)).toBeNull();
    expect(cache.lookup("/srv/www/other")).toBeUndefined();
    expect(await r.inner.readText(PAGE)).toBe("old");
    r.open();
    await cache.flush();
    expect(await r.inner.readText(PAGE)).toBe("new");
    // written back, it stays cached: reads answer the same, from memory
    expect(new TextDecoder().decode(cache.lookup(PAGE) ?? undefined)).toBe("new");
  });

  it("renames atomically and in order: each page lands whole, after the writes before it", async () => {
    const r = recorded();
    await r.inner.mkdir("/srv/www", { recursive: true });
    await r.inner.writeText(PAGE, "<p>0</p>");
    const cache = new PageCache(r.fs, { background: (w) => w, log: () => undefined });
    cache.put("/srv/www/a", text("a"));
    cache.put(TMP, text("<p>1</p>"));
    cache.move(TMP, PAGE);
    cache.put("/srv/www/b", text("b"));
    await cache.flush();
    expect(r.calls).toEqual(["writeFile /srv/www/a a", `writeFile ${TMP} <p>1</p>`, `rename ${TMP}`, "writeFile /srv/www/b b"]);
    // the real page: the old one, then the new one, never missing, empty or partial
    expect(r.pages).toEqual(["<p>0</p>", "<p>0</p>", "<p>1</p>", "<p>1</p>"]);
    // a removal is written back as one
    cache.remove("/srv/www/a");
    await cache.flush();
    expect(r.calls.slice(4)).toEqual(["rm /srv/www/a"]);
    expect(await r.inner.exists("/srv/www/a")).toBe(false);
  });

  it("keeps a failed write-back for the next fsync (once) and logs it; the path reads as the file system has it", async () => {
    const r = recorded();
    await r.inner.mkdir("/srv/www", { recursive: true });
    const logged: string[] = [];
    const cache = new PageCache(r.fs, { background: (w) => w, log: (l) => logged.push(l) });
    cache.put("/srv/www/x.fail", text("lost"));
    cache.put("/srv/www/ok", text("kept"));
    await cache.flush();
    expect(logged).toEqual([expect.stringMatching(/^VFS: lost async page write of \/srv\/www\/x\.fail: \[test\] writing .*the disk is full$/)]);
    const err = cache.takeError("/srv/www/x.fail");
    expect(err).toBeInstanceOf(RootFsError);
    expect((err as RootFsError).code).toBe("EIO");
    expect(cache.takeError("/srv/www/x.fail")).toBeUndefined();
    expect(cache.lookup("/srv/www/x.fail")).toBeUndefined();
    expect(await r.inner.readText("/srv/www/ok")).toBe("kept");
  });

  it("writes back in the virtual clock's background: a run goes on meanwhile and ends only once everything is written (flush at the end)", async () => {
    const r = recorded();
    await r.inner.mkdir("/srv/www", { recursive: true });
    const clock = new VirtualClock();
    const cache = new PageCache(r.fs, { background: (w) => clock.background(w), log: () => undefined });
    r.shut();
    let ticks = 0;
    clock.setInterval(() => ticks++, 1000);
    cache.put(TMP, text("<p>last</p>"));
    cache.move(TMP, PAGE);
    const running = clock.run(10_000);
    while (ticks < 10) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await r.inner.exists(PAGE)).toBe(false); // the simulation ran on while the write waits
    r.open();
    await running;
    expect(await r.inner.readText(PAGE)).toBe("<p>last</p>");
    expect(clock.backgroundPending()).toBe(0);
  });

  it("holds content up to its limit: over it, once everything is written back, it starts empty again", async () => {
    const r = recorded();
    await r.inner.mkdir("/srv/www", { recursive: true });
    const cache = new PageCache(r.fs, { background: (w) => w, log: () => undefined, limitBytes: 10 });
    cache.put("/srv/www/a", text("12345"));
    cache.put("/srv/www/b", text("12345"));
    expect(cache.full).toBe(false);
    cache.put("/srv/www/a", text("123456")); // a newer version replaces the older one's bytes
    expect(cache.full).toBe(true);
    cache.shrink(); // not yet: the write-back has not run
    expect(cache.lookup("/srv/www/a")).not.toBeUndefined();
    await cache.flush();
    cache.shrink();
    expect(cache.full).toBe(false);
    expect(cache.lookup("/srv/www/a")).toBeUndefined();
    expect(await r.inner.readText("/srv/www/a")).toBe("123456");
  });

  it("is one per root filesystem while a program uses it: a restarted Linux's program over the same host directory shares it, a later one reads the file system anew", async () => {
    const o = { background: <T>(w: Promise<T>): Promise<T> => w, log: (): void => undefined };
    const host = (inner: MemoryRootFs, dir: string): RootFs => Object.assign(inner, { hostPath: (p: string) => `${dir}${p}` });
    const disk = new MemoryRootFs();
    await disk.mkdir("/srv/www", { recursive: true });
    const first = sharedPageCache(disk, host(disk, "/tmp/rootfs-x"), o);
    first.cache.put(PAGE, text("first"));
    // the restarted Linux's program starts while the first one still runs: the same cache, its files as the first left them
    const second = sharedPageCache(disk, host(new MemoryRootFs(), "/tmp/rootfs-x"), o);
    expect(second.cache).toBe(first.cache);
    expect(new TextDecoder().decode(second.cache.lookup(PAGE) ?? undefined)).toBe("first");
    expect(sharedPageCache(disk, host(new MemoryRootFs(), "/tmp/rootfs-y"), o).cache).not.toBe(first.cache);
    await first.release();
    await first.release(); // once per use
    const third = sharedPageCache(disk, host(new MemoryRootFs(), "/tmp/rootfs-x"), o);
    expect(third.cache).toBe(first.cache);
    await third.release();
    await second.release();
    expect(await disk.readText(PAGE)).toBe("first");
    // every program done: forgotten; a later program reads what the file system has (changed behind its back)
    await disk.writeText(PAGE, "changed");
    const later = sharedPageCache(disk, host(new MemoryRootFs(), "/tmp/rootfs-x"), o);
    expect(later.cache).not.toBe(first.cache);
    expect(later.cache.lookup(PAGE)).toBeUndefined();
    // a file system that is no host directory: one cache per object
    const a = new MemoryRootFs();
    expect(sharedPageCache(a, a, o).cache).toBe(sharedPageCache(a, a, o).cache);
    expect(sharedPageCache(a, a, o).cache).not.toBe(sharedPageCache(new MemoryRootFs(), new MemoryRootFs(), o).cache);
  });
});
