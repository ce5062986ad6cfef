import { describe, expect, it } from "vitest";
import { connectionCap, descriptorUsage } from "./_web-connections.ts";

describe("connection cap", () => {
  it.each([
    [{ limit: 1024, open: 60 }, 418], // (1024 - 60 - 128) / 2: two descriptors per connection, 128 left to the program
    [{ limit: 20_000, open: 60 }, 2048], // maxConnections
    [{ limit: 200, open: 150 }, 1], // never below one
    [undefined, 2048], // no /proc: maxConnections
  ])("with %o descriptors allows %d connections", (usage, cap) => {
    expect(connectionCap(2048, 128, usage)).toBe(cap);
  });

  it("reads the soft limit and the open descriptors on Linux", () => {
    const usage = descriptorUsage();
    if (process.platform !== "linux") return expect(usage).toBeUndefined();
    expect(usage?.limit).toBeGreaterThan(0);
    expect(usage?.open).toBeGreaterThan(2);
  });
});
