// End to end: health is computed, not remembered, and counters are kept by
// whoever outlives the event. A destroyed Zephyr shows as such on every view
// (real time, Workers), the page goes stale after a destroy in simulated time
// too, and a fault run's summary matches its console log.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DashboardSnapshot } from "../src/dashboard/snapshot.ts";
import { runXl } from "../src/control-client.ts";
import { type DemoProcess, eventually, readStatus, runDemoToEnd, servedPort, spawnDemo, tempDir } from "./_spawn-demo.ts";

describe("after xl destroy zephyr (real time, Workers)", () => {
  let demo: DemoProcess;
  let base: string;
  const snapshot = async (): Promise<DashboardSnapshot> => (await (await fetch(`${base}/api/snapshot`)).json()) as DashboardSnapshot;

  beforeAll(async () => {
    demo = spawnDemo(["--port", "0"]);
    // bounds for a loaded machine (booting two Workers takes a few seconds when idle)
    base = `http://127.0.0.1:${await servedPort(demo, 45_000)}`;
    await demo.waitFor(/linux {2}\| rpmsg-remote: first sample from Zephyr boot [0-9a-f]{8}/, 45_000);
  }, 95_000);

  afterAll(() => demo.kill());

  it("before: the dashboard shows the link up from evidence, and the page is fresh", async () => {
    // the page on disk may lag the console line on a loaded machine (its write-back is in the background): wait for both
    let boot: string | undefined;
    const s = await eventually("the link up on the dashboard with a reading of its rates, and Zephyr's boot on the page and the timeline", 10_000, async () => {
      const x = await snapshot();
      boot = readStatus(demo.rootfs).json.boots[0]?.boot;
      const first = x.timeline?.some((e) => e.text === `first sample from Zephyr boot ${boot}`) === true;
      return x.link.state === "up" && (x.rates?.length ?? 0) > 0 && boot !== undefined && first ? x : undefined;
    });
    expect(s.domains.map((d) => [d.name, d.state])).toEqual([["zephyr", "running"], ["linux", "running"]]);
    expect(s.rates?.length).toBeGreaterThan(0);
    expect(s.timeline?.map((e) => e.text)).toContain(`first sample from Zephyr boot ${boot}`);
    expect(readStatus(demo.rootfs).json).toMatchObject({ stale: false, link: "bound" });
  }, 15_000);

  it("the dashboard shows zephyr destroyed and the link down within one period; the timeline says who did it", async () => {
    await runXl({ action: "destroy", domain: "zephyr" }, { env: { XDG_RUNTIME_DIR: demo.runtimeDir } });
    const t0 = performance.now();
    const s = await eventually("zephyr destroyed on the dashboard", 5_000, async () => {
      const x = await snapshot();
      return x.link.state === "down" ? x : undefined;
    });
    expect(performance.now() - t0).toBeLessThan(1_500);
    expect(s.link.reason).toBe("zephyr destroyed");
    expect(s.domains.find((d) => d.name === "zephyr")).toMatchObject({ state: "destroyed", restarts: 0, crashes: 0 });
    const texts = s.timeline?.map((e) => e.text) ?? [];
    expect(texts).toContain("xl destroy zephyr");
    expect(texts).toContain("zephyr destroyed (xl destroy)");
  }, 15_000);

  it("the status page Linux writes says stale within three periods (the banner, the link, the JSON), and its age goes on", async () => {
    const t0 = performance.now();
    const json = await eventually("a stale status page", 8_000, () => {
      const { json: j } = readStatus(demo.rootfs);
      return j.stale ? j : undefined;
    });
    expect(performance.now() - t0).toBeLessThan(6_000);
    expect(json.ageMs).toBeGreaterThan(3000);
    const html = await (await fetch(`${base}/zephyr-status.html`)).text();
    expect(html).toMatch(/<div id="stale-banner" class="banner" role="status">No status sample from Zephyr for <b id="stale-age">\d+(\.\d)? s<\/b>/);
    expect(html).toMatch(/<span class="state bad">[^<]+<\/span><\/div><div class="note">no sample for \d+(\.\d)? s<\/div>/);
    const later = await eventually("the age grows", 5_000, () => {
      const { json: j } = readStatus(demo.rootfs);
      return (j.ageMs ?? 0) > (json.ageMs ?? 0) + 1500 ? j : undefined;
    });
    expect(later.stale).toBe(true);
  }, 20_000);
});

