import type { Stats } from "node:fs";
import { describe, expect, it } from "vitest";
import { FileVersions, identityOf, safeLastModified, settled, SETTLE_MS, type FileVersion } from "./_file-versions.ts";

function st(mtimeMs: number, ctimeMs = mtimeMs, size = 10, ino = 7): Stats {
  return { dev: 1, ino, size, mtimeMs, ctimeMs } as Stats;
}

function version(bytes: number): FileVersion {
  return { body: Buffer.alloc(bytes), etag: `"${bytes}"`, lastModifiedMs: undefined, lastModified: undefined };
}

describe("file versions", () => {
  it("gives Last-Modified only once the second it names is over", () => {
    const mtime = 1_700_000_000_400;
    expect(safeLastModified(st(mtime), 1_700_000_000_900)).toBeUndefined(); // a change later in this second would keep the date
    expect(safeLastModified(st(mtime), 1_700_000_001_000)).toBeUndefined(); // not before the file system's clock has surely moved on
    expect(safeLastModified(st(mtime), 1_700_000_001_000 + SETTLE_MS)).toBe(1_700_000_000_000);
  });

  it("trusts an identity only once its change time is SETTLE_MS old", () => {
    expect(settled(st(1000, 1000), 1000 + SETTLE_MS - 1)).toBe(false);
    expect(settled(st(1000, 1000), 1000 + SETTLE_MS)).toBe(true);
    expect(identityOf(st(1000, 1000.25))).not.toBe(identityOf(st(1000, 1000.5)));
  });

  it("keeps settled versions within its bounds, least recently used out first", () => {
    const versions = new FileVersions(2, 100);
    const keep = (name: string, bytes: number, may = true, identity = name) => {
      const v = version(bytes);
      versions.remember(name, { version: v, identity, keep: may });
      return v;
    };
    const a = keep("a", 10);
    keep("a", 10); // already kept: the first stays
    expect(versions.kept("a", "a")).toBe(a);
    keep("b", 10);
    expect(versions.kept("a", "a")).toBe(a); // touch a: b is now the least recently used
    keep("c", 10);
    expect(versions.kept("a", "a")).toBe(a);
    expect(versions.kept("b", "b")).toBeUndefined(); // dropped for c
    expect(versions.kept("c", "c")).toBeDefined();
    keep("big", 200); // over maxBytes: never kept
    expect(versions.kept("big", "big")).toBeUndefined();
    keep("unsettled", 10, false); // a read that may not be kept
    expect(versions.kept("unsettled", "unsettled")).toBeUndefined();
    expect(versions.kept("c", "c")).toBeDefined();
  });

  it("keeps one version per name: a new one replaces the old, which is no longer found", () => {
    const versions = new FileVersions(64, 1 << 20);
    for (let i = 0; i < 100; i++) versions.remember("/status.html", { version: version(1000), identity: `v${i}`, keep: true });
    expect(versions.size).toEqual({ entries: 1, bytes: 1000 });
    expect(versions.kept("/status.html", "v98")).toBeUndefined();
    expect(versions.kept("/status.html", "v99")).toBeDefined();
    expect(versions.kept("/other.html", "v99")).toBeUndefined();
  });
});
