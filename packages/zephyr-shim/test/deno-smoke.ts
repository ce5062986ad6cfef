// Smoke run under Deno: rpmsg-host over openamp-wasm between two fake domains on a VirtualClock.
import { loadOpenAmp } from "@v8r/openamp-wasm";
import { createOpenAmpLinkFactory } from "../src/ipc/openamp-link.ts";
import { startHost } from "./_host-harness.ts";

const h = await startHost({ factory: createOpenAmpLinkFactory({ openamp: loadOpenAmp() }), shmSize: 8192, bootargs: "period_ms=500 seed=1" });
await h.run(3_100);
await h.command({ id: 1, cmd: "ping" });
await h.run(3_200);
console.log(JSON.stringify({ seqs: h.samples.map((s) => s.seq), replies: h.replies }));
await h.app.stop();
