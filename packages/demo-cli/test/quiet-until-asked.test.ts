// End to end, simulated time: "Quiet until asked" with each rpmsg-host
// (TypeScript and C). With --no-autorun Linux boots to its console and
// rpmsg-demo starts only when typed there; until then Zephyr says once, at
// info level, that it waits for its peer, and re-initialises its link quietly
// (debug level). (`v8r-demo --apps c --no-autorun` is refused: the C
// rpmsg-remote has no console, so the C host is paired with the TypeScript
// remote here, as a mixed pair.)
import { describe, expect, it } from "vitest";
import { runVirtual } from "./_virtual-system.ts";

const STARTED_AT = 40_000;
const HOSTS = [
  { host: "TypeScript", spec: {} },
  { host: "C", spec: { apps: "c", cRoles: ["rpmsg-host"] } },
] as const;

describe.each(HOSTS)("the $host rpmsg-host with --no-autorun, rpmsg-demo typed on Linux at 40 s", ({ spec }) => {
  it("waits quietly (one info line, no error or warning, re-inits at debug level), then binds when the service starts", async () => {
    const run = await runVirtual({ seed: 4, durationMs: 50_000, autorun: false, typed: [{ atMs: STARTED_AT, line: "rpmsg-demo" }], ...spec });
    const zephyr = run.console.filter((l) => l.startsWith("zephyr | "));
    expect(zephyr.filter((l) => /<(err|wrn)>/.test(l))).toEqual([]);
    expect(zephyr.filter((l) => l.includes("<inf> rpmsg_host: RPMsg host up on ipc0; waiting for the remote to announce its endpoints"))).toHaveLength(1);
    const reinits = run.events.filter(({ t, e }) => t < STARTED_AT && e.type === "zephyr.link" && e.state === "reinit");
    expect(reinits.length).toBeGreaterThan(5); // it did look for its peer all along, quietly
    expect(zephyr.join("\n")).toMatch(/\[00:00:4\d\.\d{3},\d{3}\] <inf> rpmsg_host: link up: rpmsg-demo bound/);
    expect(run.json.counters.received).toBeGreaterThan(40); // the samples queued meanwhile, then one a second
  }, 60_000);
});
