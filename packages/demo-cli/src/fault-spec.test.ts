import { describe, expect, it } from "vitest";
import { FaultSpecError, formatFaultSpec, parseFaultSpec } from "./fault-spec.ts";

describe("parseFaultSpec", () => {
  it("reads the full example from --help", () => {
    const plan = parseFaultSpec("drop=0.3,delay=0.1:5ms,dup=0.05,corrupt@12s,crash:zephyr@20s,restart:linux@40s");
    expect(plan).toEqual({
      drop: 0.3,
      delay: { p: 0.1, ms: 5 },
      duplicate: 0.05,
      corrupt: [{ atMs: 12_000 }],
      crash: [{ domain: "zephyr", atMs: 20_000 }],
      restart: [{ domain: "linux", atMs: 40_000 }],
    });
  });

  it.each([
    ["drop=30%", { drop: 0.3 }],
    ["drop=0", { drop: 0 }],
    ["drop=1", { drop: 1 }],
    ["drop=.5", { drop: 0.5 }],
    ["duplicate=100%", { duplicate: 1 }],
    ["delay=50%:1m", { delay: { p: 0.5, ms: 60_000 } }],
  ])("reads the rate %j", (spec, expected) => {
    expect(parseFaultSpec(spec)).toMatchObject(expected);
  });

  it.each([
    ["corrupt@0s", { atMs: 0 }],
    ["corrupt:rpmsg-shm@1m", { atMs: 60_000, region: "rpmsg-shm" }],
    ["corrupt:rpmsg-shm:64@1500ms", { atMs: 1_500, region: "rpmsg-shm", bytes: 64 }],
  ])("reads the corruption %j", (spec, expected) => {
    expect(parseFaultSpec(spec).corrupt).toEqual([expected]);
  });

  it("sorts timed faults by time and allows several of a kind", () => {
    const plan = parseFaultSpec("crash:zephyr@30s, crash:linux@10s ,corrupt@5s,corrupt@2s");
    expect(plan.crash.map((c) => c.domain)).toEqual(["linux", "zephyr"]);
    expect(plan.corrupt.map((c) => c.atMs)).toEqual([2_000, 5_000]);
  });

  it.each([
    ["", ""],
    ["drop=0.3,,dup=0.1", ""],
    ["drop=1.5", "drop=1.5"],
    ["drop=-0.1", "drop=-0.1"],
    ["drop=abc", "drop=abc"],
    ["drop=101%", "drop=101%"],
    ["drop=0.1,drop=0.2", "drop=0.2"],
    ["jitter=0.1", "jitter=0.1"],
    ["delay=0.1", "delay=0.1"],
    ["delay=0.1:0ms", "delay=0.1:0ms"],
    ["delay=0.1:soon", "delay=0.1:soon"],
    ["crash@20s", "crash@20s"],
    ["crash:zephyr", "crash:zephyr"],
    ["crash:zephyr@later", "crash:zephyr@later"],
    ["crash:a:b@1s", "crash:a:b@1s"],
    ["explode:zephyr@1s", "explode:zephyr@1s"],
    ["corrupt:this-id-is-far-too-long@1s", "corrupt:this-id-is-far-too-long@1s"],
    ["corrupt:rpmsg-shm:0@1s", "corrupt:rpmsg-shm:0@1s"],
    ["corrupt:rpmsg-shm:many@1s", "corrupt:rpmsg-shm:many@1s"],
    ["corrupt:a:1:2@1s", "corrupt:a:1:2@1s"],
  ])("refuses %j, naming the token %j", (spec, token) => {
    let caught: unknown;
    try {
      parseFaultSpec(spec);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FaultSpecError);
    expect((caught as FaultSpecError).token).toBe(token);
    expect((caught as FaultSpecError).message).toMatch(/^\[v8r-demo\] reading the fault item/);
  });
});

describe("formatFaultSpec", () => {
  it("writes a plan that parses back to the same plan", () => {
    const spec = "restart:linux@40s,drop=30%,corrupt:rpmsg-shm:8@1m30s,delay=0.1:5ms,dup=0.05,crash:zephyr@20s";
    const plan = parseFaultSpec(spec);
    const text = formatFaultSpec(plan);
    expect(text).toBe("drop=0.3,delay=0.1:5ms,dup=0.05,crash:zephyr@20s,restart:linux@40s,corrupt:rpmsg-shm:8@1m30s");
    expect(parseFaultSpec(text)).toEqual(plan);
  });
});
