import { readFileSync } from "node:fs";
import { File, PreopenDirectory } from "@bjorn3/browser_wasi_shim";
import { describe, expect, it } from "vitest";
import { loadWasiProgram } from "../src/mod.ts";
import { buildC, pkgPath } from "./_c-build.ts";
import { realTimeClock } from "./_wasi-pair.ts";

/** Run examples/c/load-firmware.c (built with v8r-cc: wasm32, 32-bit addresses and sizes) on an image in /fw. */
async function loadFirmware(name: string, image: Uint8Array): Promise<{ out: string; err: string; result: unknown }> {
  let out = "", err = "";
  const program = await loadWasiProgram(buildC(["examples/c/load-firmware.c"]), "load-firmware.wasm");
  const fw = new PreopenDirectory("/fw", new Map([[name, new File(image)]]));
  const run = program.start({ args: ["load-firmware", `/fw/${name}`], stdout: (s) => (out += s), stderr: (s) => (err += s), clock: realTimeClock, preopens: [fw] });
  const result = await run.exited.catch((e: unknown) => e);
  return { out, err, result };
}

const image = (name: string): Uint8Array => new Uint8Array(readFileSync(pkgPath(`ctest/loader/fw/${name}`)));

describe("remoteproc_load in a wasm32 program (examples/c/load-firmware.c, linked from libopen_amp.a)", () => {
  it.each(["fw-arm.elf", "fw-aarch64.elf"])("loads %s: segments at their addresses, the resource table parsed and installed", async (name) => {
    const r = await loadFirmware(name, image(name));
    expect(r.result).toEqual({ code: 0 });
    expect(r.out.split("\n")).toEqual([
      "carveout mapped: 0x4000 bytes at 0x300000",
      "vendor resource 130, 16 bytes",
      "entry 0x100000, resource table at 0x10c000: version 1, 3 entries, 176 bytes",
      "first words at 0x101000: c0def00d 12345678",
      "",
    ]);
  });

  it("refuses an ELF64 image whose segment lies past 4 GiB (metal_phys_addr_t is 32 bits in wasm32)", async () => {
    const bytes = image("fw-aarch64.elf");
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const phoff = Number(view.getBigUint64(32, true));
    view.setBigUint64(phoff + 2 * 56 + 24, 0x1_0010_8000n, true); // program header 2's p_paddr
    const r = await loadFirmware("high.elf", bytes);
    expect(r.result).toEqual({ code: 1 });
    expect(r.err).toContain("elf loader: program header 2 is corrupt");
    expect(r.err).toContain("remoteproc_load failed (-2)");
    expect(r.out).not.toContain("entry"); /* the table was parsed (it comes first), nothing installed */
  });

  it("refuses a truncated image with an error", async () => {
    const r = await loadFirmware("cut.elf", image("fw-arm.elf").subarray(0, 700));
    expect(r.result).toEqual({ code: 1 });
    expect(r.err).toContain("load: the store gave");
    expect(r.err).toContain("load-firmware: /fw/cut.elf: remoteproc_load failed (-2)");
  });
});
