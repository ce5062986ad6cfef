import { describe, expect, it } from "vitest";
import { createFakePair } from "../test/_fake-domain.ts";
import { openamp, ScriptedHost } from "../test/_scripted-host.ts";
import { bootLinux } from "./linux.ts";
import { MemoryRootFs } from "./rootfs-memory.ts";
import { LinkState, RpmsgDemoService } from "./rpmsg-demo-service.ts";

async function setup(opts: { hostFirst?: boolean } = {}) {
  const pair = createFakePair({ ports: [0xa] });
  const linux = await bootLinux(pair.b.ctx, { shell: false });
  let host: ScriptedHost | undefined;
  if (opts.hostFirst) host = await ScriptedHost.create(pair.a);
  const svc = await RpmsgDemoService.start({ linux, openamp: await openamp() });
  host ??= await ScriptedHost.create(pair.a);
  await pair.clock.run(pair.clock.now() + 100);
  const step = async (ms = 10): Promise<void> => {
    await pair.clock.run(pair.clock.now() + ms);
    await svc.flush();
  };
  return { ...pair, linux, svc, host, step };
}

describe("RpmsgDemoService against a scripted OpenAMP host", () => {
  it("announces rpmsg-demo and rpmsg-ctrl and completes the bound handshake", async () => {
    const { svc, host } = await setup();
    expect([...host.announced].sort()).toEqual(["rpmsg-ctrl", "rpmsg-demo"]);
    expect([...host.bound].sort()).toEqual(["rpmsg-ctrl", "rpmsg-demo"]);
    expect(svc.bound).toEqual({ demo: true, ctrl: true });
    expect(svc.linkState).toBe(LinkState.BOUND);
    expect(svc.counters.handshakes).toBe(2);
    expect(host.demoMessages).toEqual([]);
  });
});

describe("RpmsgDemoService samples", () => {
  it("keeps valid samples and publishes the page and JSON after each one", async () => {
    const { svc, host, step, linux } = await setup();
    host.sendSample(0);
    await step();
    host.sendSample(1, "1a2b3c4d", { cpu: 42.5, thr: [["main", "running", 40]] });
    await step();
    expect(svc.counters.samples).toBe(2);
    expect(svc.history.latest()?.sample.seq).toBe(1);
    const json = JSON.parse(await linux.rootfs.readText("/usr/share/nginx/html/zephyr-status.json")) as { link: string; latest?: { seq: number } };
    expect(json.link).toBe("bound");
    expect(JSON.stringify(json)).toContain('"seq":1');
    const html = await linux.rootfs.readText("/usr/share/nginx/html/zephyr-status.html");
    expect(html).toContain("main");
    expect(html).toContain("42.5");
    expect(await linux.rootfs.readdir("/usr/share/nginx/html")).toEqual(["zephyr-status.html", "zephyr-status.json"]);
  });

  it("counts a gap in seq as lost samples and says so", async () => {
    const { svc, host, step, b } = await setup();
    host.sendSample(0);
    host.sendSample(1);
    host.sendSample(5);
    await step();
    expect(svc.history.counters.lost).toBe(3);
    expect(b.output()).toContain("rpmsg-remote: lost 3 sample(s) before seq 5");
  });

  it("notices a Zephyr restart from a new boot id", async () => {
    const { svc, host, step, b } = await setup();
    host.sendSample(0, "aaaaaaaa");
    host.sendSample(1, "aaaaaaaa");
    host.sendSample(0, "bbbbbbbb");
    await step();
    expect(svc.history.counters.restarts).toBe(1);
    expect(svc.history.counters.lost).toBe(0);
    expect(b.output()).toContain("Zephyr restarted (boot aaaaaaaa -> bbbbbbbb)");
  });

  it.each([
    ["not JSON", "{nope"],
    ["JSON but not an object", "[1,2]"],
    ["missing seq", '{"v":1,"boot":"1a2b3c4d","t":5}'],
    ["not UTF-8", Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d)],
  ])("counts and logs a malformed sample (%s) and keeps going", async (_what, payload) => {
    const { svc, host, step, b } = await setup();
    host.sendRaw(payload);
    host.sendSample(0);
    await step();
    expect(svc.counters.malformed).toBe(1);
    expect(svc.counters.samples).toBe(1);
    expect(svc.history.counters.malformed).toBe(1);
    expect(b.output()).toContain("rpmsg-remote: dropped a malformed sample (#1)");
    expect(svc.linkState).toBe(LinkState.BOUND);
  });

  it("rejects a sample over 496 bytes as oversize", async () => {
    // Both sides agree on 1040-byte buffers, so the link carries it; the protocol does not.
    const pair = createFakePair({ ports: [0xa] });
    const linux = await bootLinux(pair.b.ctx, { shell: false });
    const svc = await RpmsgDemoService.start({ linux, openamp: await openamp(), bufferSize: 1040 });
    const host = await ScriptedHost.create(pair.a, { bufferSize: 1040 });
    await pair.clock.run(100);
    host.sendRaw(JSON.stringify({ v: 1, seq: 0, boot: "1a2b3c4d", t: 1, pad: "x".repeat(600) }));
    host.sendSample(1);
    await pair.clock.run(200);
    await svc.flush();
    expect(svc.counters.oversize).toBe(1);
    expect(svc.counters.samples).toBe(1);
  });

  it("logs only the first malformed samples of a flood and never stops", async () => {
    const { svc, host, step, b } = await setup();
    for (let i = 0; i < 40; i++) {
      host.sendRaw(`garbage ${i}`);
      if (i % 8 === 7) await step();
    }
    host.sendSample(0);
    await step();
    expect(svc.counters.malformed).toBe(40);
    expect(b.output().match(/dropped a malformed sample/g)?.length).toBe(5);
    expect(svc.counters.samples).toBe(1);
  });
});

