import { afterEach, describe, expect, it } from "vitest";
import { boot, MODES, pairDomains, type System } from "../test/guests/_harness.ts";
import type { BootXenOptions } from "./boot-xen.ts";

let sys: System | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

const start = async (mode: "inline" | "worker", options: BootXenOptions = {}, b: Record<string, unknown> = {}) => {
  sys = await boot(mode, pairDomains({ a: {}, b }), options);
  await sys.waitFor((e) => e.type === "probe-up" && e["domain"] === "b");
  return sys;
};
const states = (s: System, domain: string) => s.of("xen-domain", domain).map((e) => e["state"]);
const ticks = (s: System, domain: string) => s.of("probe-tick", domain).length;

describe("lifecycle (inline, VirtualClock)", () => {
  it("lists domains like xl: domid, name, state, vCPUs, memory and uptime", async () => {
    const s = await start("inline");
    await s.run(100);
    const rows = s.xen.list();
    expect(rows.map((r) => [r.domid, r.name, r.state, r.vcpus, r.memoryKiB])).toEqual([
      [1, "a", "running", 1, 16384],
      [2, "b", "running", 1, 16384],
    ]);
    expect(rows[0]?.uptimeMs).toBeGreaterThanOrEqual(100);
  });

  it("pause holds events and timers; unpause delivers the pending event and resumes the timers", async () => {
    const s = await start("inline");
    await s.act("b", { op: "bind", port: 10 });
    await s.act("b", { op: "ticker", period: 10 });
    await s.run(35);
    const before = ticks(s, "b");
    expect(before).toBe(3);
    s.xen.pause("b");
    expect(s.xen.state("b")).toBe("paused");
    await s.act("a", { op: "send", port: 10 });
    await s.run(100);
    expect(ticks(s, "b")).toBe(before);
    expect(s.of("probe-event", "b")).toEqual([]);
    s.xen.unpause("b");
    await s.run(1);
    expect(s.of("probe-event", "b").map((e) => e["port"])).toEqual([10]);
    expect(ticks(s, "b")).toBe(before + 1);
    await s.run(30);
    expect(ticks(s, "b")).toBeGreaterThanOrEqual(before + 3);
    expect(states(s, "b")).toEqual(["running", "paused", "running"]);
  });

  it("destroy stops a domain and removes it from the list while the other keeps running", async () => {
    const s = await start("inline");
    await s.act("a", { op: "ticker", period: 10 });
    await s.xen.destroy("b");
    expect(s.xen.list().map((d) => d.name)).toEqual(["a"]);
    expect(s.xen.state("b")).toBe("destroyed");
    const t = ticks(s, "a");
    await s.run(50);
    expect(ticks(s, "a")).toBe(t + 5);
    expect(states(s, "b")).toEqual(["running", "dying", "destroyed"]);
    expect((await s.act("a", { op: "send", port: 10 }))["type"]).toBe("probe-done");
  });

  it("restart starts the image again: Xen-owned shm keeps its bytes, the channels come back with nothing pending", async () => {
    const s = await start("inline");
    const shm = s.xen.sharedMemory("probe");
    shm.write32(64, 0xc0ffee);
    s.xen.pause("b");
    await s.act("a", { op: "send", port: 10 });
    await s.run(5);
    await s.xen.restart("b");
    await s.waitFor((e) => e.type === "probe-up" && e["domain"] === "b" && s.of("probe-up", "b").length === 2);
    expect(shm.read32(64)).toBe(0xc0ffee);
    await s.act("b", { op: "query", port: 10 });
    expect(s.of("probe-state", "b").at(-1)).toMatchObject({ pending: false, masked: false });
    expect(s.xen.list()[1]).toMatchObject({ name: "b", state: "running", restarts: 1 });
    await s.act("b", { op: "bind", port: 10 });
    await s.act("a", { op: "send", port: 10 });
    await s.waitFor((e) => e.type === "probe-event" && e["domain"] === "b");
  });

  it("restart clears a region the restarted domain owns", async () => {
    sys = await boot("inline", pairDomains({ a: {}, b: { shm: [{ id: "probe", addr: 0x7a00_0000, size: 0x1000, role: "owner" }] } }));
    const s = sys;
    s.xen.sharedMemory("probe").write32(0, 7);
    await s.xen.restart("a");
    expect(s.xen.sharedMemory("probe").read32(0)).toBe(7);
    await s.xen.restart("b");
    expect(s.xen.sharedMemory("probe").read32(0)).toBe(0);
  });

  it.each([
    ["poweroff", "shutdown"],
    ["reboot", "running"],
  ])("shutdown(%s) from the guest leaves the domain %s", async (reason, final) => {
    const s = await start("inline");
    s.xen.post("b", { op: "shutdown", reason });
    await s.waitFor((e) => e.type === "xen-domain" && e["domain"] === "b" && e["state"] === final && e["generation"] === (reason === "reboot" ? 1 : 0));
    expect(s.xen.state("b")).toBe(final);
    expect(s.xen.state("a")).toBe("running");
  });

  it("a guest that calls shutdown(crash) during start() is seen as crashed", async () => {
    sys = await boot("inline", pairDomains({ a: {}, b: { bootargs: "shutdown-at-start" } }), { onCrash: "preserve" });
    await sys.run(5);
    expect(sys.xen.state("b")).toBe("crashed");
    expect(sys.xenLog.text()).toContain("(XEN) Domain 2 (vcpu#0) crashed on cpu#1:\n(XEN) d2v0: the guest called shutdown(crash)");
  });

  it("falls back to preserve when a domain keeps crashing right after each restart", async () => {
    sys = await boot("inline", pairDomains({ a: {}, b: { bootargs: "crash-at-start" } }), { onCrash: "restart" });
    const s = sys;
    await s.waitFor(() => s.xenLog.text().includes("preserving it instead of restarting"));
    expect(sys.xen.state("b")).toBe("crashed");
    expect(sys.xenLog.text()).toContain("preserving it instead of restarting");
    expect(sys.xen.state("a")).toBe("running");
  });
});

