// The two implementations of the demo app are interchangeable: every pairing
// of rpmsg-host and rpmsg-remote (TypeScript or C) runs the same link with
// the same seed, and the status page Linux leaves has the same fields. With
// the same host, the TypeScript and the C remote write byte-identical pages
// and JSON (the C renderer follows the reference); the two hosts sample
// their own systems, so their facts differ (threads, heap) but not the
// fields. Two simulated minutes each, in this process (test/_virtual-system.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { runVirtual, type VirtualRunResult } from "./_virtual-system.ts";

const DURATION_MS = 120_000;
const PAIRS = {
  "ts host + ts remote": {},
  "ts host + c remote": { apps: "c", cRoles: ["rpmsg-remote"] },
  "c host + ts remote": { apps: "c", cRoles: ["rpmsg-host"] },
  "c host + c remote": { apps: "c" },
} as const;
type Pair = keyof typeof PAIRS;

/** Every key path of a JSON value (array items under `[]`), without the values. */
function fieldPaths(value: unknown, at = ""): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(value)) for (const v of value) fieldPaths(v, `${at}[]`).forEach((p) => out.add(p));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) fieldPaths(v, `${at}.${k}`).forEach((p) => out.add(p));
  else out.add(at);
  return out;
}

/** The page's fields: the labels of its definition lists, the ids and the classes of its elements. */
function pageFields(html: string): string[] {
  const labels = [...html.matchAll(/<dt>([^<]*)<\/dt>/g)].map((m) => `dt:${m[1]}`);
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => `id:${m[1]}`);
  const classes = [...html.matchAll(/\sclass="([^"]+)"/g)].flatMap((m) => (m[1] as string).split(/\s+/).map((c) => `class:${c}`));
  return [...new Set([...labels, ...ids, ...classes])].sort();
}

describe("mixed pairs of the demo apps (TypeScript and C), same seed", () => {
  const runs = {} as Record<Pair, VirtualRunResult>;

  beforeAll(async () => {
    for (const [pair, spec] of Object.entries(PAIRS) as [Pair, (typeof PAIRS)[Pair]][]) runs[pair] = await runVirtual({ seed: 1, durationMs: DURATION_MS, ...spec });
  }, 180_000);

  it.each(Object.keys(PAIRS) as Pair[])("%s: the link delivers every sample of one boot, nothing lost or rejected", (pair) => {
    const { json } = runs[pair];
    expect(json.counters).toMatchObject({ received: DURATION_MS / 1000, lost: 0, restarts: 0, malformed: 0 });
    expect(json.boots).toHaveLength(1);
    expect(json.link).toBe("bound");
  });

  it("gives every pair the same boot id for the seed (the C host draws it as the TypeScript host does)", () => {
    const boots = new Set(Object.values(runs).map((r) => r.json.boots[0]?.boot));
    expect(boots.size).toBe(1);
  });

  it("writes byte-identical status files with the TypeScript or the C remote behind the same host", () => {
    expect(runs["ts host + c remote"].html).toBe(runs["ts host + ts remote"].html);
    expect(runs["ts host + c remote"].jsonText).toBe(runs["ts host + ts remote"].jsonText);
    expect(runs["c host + c remote"].html).toBe(runs["c host + ts remote"].html);
    expect(runs["c host + c remote"].jsonText).toBe(runs["c host + ts remote"].jsonText);
  });

  it("has the same status page fields in every pair (JSON key paths, the page's labels, ids and classes)", () => {
    const reference = runs["ts host + ts remote"];
    const paths = [...fieldPaths(reference.json)].sort();
    expect(paths).toContain(".latest.thr[].name");
    expect(pageFields(reference.html)).toContain("dt:Zephyr restarts seen");
    for (const pair of Object.keys(PAIRS) as Pair[]) {
      expect([...fieldPaths(runs[pair].json)].sort(), pair).toEqual(paths);
      expect(pageFields(runs[pair].html), pair).toEqual(pageFields(reference.html));
    }
  });
});

describe("mixed pairs after Zephyr is destroyed at 20 s (same seed, 40 simulated seconds)", () => {
  it("the TypeScript and the C remote behind the same host write byte-identical stale pages and JSON, rewritten up to the end", async () => {
    const spec = { seed: 3, durationMs: 40_000, faults: "destroy:zephyr@20s" } as const;
    const ts = await runVirtual(spec);
    const c = await runVirtual({ ...spec, apps: "c", cRoles: ["rpmsg-remote"] });
    expect(ts.json).toMatchObject({ stale: true, writtenMs: 40_000, link: "host not answering" });
    expect(c.html).toBe(ts.html);
    expect(c.jsonText).toBe(ts.jsonText);
  }, 60_000);
});
