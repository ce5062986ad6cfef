// rpmsg-remote's service against the real rpmsg-host on the real
// hypervisor (inline, VirtualClock); hostile and unusual input comes from a
// raw peer on Zephyr's IPC service that sends exactly the bytes a test gives.
import { bootLinux, MemoryRootFs } from "@v8r/linux-shim";
import { ringIndexOffsets } from "@v8r/openamp-wasm";
import { bootZephyr, createRpmsgIpcInstance, ipc_service_open_instance } from "@v8r/zephyr-shim";
import { afterEach, describe, expect, it } from "vitest";
import { bootDemoSystem, type DemoSystem, type DemoSystemOptions } from "../test/_demo-system.ts";
import { type RawHost, startRawHost, userCommands } from "../test/_raw-host.ts";
import { LIVENESS } from "../protocol/mod.ts";
import { runRpmsgHost } from "../zephyr-rpmsg-host/mod.ts";
import { LinkState, RpmsgDemoService } from "./rpmsg-demo-service.ts";
import { runRpmsgRemote } from "./rpmsg-remote-app.ts";

const systems: DemoSystem[] = [];
afterEach(async () => {
  for (const s of systems.splice(0)) await s.close();
});

async function boot(opts: DemoSystemOptions = {}): Promise<DemoSystem> {
  const sys = await bootDemoSystem(opts);
  systems.push(sys);
  return sys;
}

function service(sys: DemoSystem): RpmsgDemoService {
  const svc = sys.remote().service;
  if (svc === undefined) throw new Error("the rpmsg-demo service is not running");
  return svc;
}

/** Wait (in virtual time) until `done()` holds, in steps of `stepMs`, at most `maxMs`. */
async function until(sys: DemoSystem, done: () => boolean, maxMs: number, stepMs = 50): Promise<void> {
  for (let t = 0; t < maxMs && !done(); t += stepMs) await sys.run(stepMs);
}

async function json(sys: DemoSystem): Promise<{ link: string; counters: { received: number; restarts: number }; latest?: { seq: number } }> {
  await service(sys).flush();
  return JSON.parse(await sys.remote().linux.rootfs.readText("/usr/share/nginx/html/zephyr-status.json")) as never;
}

