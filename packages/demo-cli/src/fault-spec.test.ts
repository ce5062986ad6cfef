import { describe, expect, it } from "vitest";
import { FaultSpecError, formatFaultSpec, parseFaultSpec } from "./fault-spec.ts";

describe("parseFaultSpec", () => {
  it("reads the full example from --help", () => {
    const plan = parseFaultSpec("drop=0.3,delay=0.1:5ms,dup=0.05,corrupt@12s,crash:zephyr@20s,restart:linux@40s");
    expect(plan).toEqual({
      faults: [
        { kind: "drop", probability: 0.3 },
        { kind: "delay", probability: 0.1, ms: 5 },
        { kind: "duplicate", probability: 0.05 },
        { kind: "corrupt", atMs: 12_000 },
        { kind: "crash", domain: "zephyr", atMs: 20_000 },
        { kind: "restart", domain: "linux", atMs: 40_000 },
      ],
    });
  });

  it.each([
    ["drop=30%", { kind: "drop", probability: 0.3 }],
    ["drop=0", { kind: "drop", probability: 0 }],
    ["drop=1", { kind: "drop", probability: 1 }],
    ["drop=.5", { kind: "drop", probability: 0.5 }],
    ["duplicate=100%", { kind: "duplicate", probability: 1 }],
    ["dup=5%", { kind: "duplicate", probability: 0.05 }],
    ["delay=50%:1m", { kind: "delay", probability: 0.5, ms: 60_000 }],
  ])("reads the rate %j", (spec, expected) => {
    expect(parseFaultSpec(spec).faults).toEqual([expected]);
  });

  it.each([
    ["corrupt@0s", { kind: "corrupt", atMs: 0 }],
    ["corrupt:rpmsg-shm@1m", { kind: "corrupt", atMs: 60_000, region: "rpmsg-shm" }],
    ["corrupt:rpmsg-shm:64@1500ms", { kind: "corrupt", atMs: 1_500, region: "rpmsg-shm", length: 64 }],
    ["corrupt:rpmsg-shm/vring0.avail@2s", { kind: "corrupt", atMs: 2_000, region: "rpmsg-shm", range: "vring0.avail" }],
    ["corrupt:rpmsg-shm/status:1@2s", { kind: "corrupt", atMs: 2_000, region: "rpmsg-shm", range: "status", length: 1 }],
  ])("reads the corruption %j", (spec, expected) => {
    expect(parseFaultSpec(spec).faults).toEqual([expected]);
  });

  it("sorts timed faults by time and allows several of a kind", () => {
    const plan = parseFaultSpec("crash:zephyr@30s, crash:linux@10s ,corrupt@5s,drop=1%,corrupt@2s");
    expect(plan.faults.map((f) => `${f.kind}${"atMs" in f ? `@${f.atMs}` : ""}`)).toEqual(["drop", "corrupt@2000", "corrupt@5000", "crash@10000", "crash@30000"]);
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
    ["corrupt:a/b/c@1s", "corrupt:a/b/c@1s"],
    ["corrupt:a/-x@1s", "corrupt:a/-x@1s"],
    ["drop=0.1:2", "drop=0.1:2"],
    ["crash=0.1", "crash=0.1"],
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
    const spec = "restart:linux@40s,drop=30%,corrupt:rpmsg-shm/vring1.used:8@1m30s,delay=0.1:5ms,dup=0.05,crash:zephyr@20s";
    const plan = parseFaultSpec(spec);
    const text = formatFaultSpec(plan);
    expect(text).toBe("drop=0.3,delay=0.1:5ms,dup=0.05,crash:zephyr@20s,restart:linux@40s,corrupt:rpmsg-shm/vring1.used:8@1m30s");
    expect(parseFaultSpec(text)).toEqual(plan);
  });
});
