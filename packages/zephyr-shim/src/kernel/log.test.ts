import { describe, expect, it } from "vitest";
import { makeKernel } from "../../test/_kernel-fixture.ts";
import { formatPrintf } from "./_printf.ts";
import { LogLevel, formatLogTimestamp } from "./log.ts";

describe("logging", () => {
  it.each([
    [0, "[00:00:00.000,000]"],
    [1234, "[00:00:01.234,000]"],
    [1234.5678, "[00:00:01.234,567]"],
    [3_723_004, "[01:02:03.004,000]"],
  ])("formatLogTimestamp(%d) is %s", (ms, text) => {
    expect(formatLogTimestamp(ms)).toBe(text);
  });

  it("LOG_INF prints Zephyr's line format with the uptime", () => {
    const { clock, k, output } = makeKernel();
    const log = k.LOG_MODULE_REGISTER("rpmsg_host");
    clock.advanceTo(1234);
    log.LOG_INF("sent %d bytes to %s", 42, "rpmsg-demo");
    expect(output()).toBe("[00:00:01.234,000] <inf> rpmsg_host: sent 42 bytes to rpmsg-demo\n");
  });

  it("messages above the module level are dropped", () => {
    const { k, output } = makeKernel();
    const log = k.LOG_MODULE_REGISTER("m", LogLevel.LOG_LEVEL_WRN);
    log.LOG_DBG("no");
    log.LOG_INF("no");
    log.LOG_WRN("yes");
    log.LOG_ERR("yes too");
    expect(output()).toBe("[00:00:00.000,000] <wrn> m: yes\n[00:00:00.000,000] <err> m: yes too\n");
  });

  it.each([
    ["%d|%5d|%-5d|%05d", [1, 2, 3, -4], "1|    2|3    |-0004"],
    ["%x %X %08x %p", [255, 255, 0xbeef, 16], "ff FF 0000beef 0x10"],
    ["%s/%.2s/%c/%%", ["abc", "xyz", 65], "abc/xy/A/%"],
    ["%.1f %u %lld", [12.345, 7, 10n], "12.3 7 10"],
    ["%d %s", [], "0 "],
  ])("formatPrintf(%s)", (fmt, args, text) => {
    expect(formatPrintf(fmt, args)).toBe(text);
  });

  it("printk writes formatted text as is", () => {
    const { k, output } = makeKernel();
    k.printk("Hello %s!\n", "v8r");
    expect(output()).toBe("Hello v8r!\n");
  });
});
