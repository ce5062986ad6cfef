import { staticVringsLayout } from "@v8r/openamp-wasm";
import { describe, expect, it } from "vitest";
import { DEFAULT_CORRUPT_BYTES, demoShmRanges, withDemoDefaults } from "./_demo-faults.ts";
import { parseFaultSpec } from "./fault-spec.ts";

describe("the demo's fault defaults", () => {
  it("aims a corruption that names no part at vring1, 32 bytes, where it always landed", () => {
    const plan = withDemoDefaults(parseFaultSpec("corrupt@40s,corrupt:rpmsg-shm:8@50s,corrupt:rpmsg-shm/status@60s,drop=1%"), 7);
    expect(plan).toEqual({
      seed: 7,
      faults: [
        { kind: "drop", probability: 0.01 },
        { kind: "corrupt", atMs: 40_000, range: "vring1", length: DEFAULT_CORRUPT_BYTES },
        { kind: "corrupt", atMs: 50_000, region: "rpmsg-shm", range: "vring1", length: 8 },
        { kind: "corrupt", atMs: 60_000, region: "rpmsg-shm", range: "status" },
      ],
    });
    const vring1 = demoShmRanges({ size: 0x10_0000 }).find((r) => r.name === "vring1");
    expect(vring1?.offset).toBe(staticVringsLayout({ shmSize: 0x10_0000 }).vring1Offset);
  });

  it("names no parts in a region too small for the layout", () => {
    expect(demoShmRanges({ size: 64 })).toEqual([]);
  });
});