describe("RpmsgDemoService against rpmsg-host", () => {
  it("announces rpmsg-demo and rpmsg-ctrl and completes the bound handshake", async () => {
    const sys = await boot();
    await sys.run(100);
    const svc = service(sys);
    expect(svc.bound).toEqual({ demo: true, ctrl: true });
    expect(svc.linkState).toBe(LinkState.BOUND);
    expect(svc.counters.handshakes).toBe(2);
    expect(sys.host().stats().up).toBe(true);
  });

  it("keeps valid samples and publishes the page and JSON after each one", async () => {
    const sys = await boot();
    await sys.run(2_100);
    const svc = service(sys);
    expect(svc.counters.samples).toBe(2);
    expect(svc.history.latest()?.sample.seq).toBe(1);
    const doc = await json(sys);
    expect(doc.link).toBe("bound");
    expect(doc.latest?.seq).toBe(1);
    const html = await sys.remote().linux.rootfs.readText("/usr/share/nginx/html/zephyr-status.html");
    expect(html).toContain("rpmsg_tx");
    expect(html).toContain(sys.host().boot);
    expect(await sys.remote().linux.rootfs.readdir("/usr/share/nginx/html")).toEqual(["zephyr-status.html", "zephyr-status.json"]);
  });

  it("gets Zephyr's replies to ping, period and sample, with their ids", async () => {
    const sys = await boot();
    await sys.run(1_500);
    const { ctrl } = service(sys);
    const replies = [ctrl.ping(), ctrl.period(500), ctrl.sample(), ctrl.period(5)];
    await sys.run(50);
    const answered = await Promise.all(replies);
    // consecutive ids (the link's acks take ids of their own before these)
    const first = answered[0]?.id as number;
    expect(answered).toEqual([
      { id: first, ok: true, t: 1500 },
      { id: first + 1, ok: true, per: 500 },
      { id: first + 2, ok: true, seq: 1 },
      { id: first + 3, ok: false, err: "ms must be an integer in 100..60000" },
    ]);
    expect(sys.host().periodMs).toBe(500);
  });

  it("works when the host was up before Linux", async () => {
    const sys = await boot({
      linux: async (ctx) => {
        await new Promise<void>((r) => void ctx.clock.setTimeout(r, 2_000));
        return runRpmsgRemote(ctx);
      },
    });
    await sys.run(3_100);
    const svc = service(sys);
    expect(svc.linkState).toBe(LinkState.BOUND);
    expect(svc.counters.samples).toBeGreaterThanOrEqual(1);
  });

  it("waits for the host, showing the link as waiting", async () => {
    const sys = await boot({
      zephyr: async (ctx) => {
        await new Promise<void>((r) => void ctx.clock.setTimeout(r, 5_000));
        return runRpmsgHost(ctx);
      },
    });
    await sys.run(4_900);
    expect(service(sys).linkState).toBe(LinkState.WAITING);
    await sys.run(600);
    expect(service(sys).linkState).toBe(LinkState.BOUND);
  });

  it("re-attaches when Zephyr restarts, showing the link down meanwhile, without restarting Linux", async () => {
    const sys = await boot({ zephyrArgs: "seed=1" });
    await sys.run(2_100);
    const before = sys.host().boot;
    await sys.xen.restart("zephyr");
    await until(sys, () => service(sys).counters.samples >= 4, 5_000);
    const svc = service(sys);
    expect(sys.host().boot).not.toBe(before);
    expect(svc.linkState).toBe(LinkState.BOUND);
    expect(svc.counters.peerResets).toBeGreaterThanOrEqual(1);
    expect(svc.counters.reattaches).toBe(1);
    expect(svc.history.counters.restarts).toBe(1);
    expect(sys.events).toContainEqual(expect.objectContaining({ type: "linux.link", state: LinkState.DOWN }));
    expect(sys.consoles.linux.text()).toContain("bound again (re-attached)");
    expect(sys.consoles.linux.text()).toContain(`Zephyr restarted (boot ${before} -> ${sys.host().boot})`);
    expect(sys.consoles.linux.text().match(/Booting Linux/g)).toHaveLength(1);
    const reply = svc.ctrl.ping();
    await sys.run(50);
    expect(await reply).toMatchObject({ ok: true });
  });

  it("notices the host's re-initialisations by polling when no doorbell arrives", async () => {
    const sys = await boot({
      linux: async (ctx) => {
        const app = await runRpmsgRemote(ctx);
        ctx.evtchn.mask(0xa); // every doorbell to Linux stays pending from now on
        return app;
      },
    });
    await sys.run(1_500);
    expect(service(sys).linkState).toBe(LinkState.BOUND);
    await sys.xen.restart("zephyr");
    await until(sys, () => service(sys).counters.reattaches === 1 && service(sys).linkState === LinkState.BOUND, 3_000);
    expect(service(sys).counters.reattaches).toBe(1);
    expect(service(sys).linkState).toBe(LinkState.BOUND);
    expect(sys.ctx("linux").evtchn.isMasked(0xa)).toBe(true);
  });

  it("survives several Zephyr restarts in a row", async () => {
    const sys = await boot();
    await sys.run(1_100);
    for (let i = 0; i < 3; i++) {
      const samples = service(sys).counters.samples;
      await sys.xen.restart("zephyr");
      await until(sys, () => service(sys).counters.samples > samples && service(sys).linkState === LinkState.BOUND, 5_000);
    }
    const svc = service(sys);
    expect(svc.counters.reattaches).toBe(3);
    expect(svc.history.counters.restarts).toBe(3);
    expect(svc.linkState).toBe(LinkState.BOUND);
  });

  it("recovers within a second when the rings no longer match the remote's state although the host says DRIVER_OK: the host stops hearing it and re-initialises", async () => {
    const sys = await boot();
    await sys.run(1_100);
    const svc = service(sys);
    // corrupt the used indices: the rings no longer match the remote's state
    const w = sys.xen.sharedMemory("rpmsg-shm");
    const offsets = ringIndexOffsets(svc.layout);
    for (const { usedIdx } of [offsets.toHost, offsets.toRemote]) w.write16(usedIdx, (w.read16(usedIdx) + 7) & 0xffff);
    const samples = svc.counters.samples;
    await sys.run(1_500);
    expect(sys.host().stats().ri).toBe(1);
    expect(svc.counters.peerResets).toBeGreaterThanOrEqual(1);
    expect(svc.linkState).toBe(LinkState.BOUND);
    await sys.run(1_000);
    expect(svc.counters.samples).toBeGreaterThan(samples);
    expect(svc.counters.devices).toBe(1);
    expect(svc.history.counters).toMatchObject({ lost: 0, stale: 0 });
  });

  it("shows the host as not answering when the endpoints it announced stay unbound (a host gone or hung before binding them)", async () => {
    const sys = await boot({
      // a host that sets the link up and then binds nothing, as a Zephyr destroyed right after a re-init leaves it
      zephyr: async (ctx) => {
        await ipc_service_open_instance(createRpmsgIpcInstance(bootZephyr(ctx, { appName: "mute-host" }), { role: "host" }));
        return {};
      },
    });
    await sys.run(LIVENESS.bindWithinMs - 500);
    expect(service(sys).linkState).toBe(LinkState.ANNOUNCED);
    await sys.run(750);
    expect(service(sys).linkState).toBe(LinkState.UNRESPONSIVE);
    expect((await json(sys)).link).toBe(LinkState.UNRESPONSIVE);
  });

  it("stop() closes the evtchn file and keeps the port bound in Xen", async () => {
    const sys = await boot();
    await sys.run(1_100);
    const svc = service(sys);
    await svc.stop();
    sys.ctx("zephyr").evtchn.send(0xa);
    await sys.run(10);
    expect(sys.ctx("linux").evtchn.isPending(0xa)).toBe(true);
    expect(svc.history.linkState).toBe("stopped");
    expect(await sys.remote().linux.rootfs.readText("/usr/share/nginx/html/zephyr-status.json")).toContain('"link":"stopped"');
    expect(() => sys.remote().linux.devices.evtchn().open().ioctl(0x00044507, { port: 0xa })).not.toThrow();
  });

  it("publishes link changes and samples, with the sample and the totals, on the trace bus", async () => {
    const sys = await boot();
    await sys.run(2_100);
    const samples = sys.events.filter((e) => e.type === "linux.sample");
    expect(sys.events).toContainEqual(expect.objectContaining({ type: "linux.link", state: LinkState.BOUND, domain: "linux" }));
    expect(samples).toEqual([
      expect.objectContaining({ seq: 0, outcome: "first", lost: 0, sample: expect.objectContaining({ seq: 0, t: 1000 }), counters: expect.objectContaining({ received: 1 }) }),
      expect.objectContaining({ seq: 1, outcome: "next", lost: 0, counters: expect.objectContaining({ received: 2 }) }),
    ]);
  });

  it("counts and logs failed page writes and keeps receiving", async () => {
    const rootfs = new MemoryRootFs();
    const sys = await boot({
      linux: async (ctx) => {
        const app = await runRpmsgRemote(ctx, { rootfs });
        rootfs.writeFile = () => Promise.reject(new Error("disk full"));
        return app;
      },
    });
    await sys.run(2_100);
    await service(sys).flush();
    expect(service(sys).counters.samples).toBe(2);
    expect(service(sys).counters.publishErrors).toBeGreaterThanOrEqual(2);
    expect(sys.consoles.linux.text()).toContain("rpmsg-remote: writing the status page failed: disk full");
  });

  it("names the counters file, not the page, when only saving the counters fails", async () => {
    const rootfs = new MemoryRootFs();
    const sys = await boot({
      linux: async (ctx) => {
        const app = await runRpmsgRemote(ctx, { rootfs });
        const write = rootfs.writeFile.bind(rootfs);
        rootfs.writeFile = (path, data) => (path.startsWith("/var/lib/rpmsg-demo/") ? Promise.reject(new Error("disk full")) : write(path, data));
        return app;
      },
    });
    await sys.run(2_100);
    await service(sys).flush();
    expect(service(sys).counters.publishErrors).toBeGreaterThanOrEqual(2);
    const text = sys.consoles.linux.text();
    expect(text).toContain("rpmsg-remote: saving the counters to /var/lib/rpmsg-demo/history.json: disk full: failed");
    expect(text).not.toContain("writing the status page failed");
    expect(await rootfs.readText("/usr/share/nginx/html/zephyr-status.html")).toContain("</html>");
  });

  it("lets virtual time run on while a page write is slow, and a run ends with the newest state written as of its sample", async () => {
    const rootfs = new MemoryRootFs();
    const write = rootfs.writeFile.bind(rootfs);
    rootfs.writeFile = async (path, data) => {
      await new Promise((r) => setTimeout(r, 40)); // a slow disk, in real time
      return write(path, data);
    };
    const sys = await boot({ linux: (ctx) => runRpmsgRemote(ctx, { rootfs }) });
    await sys.run(500);
    const before = service(sys).counters.published;
    await sys.run(10_050);
    expect(service(sys).counters.samples).toBe(10);
    expect(service(sys).counters.published - before).toBeLessThan(10);
    const doc = JSON.parse(await rootfs.readText("/usr/share/nginx/html/zephyr-status.json")) as { counters: { received: number } };
    expect(doc.counters.received).toBe(10);
    // Rendered as of the last sample (at 10 000 ms), not as of when the slow write began.
    expect(await rootfs.readText("/usr/share/nginx/html/zephyr-status.html")).toContain("0.0 s ago");
  });
});

