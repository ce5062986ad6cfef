// Health that is computed, and counters kept by whoever outlives the event:
// both apps on the real hypervisor (inline, VirtualClock).
import { MemoryRootFs } from "@v8r/linux-shim";
import { afterEach, describe, expect, it } from "vitest";
import { runRpmsgRemote } from "../linux-rpmsg-remote/mod.ts";
import type { StatusJson } from "../linux-rpmsg-remote/status-page.ts";
import { HISTORY_STATE_FILE } from "../linux-rpmsg-remote/_history-store.ts";
import { bootDemoSystem, type DemoSystem } from "./_demo-system.ts";

let sys: DemoSystem | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

/** Linux's root filesystem, the same one for every instance (as the demo's host directory is). */
function persistentRootfs(): MemoryRootFs {
  return new MemoryRootFs();
}

async function statusOf(fs: MemoryRootFs): Promise<StatusJson> {
  return JSON.parse(await fs.readText("/usr/share/nginx/html/zephyr-status.json")) as StatusJson;
}

describe("the status page after Zephyr goes away", () => {
  it("is rewritten every period and marked stale (page and JSON) after three periods without a sample", async () => {
    const fs = persistentRootfs();
    sys = await bootDemoSystem({ linux: (ctx) => runRpmsgRemote(ctx, { rootfs: fs }) });
    const s = sys;
    await s.run(5000);
    await s.remote().service?.flush();
    expect(await statusOf(fs)).toMatchObject({ stale: false, link: "bound" });
    await s.xen.destroy("zephyr");
    const destroyedAt = s.clock.now();
    await s.run(2500);
    await s.remote().service?.flush();
    const early = await statusOf(fs);
    expect(early.stale).toBe(false);
    expect(early.writtenMs).toBeGreaterThan(destroyedAt + 1000); // rewritten with no sample coming
    await s.run(1500);
    await s.remote().service?.flush();
    const json = await statusOf(fs);
    expect(json).toMatchObject({ stale: true, staleAfterMs: 3000 });
    expect(json.ageMs).toBeGreaterThan(3000);
    const html = await fs.readText("/usr/share/nginx/html/zephyr-status.html");
    expect(html).toMatch(/<div id="stale-banner" class="banner" role="status">No status sample from Zephyr for/);
  });
});

describe("counters across a Linux restart", () => {
  it("a restarted Linux takes up its counters from its root filesystem and goes on counting the same Zephyr boot", async () => {
    const fs = persistentRootfs();
    sys = await bootDemoSystem({ linux: (ctx) => runRpmsgRemote(ctx, { rootfs: fs }) });
    const s = sys;
    await s.run(10_000);
    await s.remote().service?.flush();
    const before = await statusOf(fs);
    expect(before.counters.received).toBeGreaterThanOrEqual(9);
    expect(await fs.exists(HISTORY_STATE_FILE)).toBe(true);
    await s.xen.restart("linux");
    await s.run(10_000);
    await s.remote().service?.flush();
    const after = await statusOf(fs);
    expect(after.counters.received).toBeGreaterThan(before.counters.received + 5);
    expect(after.counters.restarts).toBe(0); // the same Zephyr boot all along
    expect(after.boots.map((b) => b.boot)).toEqual(before.boots.map((b) => b.boot));
    expect(s.consoles.linux.text()).toContain(`took up the counters of the previous instance: ${before.counters.received} sample(s) received`);
    expect(s.xen.list().find((d) => d.name === "linux")).toMatchObject({ restarts: 1 });
  });

  it("ignores a saved state that is not one", async () => {
    const fs = persistentRootfs();
    await fs.mkdir("/var/lib/rpmsg-demo", { recursive: true });
    await fs.writeText(HISTORY_STATE_FILE, `{"v":1,"counters":{"received":"lots"}}`);
    sys = await bootDemoSystem({ linux: (ctx) => runRpmsgRemote(ctx, { rootfs: fs }) });
    await sys.run(3000);
    await sys.remote().service?.flush();
    expect((await statusOf(fs)).counters.received).toBeLessThanOrEqual(3);
  });
});
