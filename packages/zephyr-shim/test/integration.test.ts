import { createPlatform, FVP_BaseR_AEMv8R, VirtualClock } from "@v8r/fvp-core";
import { bootXen, loadDom0lessConfig, parseDts, type XenBusEvent } from "@v8r/xen-dom0less";
import { describe, expect, it } from "vitest";
import type { ReceivedEvent } from "./guests/ipc-remote.ts";

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
				v8r,image = "hello-ipc";
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
				v8r,image = "ipc-remote";
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
  "hello-ipc": new URL("../examples/hello-ipc.ts", import.meta.url),
  "ipc-remote": new URL("./guests/ipc-remote.ts", import.meta.url),
};

describe("the IPC service on the xen-dom0less hypervisor (inline, VirtualClock)", () => {
  it("boots the README's hello-ipc guest from the device tree and delivers its messages to the remote domain", async () => {
    const clock = new VirtualClock();
    const platform = createPlatform<XenBusEvent<ReceivedEvent>>(FVP_BaseR_AEMv8R, { clock });
    const received: string[] = [];
    platform.trace.on((e) => {
      if (e.type === "test.received") received.push(e.text);
    });
    const { config } = loadDom0lessConfig(parseDts(DTS, { file: "integration.dts" }));
    const xen = await bootXen(platform, config, { resolveImage: (s) => IMAGES[s] ?? s });
    try {
      for (let t = 50; t <= 3_200; t += 50) await clock.run(t);
      expect(received).toEqual(["uptime 1000", "uptime 2000", "uptime 3000"]);
    } finally {
      await xen.shutdown();
      await platform.shutdown();
    }
  });
});
