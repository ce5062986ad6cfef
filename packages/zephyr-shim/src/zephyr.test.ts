import { describe, expect, it } from "vitest";
import { createFakeDomainPair } from "../test/_fake-domain.ts";
import { VirtualClock } from "@v8r/fvp-core";
import { bootBanner, bootZephyr, ZEPHYR_VERSION } from "./zephyr.ts";

describe("bootZephyr", () => {
  it("prints the boot banner first on the domain console", () => {
    const clock = new VirtualClock();
    const { zephyr } = createFakeDomainPair({ clock });
    const k = bootZephyr(zephyr.ctx);
    k.printk("hello\n");
    expect(zephyr.lines()).toEqual([`*** Booting Zephyr OS build ${ZEPHYR_VERSION} ***`, "hello"]);
  });

  it("names the application in the banner when given", () => {
    expect(bootBanner({ appName: "rpmsg-host", version: "v1.2.0" })).toBe(
      `*** Booting rpmsg-host v1.2.0 - Zephyr OS build ${ZEPHYR_VERSION} ***\n`,
    );
  });

  it("uptime starts at boot, not at clock start", async () => {
    const clock = new VirtualClock({ start: 5000 });
    const { zephyr } = createFakeDomainPair({ clock });
    const k = bootZephyr(zephyr.ctx);
    await clock.run(5250);
    expect(k.k_uptime_get()).toBe(250);
  });

  it("the Xen event methods act on the domain's own static ports", () => {
    const clock = new VirtualClock();
    const { zephyr, linux } = createFakeDomainPair({ clock });
    const a = bootZephyr(zephyr.ctx);
    const b = bootZephyr(linux.ctx);
    let calls = 0;
    b.bind_event_channel(0xa, () => calls++, null);
    clock.advanceTo(100);
    a.notify_evtchn(0xa);
    clock.runUntilIdle();
    expect(calls).toBe(1);
    expect(b.get_missed_events(0xa)).toBe(0);
  });
});
