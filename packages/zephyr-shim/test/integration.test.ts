import { createPlatform, FVP_BaseR_AEMv8R, VirtualClock, type TraceEvent } from "@v8r/fvp-core";
import { bootXen, loadDom0lessConfig, parseDts } from "@v8r/xen-dom0less";
import { describe, expect, it } from "vitest";

const DTS = `/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	chosen {
		#address-cells = <1>;
		#size-cells = <1>;
		zephyr {
			compatible = "xen,domain";
			#address-cells = <1>;
			#size-cells = <1>;
			memory = <0x0 0x4000>;
			cpus = <1>;
			vpl011;
			xen,enhanced = "no-xenstore";
			kernel {
				compatible = "multiboot,kernel", "multiboot,module";
				v8r,image = "@v8r/zephyr-shim/apps/rpmsg-host";
				bootargs = "period_ms=500 seed=5";
			};
			shm-rpmsg {
				compatible = "xen,domain-shared-memory-v1";
				xen,shm-id = "rpmsg-shm";
				xen,shared-mem = <0x7a000000 0x7a000000 0x100000>;
			};
			zephyr_ec: evtchn@a {
				compatible = "xen,evtchn-v1";
				xen,evtchn = <0xa &linux_ec>;
			};
		};
		linux {
			compatible = "xen,domain";
			#address-cells = <1>;
			#size-cells = <1>;
			memory = <0x0 0x80000>;
			cpus = <1>;
			vpl011;
			xen,enhanced = "no-xenstore";
			kernel {
				compatible = "multiboot,kernel", "multiboot,module";
				v8r,image = "scripted-remote";
			};
			shm-rpmsg {
				compatible = "xen,domain-shared-memory-v1";
				xen,shm-id = "rpmsg-shm";
				xen,shared-mem = <0x7a000000 0x7a000000 0x100000>;
			};
			linux_ec: evtchn@a {
				compatible = "xen,evtchn-v1";
				xen,evtchn = <0xa &zephyr_ec>;
			};
		};
	};
};
`;

const IMAGES: Record<string, URL> = {
  "@v8r/zephyr-shim/apps/rpmsg-host": new URL("../apps/rpmsg-host.ts", import.meta.url),
  "scripted-remote": new URL("./guests/scripted-remote.ts", import.meta.url),
};

describe("rpmsg-host on the xen-dom0less hypervisor (inline, VirtualClock)", () => {
  it("boots from the device tree and delivers samples and a command reply to the remote domain", async () => {
    const clock = new VirtualClock();
    const platform = createPlatform(FVP_BaseR_AEMv8R, { clock });
    const events: Array<Record<string, unknown> & { type: string }> = [];
    platform.trace.on((e: TraceEvent) => {
      if (e.type.startsWith("test.")) events.push(e as Record<string, unknown> & { type: string });
    });
    const { config } = loadDom0lessConfig(parseDts(DTS, { file: "integration.dts" }));
    const xen = await bootXen(platform, config, { resolveImage: (s) => IMAGES[s] ?? s });
    try {
      for (let t = 50; t <= 5_200; t += 50) await clock.run(t);
      const samples = events.filter((e) => e.type === "test.sample").map((e) => e["sample"] as { seq: number; per: number; boot: string });
      expect(samples.length).toBeGreaterThanOrEqual(8);
      expect(samples.map((s) => s.seq)).toEqual(samples.map((_, i) => i));
      expect(samples[0]!.per).toBe(500);
      expect(Math.max(...events.filter((e) => e.type === "test.sample").map((e) => e["bytes"] as number))).toBeLessThanOrEqual(496);
      expect(events.find((e) => e.type === "test.reply")).toMatchObject({ reply: { id: 1, ok: true } });
    } finally {
      await xen.shutdown();
      await platform.shutdown();
    }
  });
});
