import { describe, expect, it } from "vitest";
import { formatXlList, formatXlUptime, isDomainInfo, xlStateFlags, type DomainInfo } from "./xl-list.ts";

describe("xlStateFlags", () => {
  it.each([
    ["running", "r-----"],
    ["blocked", "-b----"],
    ["paused", "--p---"],
    ["shutdown", "---s--"],
    ["crashed", "----c-"],
    ["dying", "-----d"],
  ] as const)("%s -> %s", (state, flags) => {
    expect(xlStateFlags(state)).toBe(flags);
  });
});

describe("formatXlList", () => {
  const domains: DomainInfo[] = [
    { name: "linux", domid: 2, memKiB: 524_288, vcpus: 2, state: "blocked", cpuTimeS: 12.345, uptimeS: 90_061 },
    { name: "zephyr", domid: 1, memKiB: 16_384, vcpus: 1, state: "running", cpuTimeS: 3, uptimeS: 65.9 },
  ];

  it("prints a header and one aligned row per domain, by id, memory in MiB", () => {
    const lines = formatXlList(domains).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Name\s+ID\s+Mem\s+VCPUs\s+State\s+Time\(s\)\s+Uptime$/);
    expect(lines[1]).toMatch(/^zephyr\s+1\s+16\s+1\s+r-----\s+3\.0\s+0:01:05$/);
    expect(lines[2]).toMatch(/^linux\s+2\s+512\s+2\s+-b----\s+12\.3\s+1 day, 1:01:01$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it("prints only the header for no domains", () => {
    expect(formatXlList([]).trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("formatXlUptime", () => {
  it.each([
    [0, "0:00:00"],
    [59.9, "0:00:59"],
    [3725, "1:02:05"],
    [2 * 86_400 + 61, "2 days, 0:01:01"],
  ])("%s s -> %s", (s, text) => {
    expect(formatXlUptime(s)).toBe(text);
  });
});

describe("isDomainInfo", () => {
  it("accepts a domain and refuses broken ones", () => {
    const good = { name: "z", domid: 1, memKiB: 1, vcpus: 1, state: "running", cpuTimeS: 0 };
    expect(isDomainInfo(good)).toBe(true);
    expect(isDomainInfo({ ...good, state: "sleepy" })).toBe(false);
    expect(isDomainInfo({ ...good, domid: "1" })).toBe(false);
    expect(isDomainInfo(null)).toBe(false);
  });
});
