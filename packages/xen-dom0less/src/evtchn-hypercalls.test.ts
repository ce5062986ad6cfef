// The event-channel hypercalls (ctx.evtchnOps) through bootXen, inline (VirtualClock) and in Workers:
// channels made at run time carry events like static ones, across threads.
import { afterEach, describe, expect, it } from "vitest";
import { boot, MODES, pairDomains, type System } from "../test/guests/_harness.ts";
import { DOMID_SELF, EVTCHNSTAT } from "./evtchn-ops.ts";

let sys: System | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

const start = async (mode: "inline" | "worker") => {
  sys = await boot(mode, pairDomains({ a: {}, b: {}, ports: [10] }));
  await sys.waitFor((e) => e.type === "probe-up" && e["domain"] === "b");
  return sys;
};

/** Run a probe op that reports a value; resolves with the value (or throws the guest's error). */
async function call(s: System, domain: string, msg: Record<string, unknown>): Promise<unknown> {
  const done = await s.act(domain, msg);
  if (done.type === "probe-error") throw Object.assign(new Error(String(done["message"])), { code: done["code"] });
  return s.events.find((e) => e.type === "probe-result" && e["id"] === done["id"])?.["value"];
}

const eventsOf = (s: System, domain: string) => s.of("probe-event", domain).map((e) => e["port"]);

describe.each(MODES)("event channel hypercalls through bootXen (%s)", (mode) => {
  it("a channel made with alloc_unbound + bind_interdomain carries events both ways", async () => {
    const s = await start(mode);
    const remote = (await call(s, "b", { op: "alloc", dom: 1 })) as number;
    expect(remote).toBe(1);
    const local = (await call(s, "a", { op: "bind-inter", dom: 2, port: remote })) as number;
    expect(local).toBe(1);
    await s.act("a", { op: "bind", port: local });
    await s.act("b", { op: "bind", port: remote });
    // bind_interdomain raised the new local port: one event on a at once
    await s.waitFor((e) => e.type === "probe-event" && e["domain"] === "a");
    await s.act("a", { op: "send", port: local });
    await s.act("b", { op: "send", port: remote });
    await s.waitFor((e) => e.type === "probe-event" && e["domain"] === "b");
    await s.waitFor(() => eventsOf(s, "a").length === 2);
    expect(eventsOf(s, "a")).toEqual([local, local]);
    expect(eventsOf(s, "b")).toEqual([remote]);
  });

  it("after a closes its static port, b's end is unbound: b's sends are dropped, and a can bind it again", async () => {
    const s = await start(mode);
    await s.act("a", { op: "bind", port: 10 });
    await s.act("a", { op: "close", port: 10 });
    expect(await call(s, "b", { op: "status", dom: DOMID_SELF, port: 10 })).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, unbound: { dom: 1 } });
    expect(await s.act("b", { op: "send", port: 10 })).toMatchObject({ type: "probe-done" });
    await expect(call(s, "a", { op: "send", port: 10 })).rejects.toMatchObject({ code: "EINVAL" });
    const again = (await call(s, "a", { op: "bind-inter", dom: 2, port: 10 })) as number;
    await s.act("a", { op: "bind", port: again });
    await s.waitFor((e) => e.type === "probe-event" && e["domain"] === "a" && e["port"] === again);
    await s.act("b", { op: "send", port: 10 });
    await s.waitFor(() => eventsOf(s, "a").length === 2);
    expect(eventsOf(s, "a")).toEqual([again, again]);
  });

  it("errors reach the guest with Xen's codes", async () => {
    const s = await start(mode);
    await expect(call(s, "a", { op: "status", dom: 2, port: 10 })).rejects.toMatchObject({ code: "EPERM" });
    await expect(call(s, "a", { op: "bind-inter", dom: 7, port: 1 })).rejects.toMatchObject({ code: "ESRCH" });
    await expect(call(s, "a", { op: "bind-inter", dom: 2, port: 10 })).rejects.toMatchObject({ code: "EINVAL" });
    await expect(call(s, "a", { op: "close", port: 3 })).rejects.toMatchObject({ code: "EINVAL" });
  });

  it("a restarted domain gets its static channel back; the channel it had made is gone and the peer's end is unbound", async () => {
    const s = await start(mode);
    const remote = (await call(s, "b", { op: "alloc", dom: 1 })) as number;
    await call(s, "a", { op: "bind-inter", dom: 2, port: remote });
    await s.xen.restart("a");
    await s.waitFor((e) => e.type === "probe-up" && e["domain"] === "a" && s.of("probe-up", "a").length === 2);
    expect(await call(s, "b", { op: "status", dom: DOMID_SELF, port: remote })).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, unbound: { dom: 1 } });
    expect(await call(s, "a", { op: "status", dom: DOMID_SELF, port: 10 })).toEqual({ status: EVTCHNSTAT.interdomain, vcpu: 0, interdomain: { dom: 2, port: 10 } });
    expect(await call(s, "a", { op: "status", dom: DOMID_SELF, port: 1 })).toEqual({ status: EVTCHNSTAT.closed, vcpu: 0 });
  });
});