// The simulated-time runs below run with each app set (`--apps ts` and `--apps c`): the C rpmsg-remote keeps its
// counters across a Linux restart, rewrites the page while Zephyr is silent and says when no host binds, as the TypeScript one does.
describe.each(["ts", "c"])("a fault run with --apps %s: Zephyr crashed at 20 s, Linux restarted at 40 s (simulated time)", (apps) => {
  let run: Awaited<ReturnType<typeof runDemoToEnd>>;

  beforeAll(async () => {
    run = await runDemoToEnd(["--apps", apps, "--virtual-time", "--duration", "60s", "--seed", "5", "--server", "none", "--faults", "crash:zephyr@20s,restart:linux@40s"]);
  }, 90_000);

  it("ends with a summary that matches the console log: Xen counted both, and Linux's count went on across its restart", () => {
    expect(run.exit, run.stdout.slice(-3000) + run.stderr).toEqual({ code: 0, signal: null });
    expect(run.stdout).toMatch(/\(XEN\) Domain 1 \(vcpu#0\) crashed on cpu#0:\n/);
    expect(run.stdout).toMatch(/\(XEN\) d2: starting a new instance \(restart; restart 1\)\n/);
    expect(run.stdout).toMatch(/linux {2}\| rpmsg-remote: took up the counters of the previous instance: \d+ sample\(s\) received, 0 lost, 1 Zephyr restart\(s\) seen\n/);
    expect(run.stdout).toContain("Zephyr restarted 1 time(s)\n");
    expect(run.stdout).toContain("v8r    | Xen: zephyr (d1) running, 1 restart, 1 crash; linux (d2) running, 1 restart, 0 crashes\n");
    const received = Number(/Linux received (\d+) samples/.exec(run.stdout)?.[1]);
    const { json } = readStatus(run.rootfs);
    expect(received).toBe(json.counters.received);
    expect(received).toBeGreaterThan(50); // the samples before Linux's restart are still counted
    expect(json.counters.restarts).toBe(1);
    expect(json.boots).toHaveLength(2); // both Zephyr boots, the first one seen by Linux's previous instance
  });
});

describe.each(["ts", "c"])("a run with --apps %s whose Zephyr is destroyed at 20 s (simulated time)", (apps) => {
  it("leaves a page marked stale, with the age since the last sample, and a summary that says so", async () => {
    const run = await runDemoToEnd(["--apps", apps, "--virtual-time", "--duration", "40s", "--seed", "2", "--server", "none", "--faults", "destroy:zephyr@20s"]);
    expect(run.exit, run.stdout.slice(-3000) + run.stderr).toEqual({ code: 0, signal: null });
    const { json, html } = readStatus(run.rootfs);
    expect(json).toMatchObject({ stale: true, staleAfterMs: 3000 });
    // the last sample came just before the destroy at 20 s; the page was rewritten up to the end at 40 s
    expect(json.ageMs).toBeGreaterThanOrEqual(19_000);
    expect(json.ageMs).toBeLessThanOrEqual(22_000);
    expect(json.writtenMs).toBeGreaterThanOrEqual(39_000);
    expect(html).toContain(`<html lang="en" class="is-stale">`);
    expect(html).toContain(`No status sample from Zephyr for <b id="stale-age">${Math.round((json.ageMs ?? 0) / 1000)} s</b>`);
    expect(run.stdout).toContain("[v8r-demo] fault at 20s: destroying zephyr");
    expect(run.stdout).toContain("v8r    | Xen: zephyr (d1) destroyed, 0 restarts, 0 crashes; linux (d2) running, 0 restarts, 0 crashes\n");
  }, 90_000);
});

describe.each(["ts", "c"])("a run with --apps %s: Zephyr destroyed at 10 s, then Linux restarted at 15 s (simulated time)", (apps) => {
  it("the restarted Linux announces its endpoints, nobody binds them, and within LIVENESS.bindWithinMs the page says host not answering", async () => {
    const run = await runDemoToEnd(["--apps", apps, "--virtual-time", "--duration", "25s", "--seed", "5", "--server", "none", "--faults", "destroy:zephyr@10s,restart:linux@15s"]);
    expect(run.exit, run.stdout.slice(-3000) + run.stderr).toEqual({ code: 0, signal: null });
    const { json, html } = readStatus(run.rootfs);
    expect(json).toMatchObject({ link: "host not answering", stale: true, writtenMs: 25_000 });
    expect(json.counters.received).toBe(Number(/Linux received (\d+) samples/.exec(run.stdout)?.[1]));
    expect(json.counters.received).toBeGreaterThanOrEqual(8); // taken up from the instance before the restart
    expect(html).toContain(`<span class="state bad">host not answering</span>`);
  }, 90_000);
});

describe.each(["ts", "c"])("the counters saved in Linux's root filesystem, read back by --apps %s", (apps) => {
  /** A root filesystem whose /var/lib/rpmsg-demo/history.json holds `text`. */
  const rootfsWith = (text: string): string => {
    const rootfs = tempDir("saved-state");
    mkdirSync(join(rootfs, "var/lib/rpmsg-demo"), { recursive: true });
    writeFileSync(join(rootfs, "var/lib/rpmsg-demo/history.json"), text);
    return rootfs;
  };
  const args = ["--apps", apps, "--virtual-time", "--duration", "5s", "--seed", "6", "--server", "none"];

  it("takes up a state in the saved format (either app set writes it), and ignores one that is not one", async () => {
    const saved = { v: 1, counters: { received: 100, lost: 2, restarts: 1, malformed: 0, stale: 0, outOfOrder: 0 }, boots: [{ boot: "0badf00d", firstSeenMs: 5, firstSeq: 0, lastSeq: 99, samples: 100, firstDr: 0, lastDr: 2 }], lastUpdateMs: 900 };
    const good = await runDemoToEnd(args, { rootfs: rootfsWith(`${JSON.stringify(saved)}\n`) });
    expect(good.exit, good.stdout.slice(-3000) + good.stderr).toEqual({ code: 0, signal: null });
    expect(good.stdout).toContain("rpmsg-remote: took up the counters of the previous instance: 100 sample(s) received, 2 lost, 1 Zephyr restart(s) seen\n");
    const { json } = readStatus(good.rootfs);
    expect(json.counters).toMatchObject({ lost: 2, restarts: 2 }); // this Zephyr boot is a new one after 0badf00d
    expect(json.counters.received).toBeGreaterThanOrEqual(103);
    expect(json.boots[0]).toEqual(saved.boots[0]);
    const bad = await runDemoToEnd(args, { rootfs: rootfsWith(`{"v":1,"counters":{"received":"lots"}}`) });
    expect(bad.exit, bad.stdout.slice(-3000) + bad.stderr).toEqual({ code: 0, signal: null });
    expect(bad.stdout).not.toContain("took up the counters");
    expect(readStatus(bad.rootfs).json.counters).toMatchObject({ lost: 0, restarts: 0 });
    expect(readStatus(bad.rootfs).json.counters.received).toBeLessThanOrEqual(5);
  }, 90_000);
});
