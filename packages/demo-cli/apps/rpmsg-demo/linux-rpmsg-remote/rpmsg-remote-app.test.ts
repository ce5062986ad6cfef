import { afterEach, describe, expect, it } from "vitest";
import { bootDemoSystem, type DemoSystem, type DemoSystemOptions } from "../test/_demo-system.ts";
import { type RawHost, startRawHost, userCommands } from "../test/_raw-host.ts";
import { LinkState } from "./rpmsg-demo-service.ts";
import { rpmsgRemoteConfig } from "./rpmsg-remote-app.ts";

describe("rpmsgRemoteConfig", () => {
  it("has the demo defaults", () => {
    expect(rpmsgRemoteConfig("")).toEqual({ autorun: true, shmId: "rpmsg-shm", port: 10, physBase: undefined, rootfsDir: undefined, linkPollMs: 250 });
  });

  it.each([
    ["autorun=0", { autorun: false }],
    ["autorun=off", { autorun: false }],
    ["autorun=1", { autorun: true }],
    ["evtchn=0xb", { port: 11 }],
    ["evtchn=12", { port: 12 }],
    ["shm_id=other shm_phys=0x7a000000", { shmId: "other", physBase: 0x7a000000 }],
    ["rootfs=/tmp/v8r-root", { rootfsDir: "/tmp/v8r-root" }],
  ])("reads %s", (bootargs, expected) => {
    expect(rpmsgRemoteConfig(bootargs)).toMatchObject(expected);
  });

  it.each([
    ["evtchn=ten", /evtchn=ten is not an integer/],
    ["evtchn=0", /evtchn=0 is not an integer >= 1/],
    ["rootfs=relative/dir", /rootfs=relative\/dir must be an absolute host path/],
  ])("rejects %s", (bootargs, message) => {
    expect(() => rpmsgRemoteConfig(bootargs)).toThrow(message);
  });
});

const systems: DemoSystem[] = [];
afterEach(async () => {
  for (const s of systems.splice(0)) await s.close();
});

async function booted(linuxArgs: string, opts: DemoSystemOptions = {}): Promise<DemoSystem> {
  const sys = await bootDemoSystem({ linuxArgs, ...opts });
  systems.push(sys);
  await sys.run(100);
  return sys;
}

