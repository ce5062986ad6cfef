import { afterEach, describe, expect, it } from "vitest";
import { boot, MODES, pairDomains, type System } from "../test/guests/_harness.ts";
import { dts } from "../test/guests/_harness-config.ts";
import { loadDom0lessConfig } from "./dom0less-config.ts";
import { parseDts } from "./dts-parser.ts";
import { XenError } from "./domain-context.ts";
import { EVTCHNSTAT } from "./evtchn-ops.ts";
import { XenBootError } from "./xen-boot-error.ts";

let sys: System | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

const start = async (mode: "inline" | "worker") => {
  sys = await boot(mode, pairDomains({ a: {}, b: {} }), { onCrash: "preserve" });
  await sys.waitFor((e) => e.type === "probe-up" && e["domain"] === "b");
  return sys;
};
const ups = (s: System, domain: string) => s.of("probe-up", domain).length;

/** The one domain of a device-tree fragment, as `xl create FILE` reads it. */
function fragment(d: Parameters<typeof dts>[0][number]) {
  const config = loadDom0lessConfig(parseDts(dts([d]), { file: "fragment.dts" })).config;
  const [domain] = config.domains;
  if (domain === undefined) throw new Error("no domain in the fragment");
  return domain;
}

describe.each(MODES)("xl lifecycle (%s)", (mode) => {
  it("destroy closes the domain's channels; xl create brings it back from its dom0less node with its channel bound again", async () => {
    const s = await start(mode);
    await s.xen.destroy("b");
    expect(s.xen.list().map((d) => d.name)).toEqual(["a"]);
    expect(s.xen.records().map((d) => [d.name, d.state])).toEqual([["a", "running"], ["b", "destroyed"]]);
    // Xen closed b's end: a's static port is now unbound
    await s.act("a", { op: "status", dom: 1, port: 10 });
    expect(s.of("probe-result", "a").at(-1)?.["value"]).toMatchObject({ status: EVTCHNSTAT.unbound, unbound: { dom: 2 } });
    expect(s.xenLog.text()).toContain("(XEN) d2: destroyed (xl destroy)");
    const info = await s.xen.create("b");
    expect(info).toMatchObject({ domid: 2, name: "b", state: "running", restarts: 1, crashes: 0 });
    await s.waitFor(() => ups(s, "b") === 2);
    expect(s.xenLog.text()).toContain("(XEN) d2: created again from its dom0less node");
    await s.act("b", { op: "bind", port: 10 });
    await s.act("a", { op: "send", port: 10 });
    await s.waitFor((e) => e.type === "probe-event" && e["domain"] === "b");
    await expect(s.xen.create("b")).rejects.toMatchObject({ code: "EEXIST" });
  });

  it("xl shutdown asks the guest to power off; xl reboot starts a new instance", async () => {
    const s = await start(mode);
    s.xen.shutdownDomain("b");
    await s.waitFor(() => s.xen.state("b") === "shutdown");
    expect(s.xen.list()[1]).toMatchObject({ name: "b", state: "shutdown", restarts: 0 });
    expect(s.xenLog.text()).toMatch(/d2: shutdown requested by the toolstack[\s\S]*d2: shutdown requested \(poweroff\)[\s\S]*d2: shut down \(poweroff\)/);
    expect(() => s.xen.reboot("b")).toThrow(XenError);
    s.xen.reboot("a");
    await s.waitFor(() => ups(s, "a") === 2 && s.xen.state("a") === "running");
    expect(s.xen.list()[0]).toMatchObject({ name: "a", state: "running", restarts: 1 });
  });

  it("a paused guest shuts down once unpaused", async () => {
    const s = await start(mode);
    s.xen.pause("b");
    s.xen.shutdownDomain("b");
    await s.run(30);
    expect(s.xen.state("b")).toBe("paused");
    s.xen.unpause("b");
    await s.waitFor(() => s.xen.state("b") === "shutdown");
    expect(s.xenLog.text()).toMatch(/d2: paused[\s\S]*d2: unpaused/);
  });

  it("counts crashes and restarts across instances", async () => {
    const s = await start(mode);
    await s.xen.crash("b", "test crash");
    expect(s.xen.list()[1]).toMatchObject({ crashes: 1 });
    expect(s.xenLog.text()).toContain("(XEN) d2v0: test crash");
    await s.xen.restart("b");
    await s.waitFor(() => ups(s, "b") === 2);
    expect(s.xen.list()[1]).toMatchObject({ crashes: 1, restarts: 1, state: "running" });
  });

  it("xl create of a fragment makes a new domain with the next domid that borrows an existing region", async () => {
    const s = await start(mode);
    const info = await s.xen.create(fragment({ name: "c", image: "./probe.ts", shm: [{ id: "probe", addr: 0x7a00_0000, size: 0x1000 }] }));
    expect(info).toMatchObject({ domid: 3, name: "c", state: "running", vcpus: 1 });
    await s.waitFor((e) => e.type === "probe-up" && e["domain"] === "c");
    expect(s.xen.list().map((d) => d.name)).toEqual(["a", "b", "c"]);
    expect(s.xen.console("c").name).toBe("uart3");
    s.xen.sharedMemory("probe").write32(128, 77);
    expect((await s.act("c", { op: "map", region: "probe" }))["type"]).toBe("probe-done");
    // a channel made at run time from an older domain reaches the new one
    await s.act("c", { op: "alloc", dom: 1 });
    const port = s.of("probe-result", "c").at(-1)?.["value"] as number;
    await s.act("c", { op: "bind", port });
    await s.act("a", { op: "bind-inter", dom: 3, port });
    const local = s.of("probe-result", "a").at(-1)?.["value"] as number;
    await s.act("a", { op: "send", port: local });
    await s.waitFor((e) => e.type === "probe-event" && e["domain"] === "c");
    await s.xen.destroy("c");
    expect(s.xen.list().map((d) => d.name)).toEqual(["a", "b"]);
  });
}, 90_000); // Worker boots (each test boots two domains, some twice) take their time on a loaded machine

