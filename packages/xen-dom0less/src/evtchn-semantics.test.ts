// The same event-channel scenarios, run through bootXen inline (VirtualClock) and in Workers.
import { afterEach, describe, expect, it } from "vitest";
import { boot, MODES, pairDomains, type System } from "../test/guests/_harness.ts";

let sys: System | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

const start = async (mode: "inline" | "worker", ports = [10, 11]) => {
  sys = await boot(mode, pairDomains({ a: {}, b: {}, ports }));
  await sys.waitFor((e) => e.type === "probe-up" && e["domain"] === "b");
  return sys;
};
const eventsOf = (s: System, domain: string) => s.of("probe-event", domain).map((e) => e["port"]);

describe.each(MODES)("2-level event channel semantics through bootXen (%s)", (mode) => {
  it("delivers a send exactly once to the peer's handler", async () => {
    const s = await start(mode);
    await s.act("b", { op: "bind", port: 10 });
    await s.act("a", { op: "send", port: 10 });
    await s.waitFor((e) => e.type === "probe-event" && e["domain"] === "b");
    await s.run(20);
    expect(eventsOf(s, "b")).toEqual([10]);
    expect(eventsOf(s, "a")).toEqual([]);
  });

  it("keeps an event pending while the port is masked and delivers it once unmasked", async () => {
    const s = await start(mode);
    await s.act("b", { op: "bind", port: 10 });
    await s.act("b", { op: "mask", port: 10 });
    await s.act("a", { op: "send", port: 10 });
    await s.act("a", { op: "send", port: 10 });
    await s.run(20);
    await s.act("b", { op: "query", port: 10 });
    expect(s.of("probe-state", "b").at(-1)).toMatchObject({ pending: true, masked: true });
    expect(eventsOf(s, "b")).toEqual([]);
    await s.act("b", { op: "unmask", port: 10 });
    await s.waitFor((e) => e.type === "probe-event" && e["domain"] === "b");
    await s.run(20);
    expect(eventsOf(s, "b")).toEqual([10]);
  });

  it("delivers an event sent before the handler was bound when it is bound (missed event)", async () => {
    const s = await start(mode);
    await s.act("a", { op: "send", port: 11 });
    await s.run(20);
    await s.act("b", { op: "query", port: 11 });
    expect(s.of("probe-state", "b").at(-1)).toMatchObject({ pending: true, masked: false });
    await s.act("b", { op: "bind", port: 11 });
    await s.waitFor((e) => e.type === "probe-event" && e["domain"] === "b");
    expect(eventsOf(s, "b")).toEqual([11]);
  });

  it("loses no notification in a burst: the receiver always sees the last value written", async () => {
    const s = await start(mode);
    await s.act("b", { op: "bind", port: 10 });
    await s.act("a", { op: "burst", port: 10, n: 500 });
    await s.waitFor((e) => e.type === "probe-event" && e["domain"] === "b" && e["seq"] === 500);
    await s.run(20);
    const seqs = s.of("probe-event", "b").map((e) => e["seq"] as number);
    expect(seqs.length).toBeGreaterThanOrEqual(1);
    expect(seqs.length).toBeLessThanOrEqual(500);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(seqs.at(-1)).toBe(500);
  });

  it("answers a send on a port that is not bound in the domain with XenError EINVAL", async () => {
    const s = await start(mode);
    const r = await s.act("a", { op: "send", port: 99 });
    expect(r).toMatchObject({ type: "probe-error", code: "EINVAL" });
    expect(String(r["message"])).toContain("send(99) in a: the port is not bound in this domain (its static ports are 10, 11)");
  });

  it("answers mapping a region the domain does not have with XenError ENOENT", async () => {
    const s = await start(mode);
    expect(await s.act("a", { op: "map", region: "probe" })).toMatchObject({ type: "probe-done" });
    const r = await s.act("a", { op: "map", region: "nope" });
    expect(r).toMatchObject({ type: "probe-error", code: "ENOENT" });
    expect(String(r["message"])).toContain(`mapping static shared memory "nope" in a: it is not mapped into this domain (mapped: "probe")`);
  });
});
