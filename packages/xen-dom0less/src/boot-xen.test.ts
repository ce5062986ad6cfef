import { createPlatform, FVP_BaseR_AEMv8R, VirtualClock } from "@v8r/fvp-core";
import { afterEach, describe, expect, it } from "vitest";
import { boot, config, MODES, type System, type TestDomain } from "../test/guests/_harness.ts";
import { bootXen } from "./boot-xen.ts";
import { XenBootError } from "./xen-boot-error.ts";

const pingPong = (rounds: number): TestDomain[] => {
  const shm = [{ id: "pingpong", addr: 0x7a00_0000, size: 0x1000 }];
  return [
    { name: "ping", image: "./ping.ts", bootargs: `rounds=${rounds} port=10`, shm, ports: [{ port: 10, label: "p10", peer: "q10" }] },
    { name: "pong", image: "./pong.ts", bootargs: "port=10", cpus: 2, shm, ports: [{ port: 10, label: "q10", peer: "p10" }] },
  ];
};

let sys: System | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

describe.each(MODES)("two guests ping-pong through static shm and a static event channel (%s)", (mode) => {
  it("completes every round, with each side seeing the other's writes", async () => {
    sys = await boot(mode, pingPong(200));
    const done = await sys.waitFor((e) => e.type === "pingpong-done", 10_000);
    expect(done["rounds"]).toBe(200);
    const w = sys.xen.sharedMemory("pingpong");
    expect(w.read32(0)).toBe(200);
    expect(w.read32(4)).toBe(200);
    expect(sys.of("guest-crashed")).toEqual([]);
    expect(sys.xen.list().map((d) => [d.domid, d.name, d.state, d.vcpus])).toEqual([
      [1, "ping", "running", 1],
      [2, "pong", "running", 2],
    ]);
  });
});

