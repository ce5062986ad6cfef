import { describe, expect, it } from "vitest";
import { shmImports } from "./_imports.ts";
import { createShmAccessor } from "./shm.ts";

const REGION = 256;
const ANY = 0x10000;

/** The "v8r_shm" imports over a 256-byte region, a one-page wasm memory and a fault counter. */
function setup() {
  const shm = new SharedArrayBuffer(REGION);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const faults = { n: 0 };
  const imports = shmImports(createShmAccessor({ buffer: shm }), () => memory, faults);
  return { imports, faults, region: new Uint8Array(shm), wasm: new Uint8Array(memory.buffer), words: new DataView(memory.buffer) };
}

describe("block_gather", () => {
  it("counts an offset outside the region as a fault and leaves its row as it was", () => {
    const t = setup();
    for (let i = 0; i < REGION; i++) t.region[i] = i;
    const offs = 64, rows = 1024;
    [16, REGION - 8, REGION, 32].forEach((o, i) => t.words.setUint32(offs + 4 * i, o, true)); // the third lies outside
    t.wasm.fill(0xee, rows, rows + 4 * 16);
    t.imports.block_gather(offs, 4, 16, rows);
    expect(t.faults.n).toBe(2); // [248, 264) runs past the end, [256, 272) starts there
    expect([...t.wasm.subarray(rows, rows + 16)]).toEqual([...t.region.subarray(16, 32)]);
    expect([...t.wasm.subarray(rows + 16, rows + 48)]).toEqual(new Array(32).fill(0xee)); // stale rows untouched
    expect([...t.wasm.subarray(rows + 48, rows + 64)]).toEqual([...t.region.subarray(32, 48)]);
  });
});

describe("publish16x2 (a host's send: avail entry and descriptor in one call)", () => {
  it("writes the last aligned slots of the region, and refuses one byte past them with a fault", () => {
    const t = setup();
    const ptr = 512, ptr2 = 528;
    t.words.setUint16(ptr, 0xbeef, true);
    for (let i = 0; i < 16; i++) t.wasm[ptr2 + i] = 0xa0 + i;
    t.imports.publish16x2(REGION - 2, ptr, 2, REGION - 20, ptr2, 16, 0, ANY, 7, 0);
    expect(t.faults.n).toBe(0);
    expect([...t.region.subarray(REGION - 2)]).toEqual([0xef, 0xbe]);
    expect([...t.region.subarray(REGION - 20, REGION - 4)]).toEqual([...t.wasm.subarray(ptr2, ptr2 + 16)]);
    t.region.fill(0, 2);
    // the descriptor one 4-byte slot further (ending 4 bytes past), then the entry one 2-byte slot further
    t.imports.publish16x2(REGION - 4, ptr, 2, REGION - 12, ptr2, 16, 0, ANY, 7, 0);
    t.imports.publish16x2(REGION, ptr, 2, REGION - 32, ptr2, 16, 0, ANY, 7, 0);
    expect(t.faults.n).toBe(2);
    expect([...t.region.subarray(REGION - 12, REGION - 4)]).toEqual(new Array(8).fill(0)); // the one past: nothing written
    expect([...t.region.subarray(REGION - 4)]).toEqual([0xef, 0xbe, 0, 0]); // its entry is in range; the last slot is untouched
    expect([...t.region.subarray(REGION - 32, REGION - 16)]).toEqual([...t.wasm.subarray(ptr2, ptr2 + 16)]);
  });
});

describe("a wasm pointer past the end of wasm memory", () => {
  const PAGE = 65536;

  it("is a fault on every block path: nothing is read as 0 into shared memory, nothing written", () => {
    const t = setup();
    t.region.fill(0x5a);
    t.wasm.set([0x11, 0x22], PAGE - 2);
    t.imports.block_write(0, PAGE - 8, 16); // aligned: the word path
    t.imports.block_write(33, PAGE - 3, 5); // unaligned: the byte path
    t.imports.publish16x2(64, PAGE - 2, 2, 96, PAGE - 8, 16, 0, ANY, 7, 0); // the descriptor runs past (not the entry)
    t.imports.publish16x2(68, PAGE, 2, 96, 512, 16, 0, ANY, 7, 0); // the avail entry lies past
    expect(t.faults.n).toBe(4);
    const want = new Array(REGION).fill(0x5a);
    want.splice(0, 2, 7, 0); // the index store
    want.splice(64, 2, 0x11, 0x22); // the first call's entry
    want.splice(96, 16, ...t.wasm.subarray(512, 528)); // the second call's descriptor
    expect([...t.region]).toEqual(want);
    t.imports.block_read(0, PAGE - 4, 8);
    t.imports.block_gather(PAGE - 4, 2, 16, 1024); // the offsets run past
    t.imports.block_gather(64, 1, 16, PAGE - 8); // the row runs past
    expect(t.faults.n).toBe(7);
    expect([...t.wasm.subarray(PAGE - 4)]).toEqual([0, 0, 0x11, 0x22]);
    expect([...t.wasm.subarray(1024, 1056)]).toEqual(new Array(32).fill(0));
  });

  it("reaches memory that grew since the last call", () => {
    const shm = new SharedArrayBuffer(REGION);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const faults = { n: 0 };
    const imports = shmImports(createShmAccessor({ buffer: shm }), () => memory, faults);
    imports.block_read(0, 0, 4);
    new Uint8Array(shm).fill(0x77);
    memory.grow(1);
    imports.block_read(0, PAGE + 8, 16);
    expect(faults.n).toBe(0);
    expect([...new Uint8Array(memory.buffer, PAGE + 8, 16)]).toEqual(new Array(16).fill(0x77));
  });
});
