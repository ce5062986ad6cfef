import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { start } from "../apps/rpmsg-remote.ts";
import { createFakePair } from "./_fake-domain.ts";
import { ScriptedHost } from "./_scripted-host.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe("the rpmsg-remote guest image", () => {
  it("with rootfs=DIR writes the status files into that host directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "v8r-rootfs-"));
    dirs.push(dir);
    const pair = createFakePair({ ports: [0xa], bootargsB: `console=hvc0 rootfs=${dir}` });
    await start(pair.b.ctx);
    const host = await ScriptedHost.create(pair.a);
    await pair.clock.run(200);
    host.sendSample(0, "cafef00d", { thr: [["idle", "ready", 1.5]] });
    await pair.clock.run(300);
    const html = join(dir, "usr/share/nginx/html");
    for (let i = 0; i < 100 && !(await readdir(html)).includes("zephyr-status.json"); i++) await new Promise((r) => setTimeout(r, 5));
    const json = JSON.parse(await readFile(join(html, "zephyr-status.json"), "utf8")) as Record<string, unknown>;
    expect(JSON.stringify(json)).toContain("cafef00d");
    expect(await readFile(join(html, "zephyr-status.html"), "utf8")).toContain("idle");
    expect(pair.b.output()).toContain("Mounted root (hostfs filesystem)");
  });

  it("without rootfs= keeps the root filesystem in memory and boots to the shell with autorun=0", async () => {
    const pair = createFakePair({ ports: [0xa], bootargsB: "autorun=0" });
    await start(pair.b.ctx);
    expect(pair.b.output()).toContain("Mounted root (tmpfs filesystem)");
    expect(pair.b.output()).toContain("autorun is off");
    expect(pair.b.output().endsWith("root@v8r64-linux:~# ")).toBe(true);
  });
});
