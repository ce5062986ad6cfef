// The same demo from the repository under Deno (the npm package's binary),
// as the README shows it:
//   node_modules/deno/deno run -A --conditions=source packages/demo-cli/src/cli.ts
// Inline on simulated time, and on real time with one Worker per domain
// (node:worker_threads, which Deno runs on Web Workers).
import { describe, expect, it } from "vitest";
import { DENO_RUN, eventually, portOpen, readStatus, runDemoToEnd, servedPort, spawnDemo } from "./_spawn-demo.ts";

describe("v8r-demo under Deno", () => {
  it("runs 5 simulated seconds inline and leaves a page with 5 samples", async () => {
    const run = await runDemoToEnd(["--virtual-time", "--duration", "5s", "--seed", "1", "--port", "0"], { command: DENO_RUN });
    expect(run.exit, run.stdout.slice(-2000) + run.stderr).toEqual({ code: 0, signal: null });
    expect(run.stdout).toContain("(inline, simulated time)");
    expect(run.stdout).toMatch(/Booting Linux on physical CPU/);
    expect(run.stdout).toContain("Linux received 5 samples, lost 0, rejected 0 malformed; Zephyr restarted 0 time(s)");
    const { json, html } = readStatus(run.rootfs);
    expect(json.counters).toMatchObject({ received: 5, lost: 0 });
    expect(json.latest).toMatchObject({ seq: 4, t: 5000 });
    expect(html).toContain("Zephyr status");
  }, 60_000);

  it("runs on real time with a Worker per domain: the served page's seq grows, and Ctrl-C stops it cleanly", async () => {
    const demo = spawnDemo(["--port", "0", "--period", "200"], { command: DENO_RUN });
    try {
      const port = await servedPort(demo, 30_000);
      expect(demo.stdout()).toContain("(one Worker per domain)");
      const seqAt = async (): Promise<number | undefined> => {
        const res = await fetch(`http://127.0.0.1:${port}/zephyr-status.json`);
        if (res.status !== 200) return undefined;
        const json = (await res.json()) as { latest: { seq: number } | null };
        return json.latest?.seq;
      };
      const first = await eventually("a first sample on the served page", 20_000, seqAt);
      const later = await eventually("a later sample on the served page", 10_000, async () => {
        const seq = await seqAt();
        return seq !== undefined && seq > first ? seq : undefined;
      });
      expect(later).toBeGreaterThan(first);
      const page = await fetch(`http://127.0.0.1:${port}/zephyr-status.html`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Zephyr status");

      process.kill(-(demo.child.pid as number), "SIGINT");
      const exit = await demo.exited;
      expect(exit, demo.stdout().slice(-1500) + demo.stderr()).toEqual({ code: 0, signal: null });
      expect(demo.stderr()).not.toMatch(/Uncaught|its Worker failed|\n\s+at /);
      await eventually("the process group is gone", 5_000, () => (demo.groupAlive() ? undefined : true));
      expect(await portOpen(port)).toBe(false);
    } finally {
      demo.kill();
    }
  }, 90_000);
});
