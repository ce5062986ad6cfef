// Smoke run under Deno: the README's hello-ipc guest (RPMsg host over openamp-wasm) and an
// IPC-service remote between two fake domains on a VirtualClock.
import { VirtualClock } from "@v8r/fvp-core";
import { start } from "../examples/hello-ipc.ts";
import { ipc_service_open_instance, ipc_service_register_endpoint } from "../src/ipc/ipc-service.ts";
import { createRpmsgIpcInstance } from "../src/ipc/rpmsg-static-vrings.ts";
import { bootZephyr } from "../src/zephyr.ts";
import { createFakeDomainPair } from "./_fake-domain.ts";

const clock = new VirtualClock();
const pair = createFakeDomainPair({ clock, shmSize: 8192 });
const remote = bootZephyr(pair.linux.ctx);
const inst = createRpmsgIpcInstance(remote, { role: "remote" });
await ipc_service_open_instance(inst);
const got: string[] = [];
ipc_service_register_endpoint(inst, { name: "rpmsg-demo", cb: { received: (d) => got.push(new TextDecoder().decode(d.slice())) } });
await start(pair.zephyr.ctx);
for (let t = 10; t <= 3_100; t += 10) {
  await clock.run(t);
  await remote.settled();
}
console.log(JSON.stringify({ received: got }));
if (got.length !== 3) throw new Error(`expected 3 messages, got ${JSON.stringify(got)}`);
