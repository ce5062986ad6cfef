// Boots the ping/pong guests with bootXen under Deno (or any runtime with a
// global module Worker), inline on a VirtualClock and one Worker per domain.
//   ./node_modules/.bin/deno run -A --import-map deno.json packages/xen-dom0less/test/guests/deno-smoke.ts
// (the import map makes `@v8r/fvp-core` resolve to its sources from inside packages/).
import { createPlatform, FVP_BaseR_AEMv8R, InlineExecutor, RealClock, VirtualClock, WorkerExecutor } from "@v8r/fvp-core";
import { bootXen } from "../../src/boot-xen.ts";
import type { XenBusEvent } from "../../src/trace-events.ts";
import type { PingDoneEvent } from "./ping.ts";
import { config } from "./_harness-config.ts";

const domains = [
  { name: "ping", image: "./ping.ts", bootargs: "rounds=100", shm: [{ id: "pingpong", addr: 0x7a00_0000, size: 0x1000 }], ports: [{ port: 10, label: "p", peer: "q" }] },
  { name: "pong", image: "./pong.ts", shm: [{ id: "pingpong", addr: 0x7a00_0000, size: 0x1000 }], ports: [{ port: 10, label: "q", peer: "p" }] },
];

for (const mode of ["inline", "worker"] as const) {
  const clock = mode === "inline" ? new VirtualClock() : new RealClock();
  const platform = createPlatform<XenBusEvent<PingDoneEvent>>(FVP_BaseR_AEMv8R, { clock, executor: mode === "inline" ? new InlineExecutor() : new WorkerExecutor() });
  let rounds = 0;
  platform.trace.on((e) => {
    if (e.type === "pingpong-done") rounds = e.rounds;
  });
  const xen = await bootXen(platform, config(domains), { baseUrl: new URL("./", import.meta.url) });
  for (let i = 0; i < 5000 && rounds === 0; i++) {
    if (clock instanceof VirtualClock) await clock.run(clock.now() + 1);
    else await new Promise((r) => setTimeout(r, 1));
  }
  await xen.shutdown();
  await platform.shutdown();
  if (rounds !== 100) throw new Error(`deno-smoke: ${mode} ping-pong finished ${rounds} of 100 rounds`);
  console.log(`ok ${mode} ping-pong: 100 rounds`);
}
