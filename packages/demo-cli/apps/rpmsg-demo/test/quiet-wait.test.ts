// Quiet until asked: while Linux has not started rpmsg-demo (v8r-demo
// --no-autorun), Zephyr says once, at info level, that it waits for its peer;
// the re-inits of that wait are not reported as failures. Once the link has
// been up, a lost peer is an error again.
import { afterEach, describe, expect, it } from "vitest";
import { runRpmsgRemote } from "../linux-rpmsg-remote/mod.ts";
import { bootDemoSystem, type DemoSystem } from "./_demo-system.ts";

let sys: DemoSystem | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

const LATE_MS = 80_000;
const noisy = (lines: readonly string[]): string[] => lines.filter((l) => /<(err|wrn)>/.test(l));

describe("rpmsg-host waiting for a remote that starts late", () => {
  it("says it waits once at info level, reports no error or warning for 80 s, and binds when the remote comes", async () => {
    sys = await bootDemoSystem({
      linux: async (ctx) => {
        await new Promise<void>((resolve) => ctx.clock.setTimeout(resolve, LATE_MS));
        return runRpmsgRemote(ctx);
      },
    });
    const s = sys;
    await s.run(LATE_MS - 1000);
    const waiting = s.consoles.zephyr.lines.join("\n");
    expect(noisy(s.consoles.zephyr.lines)).toEqual([]);
    expect(waiting.match(/<inf> rpmsg_host: RPMsg host up on ipc0; waiting for the remote to announce its endpoints/g)).toHaveLength(1);
    expect(s.host().stats().ri).toBeGreaterThan(0); // it did re-initialise while waiting, quietly
    await s.run(6000);
    expect(s.consoles.zephyr.lines.join("\n")).toMatch(/<inf> rpmsg_host: link up: rpmsg-demo bound/);
    expect(s.remote().service?.history.counters.received).toBeGreaterThan(0);
    expect(noisy(s.consoles.zephyr.lines)).toEqual([]);
    // from now on the link has been up: losing the peer is reported
    await s.xen.destroy("linux");
    await s.run(3000);
    expect(noisy(s.consoles.zephyr.lines).join("\n")).toMatch(/<(err|wrn)> rpmsg_host: (link down|link failed)/);
  });
});
