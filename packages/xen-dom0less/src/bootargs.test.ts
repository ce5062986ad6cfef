import { describe, expect, it } from "vitest";
import { BootargError, bootargFlag, bootargInt, formatBootargs, parseBootargs } from "./bootargs.ts";

describe("parseBootargs", () => {
  it("splits key=value words and bare flags", () => {
    expect([...parseBootargs("console=hvc0 quiet  evtchn=0xa root=")]).toEqual([
      ["console", "hvc0"],
      ["quiet", ""],
      ["evtchn", "0xa"],
      ["root", ""],
    ]);
  });

  it("keeps the last value of a repeated key and honours double quotes", () => {
    const args = parseBootargs('a=1 a=2 msg="two words"');
    expect(args.get("a")).toBe("2");
    expect(args.get("msg")).toBe("two words");
  });
});

describe("bootargInt and bootargFlag", () => {
  it.each([
    ["evtchn=10", 10],
    ["evtchn=0xA", 10],
    ["", 7],
  ])("bootargInt(%j) is %d", (cmdline, value) => {
    expect(bootargInt(parseBootargs(cmdline), "evtchn", 7)).toBe(value);
  });

  it.each([["evtchn=1e3"], ["evtchn=-1"], ["evtchn=0x"]])("bootargInt rejects %j", (cmdline) => {
    expect(() => bootargInt(parseBootargs(cmdline), "evtchn", 7)).toThrow(/evtchn=.* is not an integer/);
  });

  it.each([["period_ms=99"], ["period_ms=60001"], ["period_ms=abc"]])("bootargInt with a range rejects %j with a BootargError naming it", (cmdline) => {
    const err = (() => {
      try {
        return bootargInt(parseBootargs(cmdline), "period_ms", 1000, { min: 100, max: 60000 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BootargError);
    expect(err).toMatchObject({ code: "EINVAL", key: "period_ms", message: expect.stringContaining("in 100..60000") });
  });

  it("formatBootargs writes back what parseBootargs read", () => {
    const line = 'console=hvc0 quiet msg="two words" period_ms=500';
    expect(formatBootargs(parseBootargs(line))).toBe(line);
  });

  it.each([
    ["autorun=0", false],
    ["autorun=no", false],
    ["autorun=OFF", false],
    ["autorun=false", false],
    ["autorun=1", true],
    ["autorun", true],
    ["", true],
  ])("bootargFlag(%j) is %s", (cmdline, value) => {
    expect(bootargFlag(parseBootargs(cmdline), "autorun", true)).toBe(value);
  });
});
