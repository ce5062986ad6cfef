import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { conformanceRoot, replayFamily, type ReplayReport } from "./_conformance.ts";

// The recorded images live in ../shared/conformance beside the checkout (CI
// and every developer machine have it); missing data is a failure, not a skip.
const traceFile = fileURLToPath(new URL("static-vrings/trace.json", conformanceRoot));
if (!existsSync(traceFile)) throw new Error(`[openamp-wasm] conformance data not found at ${traceFile}: the shared/ folder must sit beside the checkout`);

describe.each([
  { family: "static-vrings" as const, steps: 63, num: 32, exhaustStep: 58, oversizeStep: 61, zeroStep: 11 },
  { family: "resource-table" as const, steps: 287, num: 256, exhaustStep: 282, oversizeStep: 285, zeroStep: 11 },
])("conformance replay of $family", ({ family, steps, num, exhaustStep, oversizeStep, zeroStep }) => {
  let report: ReplayReport;
  beforeAll(async () => {
    report = await replayFamily(family);
  }, 60_000);

  it("replays every recorded step", () => {
    expect(report.steps).toBe(steps);
  });
  it("delivers exactly the recorded messages (src, dst, len, payload, offsets)", () => {
    expect(report.receivedMismatches).toEqual([]);
  });
  it("runs the recorded name-service callbacks and ends with the recorded endpoints", () => {
    expect(report.nsMismatches).toEqual([]);
    expect(report.endpointMismatches).toEqual([]);
  });
  it("returns the recorded values and raises the recorded kicks", () => {
    expect(report.retMismatches).toEqual([]);
    expect(report.kickMismatches).toEqual([]);
  });
  it("writes images equal to upstream's outside the ignore ranges", () => {
    expect(report.imageMismatches).toEqual([]);
    expect(report.comparedBytes).toBeGreaterThan(steps * 1000);
  });
  it("answers the recorded buffer-size queries", () => {
    expect(report.bufferSizeMismatches).toEqual([]);
  });
  it(`fails with RPMSG_ERR_NO_BUFF after exactly ${num} sends`, () => {
    expect(report.rets.get(exhaustStep)).toBe(-2002);
    const ok = [...report.rets.entries()].filter(([i, r]) => i >= 26 && i < exhaustStep && r === 8).length;
    expect(ok).toBe(num);
  });
  it("sends 0 bytes and truncates a 600-byte C-API send to 496", () => {
    expect(report.rets.get(zeroStep)).toBe(0);
    expect(report.rets.get(oversizeStep)).toBe(496);
    const got = report.received.get(oversizeStep + 1)?.[0];
    expect(got?.["len"]).toBe(496);
  });
});
