// Zephyr's Xen event API (drivers/xen/events.c semantics) on the real hypervisor: two Zephyr
// domains joined by static channel 10, driven through control messages, inline on a VirtualClock.
import { createPlatform, FVP_BaseR_AEMv8R, type TraceEventOf, VirtualClock } from "@v8r/fvp-core";
import { bootXen, DOMID_SELF, EVTCHNSTAT, loadDom0lessConfig, parseDts, type StampedGuestEvent, type Xen, type XenBusEvent } from "@v8r/xen-dom0less";
import { afterEach, describe, expect, it } from "vitest";
import { Errno } from "../src/kernel/errno.ts";
import type { ZxEvent } from "./guests/zephyr-evtchn.ts";

const domain = (name: string, label: string, peer: string) => `
		${name} {
			compatible = "xen,domain";
			memory = <0x0 0x4000>;
			cpus = <1>;
			xen,enhanced = "no-xenstore";
			kernel {
				compatible = "multiboot,kernel", "multiboot,module";
				v8r,image = "zephyr-evtchn";
			};
			${label}: evtchn@a {
				compatible = "xen,evtchn-v1";
				xen,evtchn = <0xa &${peer}>;
			};
		};`;
const DTS = `/dts-v1/;
/ {
	chosen {${domain("za", "za_ec", "zb_ec")}${domain("zb", "zb_ec", "za_ec")}
	};
};
`;

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function boot() {
  const clock = new VirtualClock();
  const platform = createPlatform<XenBusEvent<ZxEvent>>(FVP_BaseR_AEMv8R, { clock });
  const results: StampedGuestEvent<TraceEventOf<ZxEvent, "zx.result">>[] = [];
  const handled: StampedGuestEvent<TraceEventOf<ZxEvent, "zx.event">>[] = [];
  platform.trace.on((e) => {
    if (e.type === "zx.result") results.push(e);
    if (e.type === "zx.event") handled.push(e);
  });
  const { config } = loadDom0lessConfig(parseDts(DTS, { file: "zx.dts" }));
  const xen: Xen = await bootXen(platform, config, { resolveImage: () => new URL("./guests/zephyr-evtchn.ts", import.meta.url) });
  stop = async () => {
    await xen.shutdown();
    await platform.shutdown();
  };
  let ids = 0;
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await clock.run(clock.now() + 1);
  };
  await settle();
  const call = async (d: string, msg: Record<string, unknown>): Promise<unknown> => {
    const id = ++ids;
    xen.post(d, { ...msg, id });
    await settle();
    return results.find((e) => e.id === id)?.value;
  };
  const got = (d: string) => handled.filter((e) => e.domain === d).map((e) => `${e.tag}:${e.port}`);
  return { call, got, settle };
}

describe("Zephyr's Xen event API on the xen-dom0less hypervisor", () => {
  it("alloc_unbound_event_channel + bind_interdomain_event_channel make a channel that carries notify_evtchn both ways", async () => {
    const s = await boot();
    const port = (await s.call("zb", { op: "alloc", dom: 1 })) as number;
    expect(port).toBe(1);
    expect(await s.call("zb", { op: "bind", port })).toBe(0);
    const local = (await s.call("za", { op: "bind-inter", dom: 2, port })) as number;
    expect(local).toBe(1);
    // Xen raises the new local port when binding: the handler sees one event at once
    expect(s.got("za")).toEqual(["inter:1"]);
    expect(await s.call("za", { op: "notify", port: local })).toBe(0);
    expect(await s.call("zb", { op: "notify", port })).toBe(0);
    expect(s.got("zb")).toEqual(["bound:1"]);
    expect(s.got("za")).toEqual(["inter:1", "inter:1"]);
    expect(await s.call("za", { op: "status", dom: DOMID_SELF, port: local })).toEqual({
      rc: 0,
      status: { dom: DOMID_SELF, port: local, status: EVTCHNSTAT.interdomain, vcpu: 0, u: { interdomain: { dom: 2, port } } },
    });
  });

  it("hypercall failures come back as Xen's negative errno", async () => {
    const s = await boot();
    expect(await s.call("za", { op: "bind-inter", dom: 9, port: 1 })).toBe(-Errno.ESRCH);
    expect(await s.call("za", { op: "bind-inter", dom: 2, port: 10 })).toBe(-Errno.EINVAL);
    expect(await s.call("za", { op: "close", port: 5 })).toBe(-Errno.EINVAL);
    expect(await s.call("za", { op: "notify", port: 5 })).toBe(-Errno.EINVAL);
    expect(await s.call("za", { op: "mask", port: 5 })).toBe(-Errno.EINVAL);
    expect(await s.call("za", { op: "status", dom: 2, port: 10 })).toMatchObject({ rc: -Errno.EPERM });
  });

  it("evtchn_close on the static port leaves the peer's end unbound: its notify_evtchn is dropped and returns 0", async () => {
    const s = await boot();
    await s.call("za", { op: "bind", port: 10 });
    expect(await s.call("za", { op: "close", port: 10 })).toBe(0);
    expect(await s.call("zb", { op: "status", dom: DOMID_SELF, port: 10 })).toMatchObject({ rc: 0, status: { status: EVTCHNSTAT.unbound, u: { unbound: { dom: 1 } } } });
    expect(await s.call("zb", { op: "notify", port: 10 })).toBe(0);
    expect(s.got("za")).toEqual([]);
    expect(await s.call("za", { op: "notify", port: 10 })).toBe(-Errno.EINVAL);
  });

  it("clear_event_channel forgets a pending event: a masked port's event is never delivered", async () => {
    const s = await boot();
    await s.call("zb", { op: "bind", port: 10 });
    await s.call("zb", { op: "mask", port: 10 });
    await s.call("za", { op: "notify", port: 10 });
    expect(await s.call("zb", { op: "clear", port: 10 })).toBe(false);
    await s.call("zb", { op: "unmask", port: 10 });
    expect(s.got("zb")).toEqual([]);
  });
});
