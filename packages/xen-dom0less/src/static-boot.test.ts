import { createPlatform, FVP_BaseR_AEMv8R, VirtualClock } from "@v8r/fvp-core";
import { afterEach, describe, expect, it } from "vitest";
import { boot, config, type System, type TestDomain } from "../test/guests/_harness.ts";
import { bootXen } from "./boot-xen.ts";
import { XenBootError } from "./xen-boot-error.ts";

let sys: System | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

const probe = (name: string, more: Partial<TestDomain> = {}): TestDomain => ({ name, image: "./probe.ts", ...more });
const log = (): string => sys?.xenLog.lines.join("\n") ?? "";

describe("bootXen honours static memory placement", () => {
  it("maps a direct-mapped domain's RAM at its host address and says so; heap RAM sits at the guest RAM base", async () => {
    sys = await boot("inline", [
      probe("rtos", { props: "xen,static-mem = <0x78000000 0x1000000>; direct-map;" }),
      probe("apps", { props: "xen,static-mem = <0x60000000 0x800000>, <0x70000000 0x800000>;" }),
      probe("linux"),
    ]);
    expect(log()).toContain("(XEN) d1: STATIC BANK[0] 0x78000000-0x78ffffff (16 MiB), direct-map: guest == host");
    expect(log()).toContain("(XEN) d2: STATIC BANK[0] host 0x60000000-0x607fffff -> guest 0x40000000-0x407fffff (8 MiB)");
    expect(log()).toContain("(XEN) d2: STATIC BANK[1] host 0x70000000-0x707fffff -> guest 0x40800000-0x40ffffff (8 MiB)");
    expect(log()).toContain("(XEN) d3: RAM guest 0x40000000-0x40ffffff (16 MiB, from Xen's heap)");
  });

  it("places a region without a host address around static RAM", async () => {
    sys = await boot("inline", [
      probe("a", { props: "xen,static-mem = <0x7a000000 0x1000000>; direct-map;", shm: [{ id: "probe", addr: 0x7c00_0000, size: 0x2000 }] }),
      probe("b", { shm: [{ id: "placed", addr: 0x5000_0000, size: 0x1000, noHost: true }] }),
    ]);
    expect(log()).toContain(`(XEN) Static shm "placed": host 0x7b000000-0x7b000fff (4 KiB), owner Xen (DOMID_IO), placed by Xen`);
  });

  it.each([
    ["memory that differs from the static banks", [probe("a", { props: "xen,static-mem = <0x78000000 0x800000>;" })], "domain-invalid", /memory \(16384 KiB\) differs from the total of its xen,static-mem banks \(8388608 bytes\)/],
    ["static RAM over a static shm region", [probe("a", { props: "xen,static-mem = <0x79800000 0x1000000>;", shm: [{ id: "r", addr: 0x7a00_0000, size: 0x1000 }] })], "domain-invalid", /static memory 0x79800000\+0x1000000 overlaps static shm "r"/],
    ["static RAM of two domains overlapping", [probe("a", { props: "xen,static-mem = <0x78000000 0x1000000>;" }), probe("b", { props: "xen,static-mem = <0x78800000 0x1000000>;" })], "domain-invalid", /overlaps the static memory of a/],
  ])("refuses %s, as Xen does", async (_what, domains, code, message) => {
    const platform = createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock() });
    const err = await bootXen(platform, config(domains as TestDomain[]), { baseUrl: new URL("../test/guests/", import.meta.url) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XenBootError);
    expect((err as XenBootError).code).toBe(code);
    expect((err as Error).message).toMatch(message as RegExp);
    expect(platform.guests()).toEqual([]);
  });
});

describe("bootXen binds static event channels as Xen does", () => {
  it("gives port 0 the first free port", async () => {
    sys = await boot("inline", [
      probe("a", { ports: [{ port: 0, label: "a0", peer: "b10" }] }),
      probe("b", { ports: [{ port: 10, label: "b10", peer: "a0" }] }),
    ]);
    expect(log()).toContain("(XEN) Static event channel: d1 port 1 (0 in the device tree: the first free port) <-> d2 port 10 bound");
  });

  it("does not create a channel whose nodes are compatible only with \"xen,evtchn\" (Xen ignores them)", async () => {
    sys = await boot("inline", [
      probe("a", { ports: [{ port: 10, label: "a10", peer: "b10", compatible: "xen,evtchn" }] }),
      probe("b", { ports: [{ port: 10, label: "b10", peer: "a10", compatible: "xen,evtchn" }] }),
    ]);
    expect(log()).not.toContain("bound");
    expect(log()).toContain(`(XEN) Static event channel /chosen/a/evtchn@a ignored: it is not compatible with "xen,evtchn-v1"`);
    expect(sys.xen.list().map((d) => d.name)).toEqual(["a", "b"]);
  });

  it("binds a channel of a domain without xen,enhanced (Xen binds it; the guest's device tree just lacks /hypervisor)", async () => {
    sys = await boot("inline", [
      probe("a", { enhanced: null, ports: [{ port: 10, label: "a10", peer: "b10" }] }),
      probe("b", { ports: [{ port: 10, label: "b10", peer: "a10" }] }),
    ]);
    expect(log()).toContain("(XEN) Static event channel: d1 port 10 <-> d2 port 10 bound");
  });

  it("refuses a domU port above 1023 (max_evtchn_port)", async () => {
    const platform = createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock() });
    const domains = [probe("a", { ports: [{ port: 1024, label: "a1", peer: "b1" }] }), probe("b", { ports: [{ port: 1, label: "b1", peer: "a1" }] })];
    const err = await bootXen(platform, config(domains), { baseUrl: new URL("../test/guests/", import.meta.url) }).catch((e: unknown) => e);
    expect((err as XenBootError).code).toBe("evtchn-invalid");
    expect((err as Error).message).toBe("[xen-dom0less] binding static event channel /chosen/a/evtchn@400: port 1024: a may use ports 1 to 1023");
  });
});
