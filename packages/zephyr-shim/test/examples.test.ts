import { describe, expect, it } from "vitest";
import { start } from "../examples/hello-ipc.ts";
import { ipc_service_open_instance, ipc_service_register_endpoint, ipc_service_send } from "../src/ipc/ipc-service.ts";
import { createRpmsgIpcInstance } from "../src/ipc/rpmsg-static-vrings.ts";
import { bootZephyr } from "../src/zephyr.ts";
import { createFakeDomainPair } from "./_fake-domain.ts";
import { VirtualClock } from "@v8r/fvp-core";

describe("README example (examples/hello-ipc.ts)", () => {
  it("boots, binds rpmsg-demo with a remote and sends its uptime every second", async () => {
    const clock = new VirtualClock();
    const pair = createFakeDomainPair({ clock, shmSize: 64 * 1024 });
    const linux = bootZephyr(pair.linux.ctx);
    const remote = createRpmsgIpcInstance(linux, { role: "remote" });
    await ipc_service_open_instance(remote);
    const got: string[] = [];
    const ept = ipc_service_register_endpoint(remote, {
      name: "rpmsg-demo",
      cb: { received: (d) => got.push(new TextDecoder().decode(d)) },
    });
    await start(pair.zephyr.ctx);
    for (let t = 10; t <= 3_100; t += 10) {
      await clock.run(t);
      await linux.settled();
    }
    await ipc_service_send(ept, new Uint8Array([1, 2, 3]));
    await clock.run(3_200);
    expect(got).toEqual(["uptime 1000", "uptime 2000", "uptime 3000"]);
    const lines = pair.zephyr.lines();
    expect(lines[0]).toBe("*** Booting hello-ipc v0.1.0 - Zephyr OS build v3.7.0-v8r ***");
    expect(lines).toContain("[00:00:00.000,000] <inf> hello: endpoint bound");
    expect(lines).toContain("[00:00:03.100,000] <inf> hello: received 3 bytes");
  });
});
