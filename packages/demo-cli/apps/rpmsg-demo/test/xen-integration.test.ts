/**
 * Both guest images of the rpmsg-demo application on the real hypervisor,
 * as a dom0less device tree names them: bootXen with two domains, inline on
 * a VirtualClock and each in its own Worker on real time.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPlatform, FVP_BaseR_AEMv8R, InlineExecutor, MemorySink, RealClock, VirtualClock } from "@v8r/fvp-core";
import { nodeWorkerExecutor } from "@v8r/fvp-core/node";
import { bootXen } from "@v8r/xen-dom0less";
import { afterEach, describe, expect, it } from "vitest";
import type { StatusJson } from "../linux-rpmsg-remote/mod.ts";
import { demoDts, loadDts } from "./_demo-system.ts";

const IMAGE = new URL("../linux-rpmsg-remote/mod.ts", import.meta.url).href;
const HOST = new URL("../zephyr-rpmsg-host/mod.ts", import.meta.url).href;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function bootSystem(mode: "inline" | "worker", hostArgs = "period_ms=100 seed=1") {
  const dir = await mkdtemp(join(tmpdir(), "v8r-rpmsg-demo-xen-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 25 }));
  const clock = mode === "inline" ? new VirtualClock() : new RealClock();
  const executor = mode === "inline" ? new InlineExecutor() : nodeWorkerExecutor({ stopTimeoutMs: 500 });
  const platform = createPlatform(FVP_BaseR_AEMv8R, { clock, executor });
  const linuxConsole = new MemorySink();
  const config = loadDts(demoDts({ image: HOST, bootargs: hostArgs }, { image: IMAGE, bootargs: `console=hvc0 rootfs=${dir}` }));
  const xen = await bootXen(platform, config);
  xen.console("linux").attach(linuxConsole, { replay: true }); // a Worker guest may print before this line runs
  cleanups.push(async () => {
    await xen.shutdown();
    await platform.shutdown();
  });
  const statusJson = join(dir, "usr/share/nginx/html/zephyr-status.json");
  const readStatus = async (): Promise<StatusJson | undefined> => {
    try {
      return JSON.parse(await readFile(statusJson, "utf8")) as StatusJson;
    } catch {
      return undefined;
    }
  };
  /** Run (virtual or real time) until `pred` holds for the status file, up to `maxMs`. */
  const until = async (pred: (s: Awaited<ReturnType<typeof readStatus>>) => boolean, maxMs: number) => {
    for (let t = 0; t < maxMs; t += 50) {
      if (clock instanceof VirtualClock) await clock.run(clock.now() + 50);
      await new Promise((r) => setTimeout(r, mode === "inline" ? 1 : 50));
      const s = await readStatus();
      if (pred(s)) return s;
    }
    throw new Error(`status never matched; last: ${JSON.stringify(await readStatus())}; linux console:\n${linuxConsole.text()}`);
  };
  return { xen, dir, linuxConsole, until, clock };
}

describe.each(["inline", "worker"] as const)("rpmsg-host and rpmsg-remote under bootXen (%s)", (mode) => {
  it("boots Linux, binds the link and writes the status page into the rootfs directory", async () => {
    const sys = await bootSystem(mode);
    // a cap, not a wait: Workers on a loaded machine take their time to boot
    const s = await sys.until((st) => (st?.counters.received ?? 0) >= 5 && st?.link === "bound", mode === "worker" ? 40_000 : 10_000);
    expect(s?.link).toBe("bound");
    const text = sys.linuxConsole.text();
    expect(text).toContain("Booting Linux on physical CPU");
    expect(text).toContain('xen,id "rpmsg-shm"');
    expect(text).toContain("rpmsg-remote: endpoint rpmsg-demo bound");
    const boot = s?.latest?.boot ?? "missing";
    expect(boot).toMatch(/^[0-9a-f]{8}$/);
    expect(await readFile(join(sys.dir, "usr/share/nginx/html/zephyr-status.html"), "utf8")).toContain(`boot ${boot}`);
  }, 60_000);
});

describe("rpmsg-host and rpmsg-remote under bootXen (inline)", () => {
  it("re-attaches when the Zephyr domain restarts, without restarting Linux", async () => {
    const sys = await bootSystem("inline", "period_ms=100");
    await sys.until((st) => (st?.counters.received ?? 0) >= 3, 5_000);
    await sys.xen.restart("zephyr");
    const s = await sys.until((st) => (st?.counters.restarts ?? 0) >= 1 && st?.link === "bound", 10_000);
    expect(s?.counters.restarts).toBe(1);
    expect(sys.linuxConsole.text()).toContain("bound again (re-attached)");
    expect(sys.linuxConsole.text().match(/Booting Linux/g)).toHaveLength(1);
  });
});
