import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareRootfs } from "./_rootfs-prep.ts";
import { UsageError } from "./usage-error.ts";

const HTML = "usr/share/nginx/html";
const fresh = (): string => mkdtempSync(join(tmpdir(), "v8r-rootfs-prep-"));

describe("prepareRootfs", () => {
  it("creates the missing directories, in a rootfs that does not exist yet too", async () => {
    const root = join(fresh(), "new", "rootfs");
    expect(await prepareRootfs(root, HTML)).toEqual({ removed: [] });
    expect(readdirSync(join(root, HTML))).toEqual([]); // the probe is gone
  });

  it("removes the hidden temporary files a killed run left, and nothing else", async () => {
    const root = fresh();
    const html = join(root, HTML);
    mkdirSync(html, { recursive: true });
    const names = [".zephyr-status.html.0a1b2c3d4e5f.tmp", ".zephyr-status.json.tmp", "zephyr-status.html", "notes.tmp", ".hidden"];
    for (const n of names) writeFileSync(join(html, n), "x");
    mkdirSync(join(html, ".dir.tmp"));
    const { removed } = await prepareRootfs(root, HTML);
    expect(removed.map((p) => p.slice(html.length + 1)).sort()).toEqual([".zephyr-status.html.0a1b2c3d4e5f.tmp", ".zephyr-status.json.tmp"]);
    expect(readdirSync(html).sort()).toEqual([".dir.tmp", ".hidden", "notes.tmp", "zephyr-status.html"]);
  });

  it.each([
    ["/proc/self (regression: Node's recursive mkdir never returned)", () => "/proc/self", /creating \/proc\/self\/usr failed \(ENOENT/],
    ["a regular file", () => {
      const f = join(fresh(), "file");
      writeFileSync(f, "");
      return f;
    }, /reading \S+\/file\/usr\/share\/nginx\/html failed \(ENOTDIR/],
    ["a tree whose web root is a file", () => {
      const root = fresh();
      mkdirSync(join(root, "usr/share/nginx"), { recursive: true });
      writeFileSync(join(root, HTML), "");
      return root;
    }, /using \S+\/usr\/share\/nginx\/html as a directory failed \(not a directory\)/],
    ["a path under a regular file", () => {
      const f = join(fresh(), "file");
      writeFileSync(f, "");
      return join(f, "below");
    }, /reading \S+\/file\/below\S* failed \(ENOTDIR/],
  ])("refuses %s with a UsageError that names it and says what to do", async (_what, make, reason) => {
    const root = make();
    const err = await prepareRootfs(root, HTML).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(new RegExp(`^\\[v8r-demo\\] the root filesystem ${root.replace(/[/.]/g, "\\$&")} \\(--rootfs\\) cannot hold the Linux files: `));
    expect((err as Error).message).toMatch(reason);
    expect((err as Error).message).toMatch(/give --rootfs a directory you can write, or leave it out for a fresh temporary one$/);
  });
});