describe("bootXen", () => {
  it("ping-pongs in Workers with a spin budget on the idle vCPUs", async () => {
    sys = await boot("worker", pingPong(300), { spinUs: 30 });
    expect((await sys.waitFor((e) => e.type === "pingpong-done", 10_000))["rounds"]).toBe(300);
  });

  it("rejects a negative spin budget", async () => {
    const platform = createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock() });
    await expect(bootXen(platform, config(pingPong(1)), { spinUs: -1 })).rejects.toThrow(RangeError);
  });

  it("prints a Xen boot log: banner, command line, domains, shm mappings, channels", async () => {
    sys = await boot("inline", pingPong(1));
    const log = sys.xenLog.lines.join("\n");
    expect(log).toContain("(XEN) Xen version");
    expect(log).toContain("(XEN) Command line: console=dtuart dtuart=serial0 bootscrub=0");
    expect(log).toContain("(XEN) *** LOADING DOMU cpus=2 memory=0x4000KB ***");
    expect(log).toContain(`(XEN) d1: STATIC SHM "pingpong" host 0x7a000000 -> guest 0x7a000000 (4 KiB, borrower)`);
    expect(log).toContain("(XEN) Static event channel: d1 port 10 <-> d2 port 10 bound");
    expect(log).toContain("(XEN) d1: vpl011 console on uart1");
    expect(log).toMatch(/Brought up 2 domains: d1 ping, d2 pong$/);
  });

  it("gives each vpl011 domain its own UART and the others Xen's console with a (dN) prefix", async () => {
    sys = await boot("inline", pingPong(3).map((d, i) => (i === 1 ? { ...d, vpl011: false } : d)));
    await sys.waitFor((e) => e.type === "pingpong-done");
    expect(sys.xen.console("ping").name).toBe("uart1");
    expect(sys.xen.console("pong").name).toBe("uart0");
    expect(sys.xenLog.lines).toContain("(d2) pong: d2 up");
  });

  it("hands each guest its identity, reserved-memory nodes and ports", async () => {
    const domains: TestDomain[] = [
      { name: "a", image: "./probe.ts", bootargs: "hello there", shm: [{ id: "probe", addr: 0x7b00_0000, size: 0x2000 }], ports: [{ port: 10, label: "a10", peer: "b10" }, { port: 11, label: "a11", peer: "b11" }] },
      { name: "b", image: "./probe.ts", shm: [{ id: "probe", addr: 0x7b00_0000, size: 0x2000 }], ports: [{ port: 10, label: "b10", peer: "a10" }, { port: 11, label: "b11", peer: "a11" }] },
    ];
    sys = await boot("inline", domains);
    sys.xen.post("a", { op: "hello" });
    const hello = await sys.waitFor((e) => e.type === "probe-hello");
    expect(hello).toMatchObject({
      domid: 1,
      name: "a",
      bootargs: "hello there",
      memoryKiB: 16384,
      cpus: 1,
      ports: [10, 11],
      reserved: [{ path: "/reserved-memory/xen-shmem@7b000000", compatible: "xen,shared-memory-v1", address: 0x7b00_0000, size: 0x2000, xenId: "probe", xenOffset: 0 }],
    });
  });

  it("places a region without a host address in the shared-memory section", async () => {
    sys = await boot("inline", pingPong(2).map((d) => ({ ...d, shm: [{ id: "pingpong", addr: 0x7a00_0000, size: 0x1000, noHost: true }] })));
    await sys.waitFor((e) => e.type === "pingpong-done");
    expect(sys.platform.memory.region("xen-shm:pingpong")?.base).toBe(0x7a00_0000);
    expect(sys.xenLog.text()).toContain("placed by Xen");
  });

  it("rejects a domain whose kernel has no v8r,image, naming the domain and the property", async () => {
    const platform = createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock() });
    const cfg = config([{ name: "zephyr", shm: [] }]);
    const err = await bootXen(platform, cfg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XenBootError);
    expect((err as XenBootError).code).toBe("image-missing");
    expect((err as XenBootError).domain).toBe("zephyr");
    expect((err as XenBootError).message).toMatch(/^\[xen-dom0less\] booting zephyr \(test\.dts:\d+:\d+\): .*has no v8r,image; v8r needs v8r,image/);
    expect(platform.memory.regions()).toEqual([]);
  });

  it("rejects an image that cannot be loaded and leaves nothing mapped or running", async () => {
    const platform = createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock() });
    const cfg = config([{ name: "a", image: "./no-such-guest.ts", shm: [{ id: "x", addr: 0x7a00_0000, size: 0x1000 }] }]);
    const err = await bootXen(platform, cfg, { baseUrl: new URL("../test/guests/", import.meta.url) }).catch((e: unknown) => e);
    expect((err as XenBootError).code).toBe("domain-start-failed");
    expect(platform.memory.regions()).toEqual([]);
    expect(platform.guests()).toEqual([]);
  });

  it("rejects a relative image without a base URL", async () => {
    const platform = createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock() });
    const err = await bootXen(platform, config([{ name: "a", image: "./ping.ts" }])).catch((e: unknown) => e);
    expect((err as XenBootError).code).toBe("image-unresolved");
  });

  it("shares physical CPUs among more vCPUs than the platform has, as Xen does", async () => {
    const platform = createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock() });
    const xen = await bootXen(platform, config([{ name: "big", image: "./probe.ts", cpus: 6 }]), { baseUrl: new URL("../test/guests/", import.meta.url) });
    try {
      expect(xen.list().map((d) => [d.name, d.vcpus, d.pcpus])).toEqual([["big", 6, [0, 1, 2, 3, 0, 1]]]);
    } finally {
      await xen.shutdown();
    }
  });

  it("rejects a domain asking for more vCPUs than Xen gives one domain (128 on Arm64)", async () => {
    const platform = createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock() });
    const err = await bootXen(platform, config([{ name: "big", image: "./ping.ts", cpus: 129 }]), { baseUrl: import.meta.url }).catch((e: unknown) => e);
    expect((err as XenBootError).code).toBe("domain-invalid");
    expect((err as Error).message).toContain("asks for 129 vCPUs; Xen on Arm64 gives a domain at most 128");
  });
});
