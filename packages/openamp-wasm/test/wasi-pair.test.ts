import { describe, expect, it } from "vitest";
import { buildC } from "./_c-build.ts";
import { runPair } from "./_wasi-pair.ts";

const ping = (): Uint8Array => buildC(["examples/c/ping.c"]);
const echo = (): Uint8Array => buildC(["examples/c/echo.c"]);
const nocopyEcho = (): Uint8Array => buildC(["examples/c/nocopy-echo.c"]);
const legacyEcho = (): Uint8Array => buildC(["test/c/legacy-echo.c"]);

describe("C programs built with v8r-cc, on one thread (they suspend while they wait)", () => {
  it.each([
    { name: "ping and echo, static vrings", remote: echo, args: ["count=300", "quiet"], remoteArgs: [] },
    { name: "ping and echo, 32 in flight", remote: echo, args: ["count=2000", "pipeline=32", "quiet"], remoteArgs: [] },
    { name: "zero-copy ping and nocopy-echo", remote: nocopyEcho, args: ["count=500", "pipeline=8", "nocopy", "quiet"], remoteArgs: [] },
    { name: "ping and echo over a resource table", remote: echo, args: ["count=300", "pipeline=4", "quiet", "vrings=rsc_table"], remoteArgs: ["vrings=rsc_table"] },
    { name: "ping and an echo with the older machine-layer names (VIRTIO_DEV_SLAVE, one-argument release)", remote: legacyEcho, args: ["count=100", "quiet"], remoteArgs: [] },
  ])("$name: every payload comes back intact and both exit 0", async ({ remote, args, remoteArgs }) => {
    const count = Number(args.find((a) => a.startsWith("count="))!.slice(6));
    const r = await runPair(ping(), remote(), { hostArgs: args, remoteArgs });
    expect(r.host.exit).toEqual({ code: 0 });
    expect(r.remote.exit).toEqual({ code: 0 });
    expect(r.host.out).toContain(`ping: ${count} payloads, ${count} came back intact, 0 errors`);
    expect(r.remote.out).toMatch(remote === legacyEcho ? /legacy-echo: done/ : new RegExp(`echoed ${count} messages`));
  }, 60_000);

  it("a matrix-multiply pair in the style of OpenAMP's examples: address 0 bound by name, held requests answered zero-copy, ML_DBG, the shutdown word, then the remote's endpoint announced gone", async () => {
    const upstreamStyle = (name: string): Uint8Array => buildC([`test/c/upstream-style/${name}.c`]);
    const r = await runPair(upstreamStyle("matrix-host"), upstreamStyle("matrix-remote"), { hostArgs: ["count=60"] });
    expect(r.host.exit, r.host.out + r.remote.out).toEqual({ code: 0 });
    expect(r.remote.exit).toEqual({ code: 0 });
    expect(r.host.out).toMatch(/^matrix-host log 7: run:\d+ bound to the remote at 1024 from address 0\r$/m); // ML_DBG with ML_FUNC_LINE
    expect(r.host.out).toContain("matrix-host: 60 products checked, 0 errors");
    expect(r.host.out).toContain("matrix-host: the remote's endpoint went away");
    expect(r.remote.out).toContain("matrix-remote: buffers: tx 0x1f0, rx 0x1f0");
    expect(r.remote.out).toContain("matrix-remote: answered 60 requests, 0 failed");
  }, 120_000); // two programs to build on a cold cache

  it("ping reports a payload that came back damaged and exits 1", async () => {
    // an echo that flips a byte of every 10th message
    const bad = buildC(["test/c/bad-echo.c"]);
    const r = await runPair(ping(), bad, { hostArgs: ["count=40", "quiet"] });
    expect(r.host.exit).toEqual({ code: 1 });
    expect(r.host.out).toContain("ping: 40 payloads, 36 came back intact, 4 errors");
  }, 60_000);

  it("platform_init names the regions when the guest has two and the arguments name none", async () => {
    const r = await runPair(ping(), echo(), {
      extra: {
        machine: { regions: [{ name: "a", shm: { buffer: new SharedArrayBuffer(0x10000) } }, { name: "b", shm: { buffer: new SharedArrayBuffer(0x10000) } }], doorbells: [10], notify: () => {} },
      },
    });
    expect(r.host.exit).toEqual({ code: 1 });
    expect(r.host.out).toContain(`[openamp-wasm] platform_init: this guest has 2 shared memory regions ("a", "b"); name one with shm_id=<id> in its arguments`);
  }, 60_000);
});
