// The same demo from the repository under Deno (the npm package's binary),
// inline on simulated time, exactly as the README shows it:
//   ./node_modules/.bin/deno run -A packages/demo-cli/src/cli.ts --virtual-time --duration 5s --seed 1
// Deno reads the workspace packages' sources through the root deno.json.
import { describe, expect, it } from "vitest";
import { DENO, readStatus, runDemoToEnd } from "./_spawn-demo.ts";

describe("v8r-demo under Deno", () => {
  it("runs 5 simulated seconds inline and leaves a page with 5 samples", async () => {
    const run = await runDemoToEnd(["--virtual-time", "--duration", "5s", "--seed", "1", "--port", "0"], { command: [DENO, "run", "-A"] });
    expect(run.exit, run.stdout.slice(-2000) + run.stderr).toEqual({ code: 0, signal: null });
    expect(run.stdout).toContain("(inline, simulated time)");
    expect(run.stdout).toMatch(/Booting Linux on physical CPU/);
    expect(run.stdout).toContain("Linux received 5 samples, lost 0, rejected 0 malformed; Zephyr restarted 0 time(s)");
    const { json, html } = readStatus(run.rootfs);
    expect(json.counters).toMatchObject({ received: 5, lost: 0 });
    expect(json.latest).toMatchObject({ seq: 4, t: 5000 });
    expect(html).toContain("Zephyr status");
  }, 60_000);
});