describe("RpmsgDemoService rpmsg-ctrl", () => {
  it.each([
    ["ping", (s: RpmsgDemoService) => s.ctrl.ping(), { ok: true, t: 777 }],
    ["period", (s: RpmsgDemoService) => s.ctrl.period(500), { ok: true, per: 500 }],
    ["sample", (s: RpmsgDemoService) => s.ctrl.sample(), { ok: true, seq: 3 }],
    ["a rejected period", (s: RpmsgDemoService) => s.ctrl.period(5), { ok: false, err: "unknown or invalid command" }],
  ])("%s gets the reply with its id", async (_what, call, expected) => {
    const { svc, host, step } = await setup();
    host.uptime = 777;
    host.seq = 3;
    const reply = call(svc);
    await step(50);
    const r = await reply;
    expect(r).toMatchObject(expected);
    expect(typeof r.id).toBe("number");
    expect(host.ctrlCommands).toHaveLength(1);
  });

  it("times out when Zephyr does not answer", async () => {
    const { svc, host, step } = await setup();
    host.silentCtrl = true;
    const reply = svc.ctrl.ping(1000);
    const caught = reply.catch((e: unknown) => e);
    await step(1500);
    expect(await caught).toMatchObject({ code: "ETIMEDOUT" });
  });
});

