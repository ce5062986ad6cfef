import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bootDemoSystem, type DemoSystem } from "../../test/_demo-system.ts";
import { start } from "../mod.ts";

const dirs: string[] = [];
const systems: DemoSystem[] = [];
afterEach(async () => {
  for (const s of systems.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function boot(linuxArgs: string): Promise<DemoSystem> {
  const sys = await bootDemoSystem({ linuxArgs, linux: (ctx) => start(ctx) });
  systems.push(sys);
  return sys;
}

describe("the rpmsg-remote guest image", () => {
  it("with rootfs=DIR writes the status files into that host directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "v8r-rootfs-"));
    dirs.push(dir);
    const sys = await boot(`console=hvc0 rootfs=${dir}`);
    await sys.run(1_100);
    const html = join(dir, "usr/share/nginx/html");
    for (let i = 0; i < 100 && !(await readdir(html)).includes("zephyr-status.json"); i++) await new Promise((r) => setTimeout(r, 5));
    const json = JSON.parse(await readFile(join(html, "zephyr-status.json"), "utf8")) as { latest?: { boot?: string } };
    expect(json.latest?.boot).toBe(sys.host().boot);
    expect(await readFile(join(html, "zephyr-status.html"), "utf8")).toContain("idle");
    expect(sys.consoles.linux.text()).toContain("Mounted root (hostfs filesystem)");
  });

  it("without rootfs= keeps the root filesystem in memory and boots to the shell with autorun=0", async () => {
    const sys = await boot("autorun=0");
    await sys.run(10);
    expect(sys.consoles.linux.text()).toContain("Mounted root (tmpfs filesystem)");
    expect(sys.consoles.linux.text()).toContain("autorun is off");
    expect(sys.xen.console("linux").pending()).toBe("root@v8r64-linux:~# ");
  });
});
