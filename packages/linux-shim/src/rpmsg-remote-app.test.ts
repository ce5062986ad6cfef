import { describe, expect, it } from "vitest";
import { createFakePair } from "../test/_fake-domain.ts";
import { openamp, ScriptedHost } from "../test/_scripted-host.ts";
import { LinkState } from "./rpmsg-demo-service.ts";
import { rpmsgRemoteConfig, runRpmsgRemote } from "./rpmsg-remote-app.ts";

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

  it.each([["evtchn=ten"], ["evtchn=0"], ["rootfs=relative/dir"]])("rejects %s with a TypeError", (bootargs) => {
    expect(() => rpmsgRemoteConfig(bootargs)).toThrow(TypeError);
  });
});

async function booted(bootargs: string) {
  const pair = createFakePair({ ports: [0xa], bootargsB: bootargs });
  const app = await runRpmsgRemote(pair.b.ctx, { openamp: await openamp() });
  const host = await ScriptedHost.create(pair.a);
  await pair.clock.run(pair.clock.now() + 100);
  async function type(line: string): Promise<string> {
    pair.b.clearOutput();
    pair.b.type(`${line}\r`);
    for (let i = 0; i < 20; i++) await pair.clock.run(pair.clock.now() + 10);
    await app.linux.shell.idle();
    return pair.b.output();
  }
  return { ...pair, app, host, type };
}

describe("runRpmsgRemote", () => {
  it("starts the service at boot by default and writes the page for each sample", async () => {
    const { app, host, clock, b } = await booted("console=hvc0");
    expect(app.service?.linkState).toBe(LinkState.BOUND);
    host.sendSample(0);
    await clock.run(clock.now() + 10);
    await app.service?.flush();
    expect(await app.linux.rootfs.readText("/usr/share/nginx/html/zephyr-status.html")).toContain("<html");
    expect(b.output()).toMatch(/rpmsg-remote: started on xen-shmem "rpmsg-shm" \(\d+ buffers each way\), evtchn port 10/);
    expect(b.output().indexOf("root@v8r64-linux:~# ")).toBeGreaterThan(b.output().indexOf("rpmsg-remote: started on"));
  });

  it("with autorun=0 boots to the console and starts on `rpmsg-demo`", async () => {
    const { app, type, b, host } = await booted("autorun=0");
    expect(app.service).toBeUndefined();
    expect(b.output()).toContain("autorun is off");
    expect(host.announced).toEqual([]);
    expect(await type("rpmsg-demo status")).toContain("rpmsg-demo: not running");
    await type("rpmsg-demo");
    expect(app.service).toBeDefined();
    await type("");
    expect(await type("rpmsg-demo status")).toContain("link: bound");
    expect(await type("rpmsg-demo")).toContain("rpmsg-demo: already running");
  });

  it("rpmsg-ctrl sends the protocol's commands and prints the replies", async () => {
    const { type, host } = await booted("");
    host.uptime = 4321;
    const ping = await type("rpmsg-ctrl ping");
    expect(ping).toMatch(/\{"id":\d+,"ok":true,"t":4321\}/);
    expect(ping).toContain("rpmsg-ctrl: ok, Zephyr uptime 4.321 s");
    expect(await type("rpmsg-ctrl period 500")).toContain("rpmsg-ctrl: ok, sampling every 500 ms");
    expect(host.period).toBe(500);
    expect(await type("rpmsg-ctrl sample")).toContain("rpmsg-ctrl: ok, sample seq");
    expect(await type("rpmsg-ctrl period 5")).toContain("rpmsg-ctrl: error: unknown or invalid command");
    expect(host.ctrlCommands).toMatchObject([{ cmd: "ping" }, { cmd: "period", ms: 500 }, { cmd: "sample" }, { cmd: "period", ms: 5 }]);
  });

  it.each([
    ["rpmsg-ctrl", "missing command"],
    ["rpmsg-ctrl reboot", 'unknown command "reboot"'],
    ["rpmsg-ctrl period soon", "period needs an integer MS"],
    ["rpmsg-ctrl ping -t 0", "-t needs a positive number"],
  ])("`%s` prints usage", async (line, message) => {
    const { type, host } = await booted("");
    const out = await type(line);
    expect(out).toContain(`rpmsg-ctrl: ${message}`);
    expect(out).toContain("usage: rpmsg-ctrl ping|period MS|sample");
    expect(host.ctrlCommands).toEqual([]);
  });

  it("rpmsg-ctrl reports a timeout when Zephyr does not answer", async () => {
    const { type, host, app, clock } = await booted("");
    host.silentCtrl = true;
    app.linux.ctx.console.write("");
    const out = type("rpmsg-ctrl ping -t 300");
    await clock.run(clock.now() + 1000);
    expect(await out).toContain("rpmsg-ctrl: rpmsg-ctrl ping (id 1): no reply within 300 ms");
  });

  it("rpmsg-ctrl needs the service", async () => {
    const { type } = await booted("autorun=0");
    expect(await type("rpmsg-ctrl ping")).toContain("rpmsg-ctrl: rpmsg-demo is not running");
  });

  it("rpmsg-demo stop stops the service and the page says so", async () => {
    const { type, app } = await booted("");
    const svc = app.service;
    expect(await type("rpmsg-demo stop")).toContain("rpmsg-demo: stopped");
    expect(app.service).toBeUndefined();
    expect(svc?.history.linkState).toBe("stopped");
  });

  it("rpmsg-demo stop announces the endpoints' destruction, and a new start binds again once the host re-initialises", async () => {
    const pair = createFakePair({ ports: [0xa] });
    const app = await runRpmsgRemote(pair.b.ctx, { openamp: await openamp() });
    const host = await ScriptedHost.create(pair.a, { relinkAfterMs: 500 });
    const type = async (line: string): Promise<void> => {
      pair.b.type(`${line}\r`);
      for (let i = 0; i < 20; i++) await pair.clock.run(pair.clock.now() + 50);
      await app.linux.shell.idle();
    };
    await type("");
    await type("rpmsg-demo stop");
    expect([...host.unbound].sort()).toEqual(["rpmsg-ctrl", "rpmsg-demo"]);
    await type("rpmsg-demo");
    for (let i = 0; i < 20 && app.service?.linkState !== LinkState.BOUND; i++) await type("");
    expect(host.reinits).toBe(1);
    expect(app.service?.linkState).toBe(LinkState.BOUND);
    host.sendSample(0);
    await type("");
    expect(app.service?.counters.samples).toBe(1);
  });

  it("reports a missing shared memory region on the console instead of crashing", async () => {
    const pair = createFakePair({ ports: [0xa], bootargsB: "shm_id=nope" });
    const app = await runRpmsgRemote(pair.b.ctx, { openamp: await openamp() });
    expect(app.service).toBeUndefined();
    expect(pair.b.output()).toContain('rpmsg-remote: could not start: [linux-shim] looking up static shared memory "nope"');
  });
});
