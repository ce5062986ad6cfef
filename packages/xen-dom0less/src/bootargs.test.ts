import { describe, expect, it } from "vitest";
import { BootargError, bootargFlag, bootargInt, bootargValueProblem, bootargWords, formatBootargs, parseBootargs, splitBootargs } from "./bootargs.ts";

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

  it("reads an unquoted command line word for word as before: values keep later `=`, tabs and newlines split", () => {
    const line = "console=hvc0 earlycon=xen\tuio_pdrv_genirq.of_id=xen,shared-memory-v1 rootfs=/tmp/v8r-rootfs-x1 a=b=c\nquiet  evtchn=0xa ";
    expect([...parseBootargs(line)]).toEqual([
      ["console", "hvc0"],
      ["earlycon", "xen"],
      ["uio_pdrv_genirq.of_id", "xen,shared-memory-v1"],
      ["rootfs", "/tmp/v8r-rootfs-x1"],
      ["a", "b=c"],
      ["quiet", ""],
      ["evtchn", "0xa"],
    ]);
  });
});

/** [key, value] of each parameter (value undefined for a bare word). */
const pairs = (line: string): [string, string | undefined][] => splitBootargs(line).map((a) => [a.key, a.value]);

describe("splitBootargs follows Linux's next_arg()", () => {
  it.each([
    ['rootfs="/tmp/my dir" quiet', [["rootfs", "/tmp/my dir"], ["quiet", undefined]]],
    ['"rootfs=/tmp/my dir" quiet', [["rootfs", "/tmp/my dir"], ["quiet", undefined]]],
    ['"quiet"', [["quiet", undefined]]],
    ['"two words"', [["two words", undefined]]],
    ['msg="" x', [["msg", ""], ["x", undefined]]],
    ['msg="a\tb\nc" x=1', [["msg", "a\tb\nc"], ["x", "1"]]],
  ])("a quote protects spaces and is removed, in either placement: %j", (line, expected) => {
    expect(pairs(line)).toEqual(expected);
  });

  it.each([
    // a quote inside a value does not start it: it stays, and still protects the spaces after it
    ['a=b"c d"e f', [["a", 'b"c d"e'], ["f", undefined]]],
    // only the opening quote and the word's last character go: what follows a closing quote stays
    ['a="b c"d e', [["a", 'b c"d'], ["e", undefined]]],
    // a quoted word and a quoted value lose one closing quote between them
    ['"a="b"" z', [["a", 'b"'], ["z", undefined]]],
    // a quote closed inside a quoted word lets the next space end it
    ['"a="b c"" z', [["a", "b"], ['c""', undefined], ["z", undefined]]],
    // an `=` first in a word is part of its name; the next one splits
    ["=x =y=z", [["=x", undefined], ["=y", "z"]]],
  ])("keeps every other quote and `=` where Linux does: %j", (line, expected) => {
    expect(pairs(line)).toEqual(expected);
  });

  it.each([
    ['a="b c d', [["a", "b c d"]], true],
    ['x=1 "a=b c', [["x", "1"], ["a", "b c"]], true],
    ['x=1 a=b"c d', [["x", "1"], ["a", 'b"c d']], true],
    ['a="', [["a", ""]], true],
    ['x "', [["x", undefined], ["", undefined]], true],
    ['a="b" c', [["a", "b"], ["c", undefined]], false],
  ])("an unterminated quote runs to the end of the line: %j", (line, expected, unterminated) => {
    const args = splitBootargs(line);
    expect(args.map((a) => [a.key, a.value])).toEqual(expected);
    expect(args.at(-1)?.unterminated).toBe(unterminated);
  });

  it("keeps each word as written", () => {
    expect(splitBootargs(' quiet  "a=b c"\tx="y z"').map((a) => a.text)).toEqual(["quiet", '"a=b c"', 'x="y z"']);
  });

  it("splits only at ASCII white space: a non-breaking or ideographic space is part of the word", () => {
    expect(pairs("a=x\u00a0y b=\u3000")).toEqual([["a", "x\u00a0y"], ["b", "\u3000"]]);
  });

  it("bootargWords hands each parameter over as Linux hands it to init", () => {
    expect(bootargWords('"a=b c" d="e f" g"h i" --x')).toEqual(["a=b c", "d=e f", 'g"h i"', "--x"]);
  });
});

describe("formatBootargs and bootargValueProblem", () => {
  it.each([
    ["/tmp/my dir", 'rootfs="/tmp/my dir"'],
    ["C:\\Users\\Jane Doe\\rootfs", 'rootfs="C:\\Users\\Jane Doe\\rootfs"'],
    ["/tmp/caf\u00e9", 'rootfs="/tmp/caf\u00e9"'],
    ["/tmp/plain", "rootfs=/tmp/plain"],
  ])("writes %j so that Linux reads it back whole", (value, written) => {
    const line = formatBootargs(new Map([["rootfs", value], ["quiet", ""]]));
    expect(line).toBe(`${written} quiet`);
    expect(parseBootargs(line).get("rootfs")).toBe(value);
  });

  it.each([
    ['/tmp/say "hi"', /contains a double quote, which a kernel command line cannot carry \(Linux's parser has no escape for it\)/],
    ["/tmp/a\nb", /contains a control character \(U\+000A\)/],
    ["/tmp/a\u0000b", /contains a control character \(U\+0000\)/],
    ["/tmp/a\tb", /contains a control character \(U\+0009\)/],
  ])("refuses %j with a BootargError that says why", (value, why) => {
    expect(bootargValueProblem(value)).toMatch(why);
    const err = (() => {
      try {
        return formatBootargs(new Map([["rootfs", value]]));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BootargError);
    expect(err).toMatchObject({ code: "EINVAL", key: "rootfs", value, message: expect.stringMatching(why) });
  });

  it.each([[""], ["a b"], ["a=b"], ['a"']])("refuses the key %j with a RangeError", (key) => {
    expect(() => formatBootargs(new Map([[key, "1"]]))).toThrow(RangeError);
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
