import { describe, expect, it } from "vitest";
import { staticVringsLayout, vringSize } from "@v8r/openamp-wasm";

/**
 * The static-vrings backend sizes its rings with Zephyr's `optimal_num_desc`
 * (subsys/ipc/ipc_service/backends/ipc_rpmsg_static_vrings.h, as fixed by
 * zephyrproject-rtos/zephyr#61984 for Zephyr 3.5; this shim follows 3.7):
 * the number of descriptors is the largest power of two n whose
 * `shm_size(n)` (two buffer rings of n * 512 bytes plus two vrings, each part
 * rounded to MEM_ALIGNMENT 4) is strictly smaller than the region minus the
 * 4-byte status area.
 */
const STATUS = 4;
const align4 = (v: number): number => Math.ceil(v / 4) * 4;
const shmSize = (n: number): number => 2 * (align4(512 * n) + align4(vringSize(n, 4)));

describe("static-vrings descriptor count (Zephyr's optimal_num_desc)", () => {
  // Each pair of rows sits on a power-of-two threshold: one byte below the
  // smallest region that holds 2^k descriptors, and that region. The lower
  // row is also one of the sizes where the pre-3.5 formula (rounding the
  // first count that does NOT fit) picked 2^k and overflowed the region.
  it.each([
    [8644, 4],
    [8645, 8],
    [17252, 8],
    [17253, 16],
    [34468, 16],
    [34469, 32],
    [68900, 32],
    [68901, 64],
    [137764, 64],
    [137765, 128],
    [275492, 128],
    [275493, 256],
    [550948, 256],
    [550949, 512],
    [1101860, 512],
    [1101861, 1024],
    [0x10000, 32],
    [0x100000, 512],
    [0x200000, 1024],
  ])("a %i-byte region gets %i descriptors", (size, num) => {
    expect(staticVringsLayout({ shmSize: size }).num).toBe(num);
  });

  it("at every size from 8 KiB to 2 MiB (256-byte steps), num is the largest power of two whose rings fit, and the layout stays in the region", () => {
    let checked = 0;
    for (let size = 8192; size <= 2 * 1024 * 1024; size += 256) {
      const l = staticVringsLayout({ shmSize: size });
      const available = size - STATUS;
      expect(Number.isInteger(Math.log2(l.num)), `num ${l.num} at ${size}`).toBe(true);
      expect(shmSize(l.num), `num ${l.num} must fit in ${size}`).toBeLessThan(available);
      expect(shmSize(2 * l.num), `2 * ${l.num} must not fit in ${size}`).toBeGreaterThanOrEqual(available);
      expect(l.vring0Offset + vringSize(l.num, 4)).toBeLessThanOrEqual(size);
      checked++;
    }
    expect(checked).toBe(8161);
  });

  it("an exact fit is not enough: Zephyr keeps one byte of slack (shm_size(n) < available)", () => {
    // 16 descriptors need exactly 17248 + 4 bytes; Zephyr's loop stops at
    // `available > shm_size(n)`, so a 17252-byte region gets 8.
    expect(shmSize(16) + STATUS).toBe(17252);
    expect(staticVringsLayout({ shmSize: 17252 }).num).toBe(8);
  });
});
