import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startLimitedChild } from "../test/_limited-child.ts";
import { describeRootFs } from "../test/rootfs-conformance.ts";
import { NodeRootFs } from "./rootfs-node.ts";

async function tempRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), "v8r-rootfs-"));
}

describeRootFs("NodeRootFs", async () => {
  const dir = await tempRoot();
  return { fs: new NodeRootFs(dir), dispose: () => rm(dir, { recursive: true, force: true }) };
});

describe("NodeRootFs", () => {
  it("maps guest paths under the host directory", async () => {
    const dir = await tempRoot();
    const fs = new NodeRootFs(dir);
    expect(fs.hostPath("/usr/share/../share/nginx")).toBe(join(dir, "usr/share/nginx"));
    expect(fs.hostPath("/../../etc/passwd")).toBe(join(dir, "etc/passwd"));
    await rm(dir, { recursive: true });
  });

  it("refuses a symbolic link that leads outside the root", async () => {
    const dir = await tempRoot();
    const outside = await tempRoot();
    await writeFile(join(outside, "secret"), "s3cret");
    await symlink(outside, join(dir, "escape"));
    const fs = new NodeRootFs(dir);
    await expect(fs.readText("/escape/secret")).rejects.toMatchObject({ code: "EACCES" });
    await expect(fs.writeText("/escape/new", "x")).rejects.toMatchObject({ code: "EACCES" });
    expect(await fs.exists("/escape/secret")).toBe(false);
    await rm(dir, { recursive: true });
    await rm(outside, { recursive: true });
  });

  it("follows a symbolic link that stays inside the root", async () => {
    const dir = await tempRoot();
    await mkdir(join(dir, "real"));
    await writeFile(join(dir, "real", "f"), "inside");
    await symlink(join(dir, "real"), join(dir, "alias"));
    expect(await new NodeRootFs(dir).readText("/alias/f")).toBe("inside");
    await rm(dir, { recursive: true });
  });

  it("says which host directory is missing", async () => {
    const fs = new NodeRootFs("/nonexistent/v8r-root");
    await expect(fs.readText("/x")).rejects.toThrow("[linux-shim] read /x: the root directory /nonexistent/v8r-root does not exist");
  });
});

describe("NodeRootFs out of file descriptors", () => {
  it("retries a write while no descriptor is free and counts the retries (regression: status writes were skipped)", async () => {
    const dir = await tempRoot();
    const child = startLimitedChild("./_emfile-child.ts", 64, [dir, "10000", "release"]);
    const report = await child.next<{ result: string; retries: number }>();
    await child.exit();
    expect(report.result).toBe("ok");
    expect(report.retries).toBeGreaterThan(0);
    expect(await readFile(join(dir, "status.txt"), "utf8")).toBe("written");
    await rm(dir, { recursive: true });
  });

  it("fails loudly with EMFILE when descriptors stay taken past descriptorRetryMs", async () => {
    const dir = await tempRoot();
    const child = startLimitedChild("./_emfile-child.ts", 64, [dir, "300", "hold"]);
    const report = await child.next<{ result: string; retries: number }>();
    await child.exit();
    expect(report.result).toMatch(/^EMFILE: \[linux-shim\] write \/status\.txt: no file descriptor free in this process/);
    expect(report.retries).toBeGreaterThan(1);
    await rm(dir, { recursive: true });
  });
});

describe("NodeRootFs mkdir { recursive }", () => {
  it("makes every missing component and accepts existing directories, refusing a file in the way", async () => {
    const dir = await tempRoot();
    try {
      const fs = new NodeRootFs(dir);
      await fs.mkdir("/usr/share/nginx/html", { recursive: true });
      await fs.mkdir("/usr/share/nginx/html", { recursive: true });
      expect((await fs.stat("/usr/share/nginx/html")).kind).toBe("directory");
      await fs.writeFile("/usr/file", new Uint8Array([1]));
      await expect(fs.mkdir("/usr/file", { recursive: true })).rejects.toMatchObject({ code: "EEXIST" });
      await expect(fs.mkdir("/usr/file/below", { recursive: true })).rejects.toMatchObject({ code: "ENOTDIR" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("ends with an error on a root under /proc, where Node's own recursive mkdir never returns", async () => {
    const fs = new NodeRootFs("/proc/self");
    await expect(fs.mkdir("/usr/share/nginx/html", { recursive: true })).rejects.toMatchObject({ code: expect.any(String) });
  });
});