describe("runRpmsgRemote", () => {
  it("starts the service at boot by default and writes the page for each sample", async () => {
    const sys = await booted("console=hvc0");
    const app = sys.remote();
    expect(app.service?.linkState).toBe(LinkState.BOUND);
    await sys.run(1_000);
    await app.service?.flush();
    expect(await app.linux.rootfs.readText("/usr/share/nginx/html/zephyr-status.html")).toContain("<html");
    const out = sys.consoles.linux.text() + sys.xen.console("linux").pending();
    expect(out).toMatch(/rpmsg-remote: started on xen-shmem "rpmsg-shm" \(\d+ buffers each way\), evtchn port 10/);
    expect(out.indexOf("root@v8r64-linux:~# ")).toBeGreaterThan(out.indexOf("rpmsg-remote: started on"));
  });

  it("with autorun=0 boots to the console and starts on `rpmsg-demo`", async () => {
    const sys = await booted("autorun=0");
    const app = sys.remote();
    expect(app.service).toBeUndefined();
    expect(sys.consoles.linux.text()).toContain("autorun is off");
    expect(sys.host().stats().up).toBe(false);
    expect(await sys.type("rpmsg-demo status")).toContain("rpmsg-demo: not running");
    await sys.type("rpmsg-demo");
    expect(app.service).toBeDefined();
    await sys.type("");
    expect(await sys.type("rpmsg-demo status")).toContain("link: bound");
    expect(await sys.type("rpmsg-demo")).toContain("rpmsg-demo: already running");
    expect(sys.host().stats().up).toBe(true);
  });

  it("rpmsg-ctrl sends the protocol's commands to Zephyr and prints the replies", async () => {
    const sys = await booted("");
    await sys.run(4_221);
    const ping = await sys.type("rpmsg-ctrl ping", 10);
    expect(ping).toMatch(/\{"id":\d+,"ok":true,"t":4321\}/);
    expect(ping).toContain("rpmsg-ctrl: ok, Zephyr uptime 4.321 s");
    expect(await sys.type("rpmsg-ctrl period 500")).toContain("rpmsg-ctrl: ok, sampling every 500 ms");
    expect(sys.host().periodMs).toBe(500);
    expect(await sys.type("rpmsg-ctrl sample")).toMatch(/rpmsg-ctrl: ok, sample seq \d+ sent/);
    expect(await sys.type("rpmsg-ctrl period 5")).toContain("rpmsg-ctrl: error: ms must be an integer in 100..60000");
  });

  it.each([
    ["rpmsg-ctrl", "missing command"],
    ["rpmsg-ctrl reboot", 'unknown command "reboot"'],
    ["rpmsg-ctrl period soon", "period needs an integer MS"],
    ["rpmsg-ctrl ping -t 0", "-t needs a positive number"],
  ])("`%s` prints usage and sends nothing", async (line, message) => {
    const sys = await booted("", { zephyr: (ctx) => startRawHost(ctx) });
    const out = await sys.type(line);
    expect(out).toContain(`rpmsg-ctrl: ${message}`);
    expect(out).toContain("usage: rpmsg-ctrl ping|period MS|sample");
    expect(userCommands(sys.app<RawHost>("zephyr"))).toEqual([]);
  });

  it("rpmsg-ctrl reports a timeout when Zephyr does not answer", async () => {
    const sys = await booted("", { zephyr: (ctx) => startRawHost(ctx) });
    expect(await sys.type("rpmsg-ctrl ping -t 300", 1_000)).toContain("rpmsg-ctrl: rpmsg-ctrl ping (id 1): no reply within 300 ms");
  });

  it("rpmsg-ctrl needs the service", async () => {
    const sys = await booted("autorun=0");
    expect(await sys.type("rpmsg-ctrl ping")).toContain("rpmsg-ctrl: rpmsg-demo is not running");
  });

  it("rpmsg-demo stop stops the service and the page says so", async () => {
    const sys = await booted("");
    const svc = sys.remote().service;
    expect(await sys.type("rpmsg-demo stop")).toContain("rpmsg-demo: stopped");
    expect(sys.remote().service).toBeUndefined();
    expect(svc?.history.linkState).toBe("stopped");
  });

  it("rpmsg-demo stop announces the endpoints' destruction (Zephyr unbinds them), and a new start binds again and receives", async () => {
    const sys = await booted("");
    await sys.run(2_000);
    await sys.type("rpmsg-demo stop");
    expect(sys.host().stats().up).toBe(false);
    expect(sys.consoles.zephyr.text()).toContain("link down: rpmsg-demo unbound");
    await sys.type("rpmsg-demo");
    for (let i = 0; i < 40 && sys.remote().service?.linkState !== LinkState.BOUND; i++) await sys.run(250);
    expect(sys.remote().service?.linkState).toBe(LinkState.BOUND);
    const samples = sys.remote().service?.counters.samples ?? 0;
    await sys.run(2_000);
    expect(sys.remote().service?.counters.samples).toBeGreaterThan(samples);
    expect(sys.remote().service?.history.counters).toMatchObject({ lost: 0, malformed: 0 });
  });

  it("answers a typed control request from the host with Zephyr's reply on the trace bus", async () => {
    const sys = await booted("");
    sys.xen.post("linux", { type: "rpmsg-demo.ctrl", id: 7, command: { cmd: "period", ms: 300 } });
    sys.xen.post("linux", { type: "rpmsg-demo.ctrl", id: 8, command: { cmd: "period", ms: 5 } });
    await sys.run(50);
    const results = sys.events.filter((e) => e.type === "rpmsg-demo.ctrl-result");
    expect(results).toEqual([
      expect.objectContaining({ domain: "linux", id: 7, reply: { id: 1, ok: true, per: 300 } }),
      expect.objectContaining({ domain: "linux", id: 8, reply: { id: 2, ok: false, err: "ms must be an integer in 100..60000" } }),
    ]);
    expect(sys.host().periodMs).toBe(300);
  });

  it("answers a typed control request with a coded error when the service does not run or Zephyr is silent", async () => {
    const stopped = await booted("autorun=0");
    stopped.xen.post("linux", { type: "rpmsg-demo.ctrl", id: 1, command: { cmd: "ping" } });
    await stopped.run(10);
    expect(stopped.events).toContainEqual(expect.objectContaining({ type: "rpmsg-demo.ctrl-result", id: 1, error: expect.objectContaining({ code: "ENOTCONN" }) }));
    const silent = await booted("", { zephyr: (ctx) => startRawHost(ctx) });
    silent.xen.post("linux", { type: "rpmsg-demo.ctrl", id: 2, command: { cmd: "ping" }, timeoutMs: 200 });
    await silent.run(300);
    expect(silent.events).toContainEqual(expect.objectContaining({ type: "rpmsg-demo.ctrl-result", id: 2, error: expect.objectContaining({ code: "ETIMEDOUT" }) }));
  });

  it("reports a missing shared memory region on the console instead of crashing", async () => {
    const sys = await booted("shm_id=nope");
    expect(sys.remote().service).toBeUndefined();
    expect(sys.consoles.linux.text()).toContain('rpmsg-remote: could not start: [linux-shim] looking up static shared memory "nope"');
  });
});
