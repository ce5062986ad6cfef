import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { defaultWasmUrl, loadOpenAmp } from "./openamp.ts";
import { staticVringsLayout } from "./static-vrings-layout.ts";

describe("loadOpenAmp()", () => {
  it.each([
    ["the default file beside the package", async () => ({})],
    ["bytes", async () => ({ wasm: await readFile(defaultWasmUrl) })],
    ["a compiled module", async () => ({ wasm: await WebAssembly.compile(await readFile(defaultWasmUrl)) })],
    ["a file: URL", async () => ({ wasm: defaultWasmUrl })],
  ])("loads from %s and creates a working device", async (_what, opts) => {
    const oa = await loadOpenAmp(await opts());
    const dev = await oa.createRpmsgDevice({
      role: "host", layout: staticVringsLayout({ shmSize: 0x10000 }), shm: { buffer: new SharedArrayBuffer(0x10000) }, notify: () => {},
    });
    expect(dev.txBufferSize()).toBe(496);
    dev.dispose();
  });

  it("gives every device its own instance", async () => {
    const oa = await loadOpenAmp();
    const layout = staticVringsLayout({ shmSize: 0x10000 });
    const a = await oa.createRpmsgDevice({ role: "host", layout, shm: { buffer: new SharedArrayBuffer(0x10000) }, notify: () => {} });
    const b = await oa.createRpmsgDevice({ role: "host", layout, shm: { buffer: new SharedArrayBuffer(0x10000) }, notify: () => {} });
    a.createEndpoint({ name: "only-a", dst: 5, onMessage: () => {} }).trySend(new Uint8Array(3));
    expect(a.stats().txMessages).toBe(1);
    expect(b.stats().txMessages).toBe(0);
  });
});