describe("RpmsgDemoService re-attach", () => {
  it("works when the host was up before Linux", async () => {
    const { svc, step, host } = await setup({ hostFirst: true });
    host.sendSample(0);
    await step();
    expect(svc.linkState).toBe(LinkState.BOUND);
    expect(svc.counters.samples).toBe(1);
  });

  it("waits for the host, showing the link as waiting", async () => {
    const pair = createFakePair({ ports: [0xa] });
    const linux = await bootLinux(pair.b.ctx, { shell: false });
    const svc = await RpmsgDemoService.start({ linux, openamp: await openamp() });
    await pair.clock.run(5000);
    expect(svc.linkState).toBe(LinkState.WAITING);
    await ScriptedHost.create(pair.a);
    await pair.clock.run(5500);
    expect(svc.linkState).toBe(LinkState.BOUND);
  });

  it("re-announces and binds again after the host re-initialises the link, without restarting Linux", async () => {
    const { svc, host, step, b } = await setup();
    host.sendSample(0, "aaaaaaaa");
    await step();
    await host.reinit();
    await step(1000);
    expect(host.bound.has("rpmsg-demo")).toBe(true);
    expect(svc.linkState).toBe(LinkState.BOUND);
    expect(svc.counters.peerResets).toBeGreaterThanOrEqual(1);
    expect(svc.counters.reattaches).toBe(1);
    host.sendSample(0, "bbbbbbbb");
    await step();
    expect(svc.counters.samples).toBe(2);
    expect(svc.history.counters.restarts).toBe(1);
    expect(b.output()).toContain("bound again (re-attached)");
    const reply = svc.ctrl.ping();
    await step(50);
    expect(await reply).toMatchObject({ ok: true });
  });

  it("notices a re-init by polling when the host does not kick", async () => {
    const pair = createFakePair({ ports: [0xa] });
    const linux = await bootLinux(pair.b.ctx, { shell: false });
    const svc = await RpmsgDemoService.start({ linux, openamp: await openamp() });
    const host = await ScriptedHost.create(pair.a, { kickOnInit: false });
    await pair.clock.run(1000);
    expect(svc.linkState).toBe(LinkState.BOUND);
    await host.reinit();
    await pair.clock.run(2000);
    expect(svc.counters.reattaches).toBe(1);
    expect(svc.linkState).toBe(LinkState.BOUND);
  });

  it("shows the link down while Zephyr is gone and re-attaches when it comes back", async () => {
    const { svc, host, step, linux } = await setup();
    host.sendSample(0, "aaaaaaaa");
    await step();
    host.goAway();
    await step(1000);
    expect(svc.linkState).toBe(LinkState.DOWN);
    const json = JSON.parse(await linux.rootfs.readText("/usr/share/nginx/html/zephyr-status.json")) as { link: string };
    expect(json.link).toBe(LinkState.DOWN);
    await step(10_000);
    await host.reinit();
    await step(1000);
    expect(svc.linkState).toBe(LinkState.BOUND);
    host.sendSample(0, "bbbbbbbb");
    await step();
    expect(svc.history.counters.restarts).toBe(1);
  });

  it("re-creates the OpenAMP remote when the link stays broken although the host says DRIVER_OK", async () => {
    const { svc, host, step, a } = await setup();
    host.sendSample(0);
    await step();
    // corrupt the used indices: the rings no longer match the remote's state
    const w = a.ctx.mapSharedMemory("rpmsg-shm");
    const { num, align } = svc.layout;
    for (const vring of [svc.layout.vring0Offset, svc.layout.vring1Offset]) {
      const usedIdx = vring + Math.ceil((16 * num + 6 + 2 * num) / align) * align + 2;
      w.write16(usedIdx, (w.read16(usedIdx) + 7) & 0xffff);
    }
    await step(3000);
    // instantiating the new wasm device is real-time asynchronous work: let it finish
    for (let i = 0; i < 200 && svc.counters.devices < 2; i++) await new Promise((r) => setTimeout(r, 5));
    await step(100);
    expect(svc.counters.devices).toBeGreaterThanOrEqual(2);
    expect(svc.stats()).toBeDefined();
    expect(svc.counters.peerResets).toBeGreaterThanOrEqual(1);
  });

  it("survives several re-inits in a row", async () => {
    const { svc, host, step } = await setup();
    for (let i = 0; i < 3; i++) {
      await host.reinit();
      await step(1000);
      host.sendSample(i, `0000000${i}`);
      await step();
    }
    expect(svc.counters.samples).toBe(3);
    expect(svc.counters.reattaches).toBe(3);
    expect(svc.linkState).toBe(LinkState.BOUND);
  });

  it("stop() closes the evtchn file and keeps the port bound in Xen", async () => {
    const { svc, b, a, step, linux } = await setup();
    await svc.stop();
    a.ctx.evtchn.send(0xa);
    await step();
    expect(b.ctx.evtchn.isPending(0xa)).toBe(true);
    expect(svc.history.linkState).toBe("stopped");
    expect(await linux.rootfs.readText("/usr/share/nginx/html/zephyr-status.json")).toContain('"link":"stopped"');
    expect(() => linux.devices.evtchn().open().ioctl(0x00044507, { port: 0xa })).not.toThrow();
  });
});