describe("xl create refusals", () => {
  it.each([
    ["a name in use", { name: "b", image: "./probe.ts" }, /a domain named b exists already/],
    ["a static event channel", { name: "c", image: "./probe.ts", ports: [{ port: 11, label: "c11", peer: "c11" }] }, /binds static event channels at boot only/],
    ["a region that does not exist", { name: "c", image: "./probe.ts", shm: [{ id: "other", addr: 0x7b00_0000, size: 0x1000 }] }, /static shm "other" does not exist/],
    ["a region at another address", { name: "c", image: "./probe.ts", shm: [{ id: "probe", addr: 0x7b00_0000, size: 0x1000 }] }, /static shm "probe" is 0x7a000000\+0x1000/],
  ])("refuses %s with a XenBootError, leaving nothing behind", async (_what, d, message) => {
    sys = await boot("inline", pairDomains({ a: {}, b: {} }));
    const err = await sys.xen.create(fragment(d)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XenBootError);
    expect((err as Error).message).toMatch(message);
    expect(sys.xen.list().map((x) => x.name)).toEqual(["a", "b"]);
  });

  it("an image that fails to load leaves nothing, and the fixed fragment can be created", async () => {
    sys = await boot("inline", pairDomains({ a: {}, b: {} }));
    await expect(sys.xen.create(fragment({ name: "c", image: "./no-such-image.ts" }))).rejects.toThrow(/starting d3 \(c\)/);
    expect(sys.xen.list().map((x) => x.name)).toEqual(["a", "b"]);
    expect(await sys.xen.create(fragment({ name: "c", image: "./probe.ts" }))).toMatchObject({ domid: 3, name: "c" });
  });
});

describe("destroy fault", () => {
  it("destroy:DOMAIN@TIME destroys the domain at that time and nothing restarts it", async () => {
    sys = await boot("inline", pairDomains({ a: {}, b: {} }), { onCrash: "restart", faults: { seed: 1, faults: [{ kind: "destroy", domain: "b", atMs: 50 }] } });
    const s = sys;
    await s.run(40);
    expect(s.xen.state("b")).toBe("running");
    await s.waitFor(() => s.xen.state("b") === "destroyed");
    expect(s.of("xen-fault").map((e) => [e["kind"], e["domain"]])).toEqual([["destroy", "b"]]);
    await s.run(200);
    expect(s.xen.state("b")).toBe("destroyed");
    expect(s.xenLog.text()).toContain("(XEN) d2: destroyed (fault injection)");
  });
});