describe.each(MODES)("crash isolation and on_crash (%s)", (mode) => {
  it.each([
    ["destroy", "destroyed"],
    ["preserve", "crashed"],
    ["restart", "running"],
  ] as const)("a guest that throws is handled by on_crash=%s (%s) and the other domain keeps running", async (policy, final) => {
    const s = await start(mode, { onCrash: { b: policy } });
    await s.act("a", { op: "ticker", period: 5 });
    s.xen.post("b", { op: "later", ms: 1 });
    await s.waitFor((e) => e.type === "guest-crashed" && e["guest"] === "b");
    await s.waitFor((e) => e.type === "xen-domain" && e["domain"] === "b" && e["state"] === final);
    // The new instance says probe-up from start(), before Xen marks it running.
    if (policy === "restart") await s.waitFor(() => s.of("probe-up", "b").length === 2 && s.xen.state("b") === "running");
    expect(s.xen.state("b")).toBe(final);
    expect(s.xen.state("a")).toBe("running");
    const t = ticks(s, "a");
    await s.waitFor(() => ticks(s, "a") > t + 2);
    expect((await s.act("a", { op: "send", port: 10 }))["type"]).toBe("probe-done");
    expect(states(s, "b").slice(0, 2)).toEqual(["running", "crashed"]);
  });
});

describe.each(MODES)("pause and restart (%s)", (mode) => {
  it("crashes a domain whose event handler throws, with the handler's error", async () => {
    const s = await start(mode, { onCrash: "preserve" });
    await s.act("b", { op: "bind-throwing", port: 10 });
    await s.act("a", { op: "send", port: 10 });
    const crash = await s.waitFor((e) => e.type === "guest-crashed" && e["guest"] === "b");
    expect(crash["error"]).toBe("probe: handler threw");
    await s.waitFor((e) => e.type === "xen-domain" && e["domain"] === "b" && e["state"] === "crashed");
    expect(s.xen.state("a")).toBe("running");
  });

  it("holds an event sent to a paused domain until it is unpaused", async () => {
    const s = await start(mode);
    await s.act("b", { op: "bind", port: 10 });
    s.xen.pause("b");
    await s.act("a", { op: "send", port: 10 });
    await s.run(30);
    expect(s.of("probe-event", "b")).toEqual([]);
    expect(s.xen.list().map((d) => d.state)).toEqual(["running", "paused"]);
    s.xen.unpause("b");
    await s.waitFor((e) => e.type === "probe-event" && e["domain"] === "b");
    expect(s.xen.state("b")).toBe("running");
  });

  it("restarts a domain whose image then talks to the other domain again", async () => {
    const s = await start(mode);
    await s.xen.restart("b");
    await s.waitFor(() => s.of("probe-up", "b").length === 2);
    await s.act("b", { op: "bind", port: 10 });
    await s.act("a", { op: "send", port: 10 });
    await s.waitFor((e) => e.type === "probe-event" && e["domain"] === "b");
    expect(s.xen.list()[1]).toMatchObject({ state: "running", restarts: 1 });
  });
});
