import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSymlinkSwapper } from "../test/_symlink-swapper.ts";
import { createRootGuard, openInRoot, type RootCheckMode } from "./_open-in-root.ts";

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "v8r-open-in-root-"));
  root = join(base, "html");
  await mkdir(join(root, "sub"), { recursive: true });
  await writeFile(join(base, "secret.txt"), "TOP-SECRET");
  await writeFile(join(root, "sub", "page.txt"), "page");
  await writeFile(join(root, ".hidden"), "hidden");
  await symlink(join(root, "sub", "page.txt"), join(root, "alias.txt"));
  await symlink(join(base, "secret.txt"), join(root, "leak.txt"));
  await symlink(join(root, ".hidden"), join(root, "to-hidden.txt"));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function contentOf(mode: RootCheckMode, path: string): Promise<string | undefined> {
  const opened = await openInRoot(await createRootGuard(root, mode), path);
  if (opened === undefined) return undefined;
  try {
    return (await opened.handle.readFile()).toString("utf8");
  } finally {
    await opened.handle.close();
  }
}

describe("openInRoot", () => {
  it("uses the kernel's name for descriptors on Linux", async () => {
    expect((await createRootGuard(root)).mode).toBe(process.platform === "linux" ? "proc" : "walk");
  });

  describe.each(["proc", "walk"] as const)("(%s)", (mode) => {
    it.each([
      ["sub/page.txt", "page"],
      ["alias.txt", "page"],
      ["leak.txt", undefined],
      ["to-hidden.txt", undefined],
      ["missing.txt", undefined],
    ])("%s -> %s", async (rel, expected) => {
      expect(await contentOf(mode, join(root, rel))).toBe(expected);
    });

    it("never opens a file outside while a name flips between a file and a link leading out", async () => {
      const guard = await createRootGuard(root, mode);
      const name = join(root, "flip.txt");
      const swapper = startSymlinkSwapper({ kind: "file", name, inside: "inside", outside: join(base, "secret.txt") });
      const seen = new Map<string, number>();
      try {
        // as many opens as it takes to overlap a good number of swaps, however busy the machine
        // until both sides were seen, however busy the machine: the race must really have been run
        for (let i = 0; i < 1000 || swapper.swaps() < 500 || !seen.has("inside"); i++) {
          const opened = await openInRoot(guard, name);
          const text = opened === undefined ? "refused" : (await opened.handle.readFile()).toString("utf8");
          await opened?.handle.close();
          seen.set(text, (seen.get(text) ?? 0) + 1);
        }
      } finally {
        expect(await swapper.stop()).toBeGreaterThan(100);
      }
      expect(seen.has("TOP-SECRET")).toBe(false);
      expect(seen.get("inside") ?? 0).toBeGreaterThan(0);
    }, 120_000);
  });
});
