import { staticVringsLayout } from "@v8r/openamp-wasm";
import { describe, expect, it } from "vitest";
import { DEFAULT_CORRUPT_BYTES, demoShmRanges, withDemoDefaults } from "./_demo-faults.ts";
import { parseFaultSpec } from "./fault-spec.ts";

describe("the demo's fault defaults", () => {
  it("aims a corruption that names no part at vring1 and on to the end of the region, 32 bytes by default, where it always landed", () => {
    const plan = withDemoDefaults(parseFaultSpec("corrupt@40s,corrupt:rpmsg-shm:8@50s,corrupt:rpmsg-shm/status@60s,drop=1%"), 7);
    expect(plan).toEqual({
      seed: 7,
      faults: [
        { kind: "drop", probability: 0.01 },
        { kind: "corrupt", atMs: 40_000, range: "from-vring1", length: DEFAULT_CORRUPT_BYTES },
        { kind: "corrupt", atMs: 50_000, region: "rpmsg-shm", range: "from-vring1", length: 8 },
        { kind: "corrupt", atMs: 60_000, region: "rpmsg-shm", range: "status" },
      ],
    });
    const ranges = demoShmRanges({ size: 0x10_0000 });
    const vring1 = staticVringsLayout({ shmSize: 0x10_0000 }).vring1Offset;
    expect(ranges.find((r) => r.name === "vring1")?.offset).toBe(vring1);
    // the corrupt:rpmsg-shm:65536 fits again: 64 KiB from vring1 on
    expect(ranges.find((r) => r.name === "from-vring1")).toMatchObject({ offset: vring1, size: 0x10_0000 - vring1 });
    expect(ranges.find((r) => r.name === "all")).toMatchObject({ offset: 0, size: 0x10_0000 });
  });

  it("names only all of a region too small for the layout", () => {
    expect(demoShmRanges({ size: 64 }).map((r) => r.name)).toEqual(["all"]);
  });
});
