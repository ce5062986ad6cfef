import { afterEach, describe, expect, it } from "vitest";
import { boot, pairDomains, type System } from "../test/guests/_harness.ts";
import type { Fault } from "./fault-kinds.ts";
import type { FaultPlan } from "./faults.ts";
import { XenBootError } from "./xen-boot-error.ts";

/** Named ranges of every test region: 16 bytes at 0 and 32 bytes at 4064. */
const RANGES = () => [
  { name: "head", offset: 0, size: 16 },
  { name: "tail", offset: 4064, size: 32 },
];

let sys: System | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

const chaos = (seed: number, extra: readonly Fault[] = []): FaultPlan => ({
  seed,
  faults: [
    { kind: "drop", probability: 0.2 },
    { kind: "delay", probability: 0.3, ms: 7 },
    { kind: "duplicate", probability: 0.2 },
    { kind: "corrupt", atMs: 150, region: "probe", offset: 16, length: 4 },
    { kind: "crash", domain: "b", atMs: 300 },
    { kind: "restart", domain: "a", atMs: 450 },
    ...extra,
  ],
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

  it("pauses a domain at the given time for the given length: its peer's events wait, then arrive, with no restart", async () => {
    const plan: FaultPlan = { seed: 1, faults: [{ kind: "pause", domain: "b", atMs: 100, ms: 50 }] };
    sys = await boot("inline", pairDomains({ a: {}, b: {} }), { faults: plan });
    const s = sys;
    await s.act("b", { op: "bind", port: 10 });
    await s.act("a", { op: "pinger", port: 10, period: 10 });
    const handled = (): number => s.events.filter((e) => e.type === "probe-event" && e["domain"] === "b").length;
    await s.run(120);
    expect(s.xen.state("b")).toBe("paused");
    const during = handled();
    await s.run(20);
    expect(handled()).toBe(during); // nothing handled while paused
    await s.run(60);
    expect(s.xen.state("b")).toBe("running");
    expect(handled()).toBeGreaterThan(during);
    const faults = s.events.filter((e) => e.type === "xen-fault").map((e) => `${String(e["kind"])}@${String(e["atMs"])}`);
    expect(faults).toEqual(["pause@100", "unpause@150"]);
    expect(s.events.some((e) => e.type === "guest-crashed" || (e.type === "xen-domain" && e["state"] === "shutdown"))).toBe(false);
  });

  it("writes the given bytes into a region at the given time", async () => {
    sys = await boot("inline", pairDomains({ a: {}, b: {} }), { faults: { seed: 1, faults: [{ kind: "corrupt", atMs: 20, region: "probe", offset: 8, bytes: [1, 2, 3] }] } });
    const w = sys.xen.sharedMemory("probe");
    await sys.run(10);
    expect([...w.copyOut(8, 3)]).toEqual([0, 0, 0]);
    await sys.run(20);
    expect([...w.copyOut(8, 3)]).toEqual([1, 2, 3]);
  });

  it("aims a corruption at a named range, relative to its start, and reports the absolute offset", async () => {
    const plan: FaultPlan = { seed: 1, faults: [{ kind: "corrupt", atMs: 5, region: "probe", range: "tail", offset: 2, bytes: [9, 8] }] };
    sys = await boot("inline", pairDomains({ a: {}, b: {} }), { faults: plan, shmRanges: RANGES });
    await sys.run(10);
    expect([...sys.xen.sharedMemory("probe").copyOut(4064, 5)]).toEqual([0, 0, 9, 8, 0]);
    expect(sys.of("xen-fault")).toEqual([expect.objectContaining({ kind: "corrupt", region: "probe", range: "tail", offset: 4066, length: 2 })]);
  });

  it("corrupts the whole of a named range when no length is given", async () => {
    const plan: FaultPlan = { seed: 4, faults: [{ kind: "corrupt", atMs: 5, region: "probe", range: "head" }] };
    sys = await boot("inline", pairDomains({ a: {}, b: {} }), { faults: plan, shmRanges: RANGES });
    await sys.run(10);
    const w = sys.xen.sharedMemory("probe");
    expect([...w.copyOut(0, 16)].every((b) => b !== 0)).toBe(true);
    expect(w.read8(16)).toBe(0);
  });

  it("keeps a corruption's random bytes when other faults join the plan (one stream per fault)", async () => {
    const bytesOf = async (extra: readonly Fault[]): Promise<number[]> => {
      const faults: Fault[] = [...extra, { kind: "corrupt", atMs: 5, region: "probe", offset: 0, length: 8 }];
      sys = await boot("inline", pairDomains({ a: {}, b: {} }), { faults: { seed: 11, faults } });
      await sys.run(20);
      const out = [...sys.xen.sharedMemory("probe").copyOut(0, 8)];
      await sys.close();
      sys = undefined;
      return out;
    };
    const alone = await bytesOf([]);
    const others: Fault[] = [{ kind: "corrupt", atMs: 1, region: "probe", offset: 100, length: 8 }, { kind: "drop", probability: 0.5 }];
    expect(await bytesOf(others)).toEqual(alone);
    expect(await bytesOf([...others].reverse())).toEqual(alone);
  });

  it("drops every notification with drop = 1, in Workers too", async () => {
    sys = await boot("worker", pairDomains({ a: {}, b: {} }), { faults: { seed: 3, faults: [{ kind: "drop", probability: 1 }] } });
    await sys.act("b", { op: "bind", port: 10 });
    await sys.act("a", { op: "send", port: 10 });
    await sys.act("a", { op: "send", port: 10 });
    await sys.run(30);
    expect(sys.of("probe-event", "b")).toEqual([]);
    expect(sys.of("xen-fault").map((e) => e["kind"])).toEqual(["drop", "drop"]);
  });

  it.each([
    [{ seed: 1, faults: [{ kind: "drop", probability: 1.5 }] }, "drop probability 1.5 is not within 0..1"],
    [{ seed: 1, faults: [{ kind: "crash", domain: "nobody", atMs: 1 }] }, `crash names domain "nobody"`],
    [{ seed: 1, faults: [{ kind: "corrupt", region: "probe", atMs: 1, offset: 4095, length: 2 }] }, "does not fit its 4096 bytes"],
    [{ seed: 1, faults: [{ kind: "corrupt", region: "nope", atMs: 1 }] }, `region "nope", which is not a static shm region`],
    [{ seed: 1, faults: [{ kind: "corrupt", region: "probe", range: "vring9", atMs: 1 }] }, `range "vring9" of region "probe", which has no such range (ranges: head, tail)`],
    [{ seed: 1, faults: [{ kind: "corrupt", region: "probe", range: "head", offset: 10, length: 7, atMs: 1 }] }, `does not fit range "head" (16 bytes)`],
    [{ seed: 1, faults: [{ kind: "explode", atMs: 1 } as unknown as Fault] }, `{"kind":"explode","atMs":1} is not a fault of a known kind`],
    [{ seed: 1, faults: [{ kind: "crash", domain: "a", atMs: -1 }] }, "crash: atMs -1 must be a finite time of 0 or more"],
  ] as [FaultPlan, string][])("rejects a bad plan before booting: %j", async (plan, msg) => {
    const err = await boot("inline", pairDomains({ a: {}, b: {} }), { faults: plan, shmRanges: RANGES }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XenBootError);
    expect((err as XenBootError).code).toBe("faults-invalid");
    expect((err as Error).message).toContain(msg);
  });
});
