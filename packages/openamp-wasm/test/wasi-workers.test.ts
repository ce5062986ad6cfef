import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { buildC } from "./_c-build.ts";

interface Ended { exit: { code: number } | { error: string }; out: string }

function inWorker(data: object): Promise<Ended> {
  const url = new URL("./_wasi-worker.ts", import.meta.url).href;
  const w = new Worker(new URL("./_worker-bootstrap.mjs", import.meta.url), { workerData: { ...data, url } });
  return new Promise((resolve, reject) => {
    w.once("message", (m: Ended) => {
      resolve(m);
      void w.terminate();
    });
    w.once("error", reject);
  });
}

describe("C programs in two Workers (they block in their waits)", () => {
  it.each([
    { name: "ping and echo, one at a time", remote: "examples/c/echo.c", args: ["count=1000", "quiet"] },
    { name: "ping and echo, 64 in flight", remote: "examples/c/echo.c", args: ["count=20000", "pipeline=64", "quiet"] },
    { name: "zero-copy ping and nocopy-echo", remote: "examples/c/nocopy-echo.c", args: ["count=5000", "pipeline=16", "nocopy", "quiet"] },
  ])("$name: every payload comes back intact", async ({ remote, args }) => {
    const count = Number(args[0]!.slice(6));
    const [ping, echo] = [await WebAssembly.compile(buildC(["examples/c/ping.c"])), await WebAssembly.compile(buildC([remote]))];
    const shm = new SharedArrayBuffer(0x100000);
    const bells = new SharedArrayBuffer(8);
    const [host, rem] = await Promise.all([
      inWorker({ module: ping, shm, bells, me: 0, args: ["ping.wasm", ...args] }),
      inWorker({ module: echo, shm, bells, me: 1, args: ["echo.wasm"] }),
    ]);
    expect(host.exit).toEqual({ code: 0 });
    expect(rem.exit).toEqual({ code: 0 });
    expect(host.out).toContain(`ping: ${count} payloads, ${count} came back intact, 0 errors`);
  }, 120_000);
});