describe("RpmsgDemoService against a raw peer (hostile or unusual input)", () => {
  async function bootRaw(options: { bufferSize?: number } = {}) {
    const sys = await boot({
      zephyr: (ctx) => startRawHost(ctx, options),
      ...(options.bufferSize === undefined
        ? {}
        : { linux: async (ctx) => ({ service: await RpmsgDemoService.start({ linux: await bootLinux(ctx, { shell: false }), bufferSize: options.bufferSize }) }) }),
    });
    await sys.run(100);
    const raw = sys.app<RawHost>("zephyr");
    const step = async (ms = 10): Promise<void> => {
      await sys.run(ms);
      await service(sys).flush();
    };
    return { sys, raw, step };
  }

  it("counts a gap in seq that Zephyr's dr explains as lost samples and says so", async () => {
    const { sys, raw, step } = await bootRaw();
    for (const [seq, dr] of [[0, 0], [1, 0], [5, 3]] as const) await raw.sendSample(seq, undefined, dr);
    await step();
    expect(service(sys).history.counters.lost).toBe(3);
    expect(sys.consoles.linux.text()).toContain("rpmsg-remote: lost 3 sample(s) before seq 5");
    expect(sys.events).toContainEqual(expect.objectContaining({ type: "linux.sample", seq: 5, outcome: "gap", lost: 3 }));
  });

  it("sets aside a sample after a gap Zephyr's dr does not explain, acknowledges only what came in order, and counts nothing lost", async () => {
    const { sys, raw, step } = await bootRaw();
    for (const seq of [0, 1, 5]) await raw.sendSample(seq);
    await step(300);
    expect(service(sys).history.counters).toMatchObject({ received: 2, lost: 0, outOfOrder: 1 });
    expect(sys.events).toContainEqual(expect.objectContaining({ type: "linux.sample", seq: 5, outcome: "out-of-order" }));
    const acks = raw.commands.filter((c) => c.includes('"cmd":"ack"')).map((c) => JSON.parse(c) as { boot: number; next: number });
    expect(acks.length).toBeGreaterThan(0);
    expect(acks.every((a) => a.boot === 0x1a2b3c4d && a.next === 2)).toBe(true);
  });

  it.each([
    ["not JSON", "{nope", "not-json"],
    ["JSON but not an object", "[1,2]", "not-object"],
    ["missing seq", '{"v":1,"boot":"1a2b3c4d","t":5}', "missing-field"],
    ["not UTF-8", Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d), "not-utf8"],
  ])("counts, logs and publishes a malformed sample (%s) and keeps going", async (_what, payload, code) => {
    const { sys, raw, step } = await bootRaw();
    await raw.send(payload);
    await raw.sendSample(0);
    await step();
    const svc = service(sys);
    expect(svc.counters.malformed).toBe(1);
    expect(svc.counters.samples).toBe(1);
    expect(svc.history.counters.malformed).toBe(1);
    expect(sys.consoles.linux.text()).toContain("rpmsg-remote: dropped a malformed sample (#1)");
    expect(sys.events).toContainEqual(expect.objectContaining({ type: "linux.malformed", code, count: 1, counters: expect.objectContaining({ malformed: 1 }) }));
    expect(svc.linkState).toBe(LinkState.BOUND);
  });

  it("rejects a sample over 496 bytes as oversize", async () => {
    // Both sides agree on 1040-byte buffers, so the link carries it; the protocol does not.
    const { sys, raw, step } = await bootRaw({ bufferSize: 1040 });
    await raw.send(JSON.stringify({ v: 1, seq: 0, boot: "1a2b3c4d", t: 1, pad: "x".repeat(600) }));
    await raw.sendSample(1);
    await step(100);
    expect(service(sys).counters.oversize).toBe(1);
    expect(service(sys).counters.samples).toBe(1);
  });

  it("logs only the first malformed samples of a flood and never stops", async () => {
    const { sys, raw, step } = await bootRaw();
    for (let i = 0; i < 40; i++) {
      await raw.send(`garbage ${i}`);
      if (i % 8 === 7) await step();
    }
    await raw.sendSample(0);
    await step();
    expect(service(sys).counters.malformed).toBe(40);
    expect(sys.consoles.linux.text().match(/dropped a malformed sample/g)?.length).toBe(5);
    expect(service(sys).counters.samples).toBe(1);
  });

  it("writes the files once more after a burst instead of once per sample", async () => {
    const { sys, raw, step } = await bootRaw();
    const before = service(sys).counters.published;
    for (let i = 0; i < 20; i++) await raw.sendSample(i);
    await step();
    expect(service(sys).history.latest()?.sample.seq).toBe(19);
    expect(service(sys).counters.published - before).toBeLessThan(20);
    expect(service(sys).counters.published - before).toBeGreaterThanOrEqual(1);
    expect((await json(sys)).counters.received).toBe(20);
  });

  it("times out a command when Zephyr does not answer", async () => {
    const { sys, raw, step } = await bootRaw();
    const caught = service(sys).ctrl.ping(1000).catch((e: unknown) => e);
    await step(1500);
    expect(await caught).toMatchObject({ code: "ETIMEDOUT" });
    expect(userCommands(raw)).toEqual(['{"id":1,"cmd":"ping"}']);
  });
});
