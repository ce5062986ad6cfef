import { describe, expect, it } from "vitest";
import { makeShmCopy } from "./_shm-copy.ts";

describe("makeShmCopy", () => {
  it("copies every length at every pair of alignments, exactly its bytes and nothing past them", () => {
    const copy = makeShmCopy();
    const shm = new Uint8Array(new SharedArrayBuffer(1024));
    const source = new Uint8Array(1024).map((_, i) => (i * 7 + 3) & 0xff);
    for (const n of [0, 1, 64, 192, 193, 300, 496, 500]) {
      for (let so = 0; so < 8; so++) {
        for (let dOff = 0; dOff < 8; dOff++) {
          shm.fill(0xee);
          const dst = shm.subarray(16 + dOff, 16 + dOff + 500);
          const src = source.subarray(so, so + n);
          copy(dst, src);
          expect(dst.subarray(0, n)).toEqual(src);
          expect(shm.subarray(0, 16 + dOff).every((b) => b === 0xee)).toBe(true);
          expect(shm.subarray(16 + dOff + n).every((b) => b === 0xee)).toBe(true);
        }
      }
    }
  });

  it("copies from shared memory too, and from an array whose contents changed since the last copy", () => {
    const copy = makeShmCopy();
    const shm = new Uint8Array(new SharedArrayBuffer(2048));
    const src = new Uint8Array(new SharedArrayBuffer(512), 0, 400);
    for (const fill of [1, 2, 3]) {
      src.fill(fill);
      const dst = shm.subarray(20, 516);
      copy(dst, src);
      expect(dst.subarray(0, 400).every((b) => b === fill)).toBe(true);
    }
  });
});