describe("RpmsgDemoService reporting", () => {
  it("publishes link changes, samples and malformed input on the trace bus", async () => {
    const { host, step, b } = await setup();
    host.sendSample(0);
    host.sendSample(3);
    host.sendRaw("nope");
    await step();
    expect(b.published).toContainEqual(expect.objectContaining({ type: "linux.link", state: LinkState.BOUND }));
    expect(b.published).toContainEqual(expect.objectContaining({ type: "linux.sample", seq: 3, outcome: "gap", lost: 2 }));
    expect(b.published).toContainEqual(expect.objectContaining({ type: "linux.malformed", code: "not-json", count: 1 }));
  });

  it("counts and logs failed page writes and keeps receiving", async () => {
    const pair = createFakePair({ ports: [0xa] });
    const rootfs = new MemoryRootFs();
    const linux = await bootLinux(pair.b.ctx, { shell: false, rootfs });
    rootfs.writeFile = () => Promise.reject(new Error("disk full"));
    const svc = await RpmsgDemoService.start({ linux, openamp: await openamp() });
    const host = await ScriptedHost.create(pair.a);
    await pair.clock.run(100);
    host.sendSample(0);
    await pair.clock.run(200);
    await svc.flush();
    host.sendSample(1);
    await pair.clock.run(300);
    await svc.flush();
    expect(svc.counters.samples).toBe(2);
    expect(svc.counters.publishErrors).toBeGreaterThanOrEqual(2);
    expect(pair.b.output()).toContain("rpmsg-remote: writing the status page failed: disk full");
  });

  it("lets virtual time run on while a page write is slow, and a run ends with the newest state written as of its sample", async () => {
    const pair = createFakePair({ ports: [0xa] });
    const rootfs = new MemoryRootFs();
    const linux = await bootLinux(pair.b.ctx, { shell: false, rootfs });
    const write = rootfs.writeFile.bind(rootfs);
    rootfs.writeFile = async (path, data) => {
      await new Promise((r) => setTimeout(r, 40)); // a slow disk, in real time
      return write(path, data);
    };
    const svc = await RpmsgDemoService.start({ linux, openamp: await openamp() });
    const host = await ScriptedHost.create(pair.a);
    await pair.clock.run(100);
    let seq = 0;
    pair.clock.setInterval(() => host.sendSample(seq++), 1000);
    const before = svc.counters.published;
    await pair.clock.run(10_500);
    expect(svc.counters.samples).toBe(10);
    expect(svc.counters.published - before).toBeLessThan(10);
    const json = JSON.parse(await rootfs.readText("/usr/share/nginx/html/zephyr-status.json")) as { counters: { received: number } };
    expect(json.counters.received).toBe(10);
    // Rendered as of the last sample (at 10 100 ms), not as of when the slow write began.
    expect(await rootfs.readText("/usr/share/nginx/html/zephyr-status.html")).toContain("0.0 s ago");
  });

  it("writes the files once more after a burst instead of once per sample", async () => {
    const { svc, host, step, linux } = await setup();
    const before = svc.counters.published;
    for (let i = 0; i < 20; i++) host.sendSample(i);
    await step();
    expect(svc.history.latest()?.sample.seq).toBe(19);
    expect(svc.counters.published - before).toBeLessThan(20);
    expect(svc.counters.published - before).toBeGreaterThanOrEqual(1);
    const json = JSON.parse(await linux.rootfs.readText("/usr/share/nginx/html/zephyr-status.json")) as { counters: { received: number } };
    expect(json.counters.received).toBe(20);
  });
});
