import { afterEach, describe, expect, it } from "vitest";
import { boot, pairDomains, type System } from "../test/guests/_harness.ts";
import type { FaultPlan } from "./faults.ts";
import { XenBootError } from "./xen-boot-error.ts";

let sys: System | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

const chaos = (seed: number): FaultPlan => ({
  seed,
  drop: 0.2,
  delay: { probability: 0.3, ms: 7 },
  duplicate: 0.2,
  corrupt: [{ atMs: 150, region: "probe", offset: 16, length: 4 }],
  crash: [{ domain: "b", atMs: 300 }],
  restart: [{ domain: "a", atMs: 450 }],
});

/** Run a chattering pair under `plan` for 600 virtual ms and return the trace, without stacks and timings of module loading. */
async function traceOf(plan: FaultPlan): Promise<string[]> {
  sys = await boot("inline", pairDomains({ a: {}, b: {} }), { faults: plan, onCrash: "restart" });
  const s = sys;
  await s.act("b", { op: "bind", port: 10 });
  await s.act("a", { op: "bind", port: 10 });
  await s.act("a", { op: "pinger", port: 10, period: 3 });
  await s.act("b", { op: "pinger", port: 10, period: 5 });
  await s.run(600);
  const keep = new Set(["xen-fault", "probe-event", "xen-domain", "guest-crashed"]);
  const out = s.events.filter((e) => keep.has(e.type)).map((e) => JSON.stringify({ ...e, stack: undefined }));
  const bytes = [...s.xen.sharedMemory("probe").copyOut(16, 4)].join(",");
  await s.close();
  sys = undefined;
  return [...out, `corrupted=${bytes}`];
}

describe("fault injection", () => {
  it("reproduces the same trace twice for the same seed under the VirtualClock", async () => {
    const first = await traceOf(chaos(7));
    const second = await traceOf(chaos(7));
    expect(second).toEqual(first);
    const kinds = new Set(first.map((l) => (l.startsWith("{") ? (JSON.parse(l) as { kind?: string }).kind : undefined)));
    for (const k of ["drop", "delay", "duplicate", "corrupt", "crash", "restart"]) expect(kinds).toContain(k);
    expect(first.at(-1)).not.toBe("corrupted=0,0,0,0");
  });

  it("gives another trace for another seed", async () => {
    const a = await traceOf(chaos(7));
    const b = await traceOf(chaos(8));
    expect(b).not.toEqual(a);
  });

  it("writes the given bytes into a region at the given time", async () => {
    sys = await boot("inline", pairDomains({ a: {}, b: {} }), { faults: { seed: 1, corrupt: [{ atMs: 20, region: "probe", offset: 8, bytes: [1, 2, 3] }] } });
    const w = sys.xen.sharedMemory("probe");
    await sys.run(10);
    expect([...w.copyOut(8, 3)]).toEqual([0, 0, 0]);
    await sys.run(20);
    expect([...w.copyOut(8, 3)]).toEqual([1, 2, 3]);
  });

  it("drops every notification with drop = 1, in Workers too", async () => {
    sys = await boot("worker", pairDomains({ a: {}, b: {} }), { faults: { seed: 3, drop: 1 } });
    await sys.act("b", { op: "bind", port: 10 });
    await sys.act("a", { op: "send", port: 10 });
    await sys.act("a", { op: "send", port: 10 });
    await sys.run(30);
    expect(sys.of("probe-event", "b")).toEqual([]);
    expect(sys.of("xen-fault").map((e) => e["kind"])).toEqual(["drop", "drop"]);
  });

  it.each([
    [{ seed: 1, drop: 1.5 }, "drop probability 1.5 is not within 0..1"],
    [{ seed: 1, crash: [{ domain: "nobody", atMs: 1 }] }, `crash names domain "nobody"`],
    [{ seed: 1, corrupt: [{ region: "probe", atMs: 1, offset: 4095, length: 2 }] }, "does not fit its 4096 bytes"],
    [{ seed: 1, corrupt: [{ region: "nope", atMs: 1 }] }, `region "nope", which is not a static shm region`],
  ] as [FaultPlan, string][])("rejects a bad plan before booting: %j", async (plan, msg) => {
    const err = await boot("inline", pairDomains({ a: {}, b: {} }), { faults: plan }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XenBootError);
    expect((err as XenBootError).code).toBe("faults-invalid");
    expect((err as Error).message).toContain(msg);
  });
});
