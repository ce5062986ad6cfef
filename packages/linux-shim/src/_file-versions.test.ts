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

  it("keeps settled versions within its bounds, least recently used out first, and shares a load", async () => {
    const versions = new FileVersions(2, 100);
    let loads = 0;
    const load = (identity: string, bytes: number) => async () => {
      loads++;
      return { version: version(bytes), identity, keep: true };
    };
    const [a, b] = await Promise.all([versions.shared("a", load("a", 10)), versions.shared("a", load("a", 10))]);
    expect(a).toBe(b);
    expect(loads).toBe(1);
    await versions.shared("b", load("b", 10));
    versions.shared("a", load("a", 10)); // touch a: b is now the least recently used
    await versions.shared("c", load("c", 10));
    expect(versions.shared("a", load("a", 10))).toBe(a); // still kept, no load
    expect(loads).toBe(3);
    await versions.shared("b", load("b", 10)); // dropped: loaded again
    expect(loads).toBe(4);
    await versions.shared("big", load("big", 200)); // over maxBytes: never kept
    await versions.shared("big", load("big", 200));
    expect(loads).toBe(6);
  });
});
