import { describe, expect, it } from "vitest";
import type { AnyFaultKind, FaultSpecItem } from "./fault-kind.ts";
import { FAULT_KINDS, faultKind, isSendFault } from "./fault-kinds.ts";

const kinds = FAULT_KINDS as readonly AnyFaultKind[];

/** A text-form item with plain readers (probabilities as numbers, durations in ms). */
function item(args: string[], atMs = 0): FaultSpecItem {
  return {
    token: args.join(":"),
    args,
    atMs,
    probability: (t) => Number(t),
    duration: (t) => Number(t.replace(/ms$/, "")),
    fail: (reason) => {
      throw new Error(reason);
    },
  };
}

describe("the fault kind registry", () => {
  it("names every kind and alias once, and each syntax starts with one of its names", () => {
    const names = kinds.flatMap((k) => [k.name, ...k.aliases]);
    expect(new Set(names).size).toBe(names.length);
    for (const k of kinds) {
      expect([k.name, ...k.aliases].some((n) => k.syntax.startsWith(n)), k.syntax).toBe(true);
      expect(k.help.length).toBeGreaterThan(10);
      expect(faultKind(k.name)).toBe(k);
    }
    expect(faultKind("dup")?.name).toBe("duplicate");
    expect(faultKind("explode")).toBeUndefined();
  });

  it.each([
    ["drop", ["0.25"], 0, { kind: "drop", probability: 0.25 }, "drop=0.25"],
    ["delay", ["0.5", "7ms"], 0, { kind: "delay", probability: 0.5, ms: 7 }, "delay=0.5:7"],
    ["duplicate", ["1"], 0, { kind: "duplicate", probability: 1 }, "dup=1"],
    ["corrupt", ["shm/vring0.used", "4"], 9, { kind: "corrupt", atMs: 9, region: "shm", range: "vring0.used", length: 4 }, "corrupt:shm/vring0.used:4"],
    ["crash", ["zephyr"], 5, { kind: "crash", domain: "zephyr", atMs: 5 }, "crash:zephyr"],
    ["restart", ["linux"], 5, { kind: "restart", domain: "linux", atMs: 5 }, "restart:linux"],
    ["pause", ["zephyr", "1500ms"], 7, { kind: "pause", domain: "zephyr", ms: 1500, atMs: 7 }, "pause:zephyr:1500"],
  ] as const)("reads and writes %s", (name, args, atMs, fault, text) => {
    const kind = faultKind(name)!;
    expect(kind.parse(item([...args], atMs))).toEqual(fault);
    expect(kind.format(fault as never, { duration: (ms) => String(ms) })).toBe(text);
    expect(isSendFault(fault)).toBe(kind.when === "send");
  });

  it("applies the send kinds to a fate only when the draw is under the probability", () => {
    const fate = { drop: false, delayMs: 0, copies: 0, kinds: [] };
    expect(faultKind("delay")?.when).toBe("send");
    const delay = faultKind("delay") as Extract<AnyFaultKind, { when: "send" }>;
    expect(delay.apply({ kind: "delay", probability: 0.5, ms: 3 } as never, 0.6, fate)).toBe(false);
    expect(delay.apply({ kind: "delay", probability: 0.5, ms: 3 } as never, 0.4, fate)).toBe(true);
    expect(fate).toMatchObject({ drop: false, delayMs: 3, copies: 0 });
  });
});
