import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { isLoopbackAddress, isLoopbackHost, localChangeRefusal } from "./_loopback.ts";

function request(remoteAddress: string, headers: Record<string, string>): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe("loopback checks", () => {
  it.each([
    ["127.0.0.1", true], ["127.8.9.10", true], ["::1", true], ["::ffff:127.0.0.1", true],
    ["10.0.0.5", false], ["192.168.1.2", false], ["::ffff:10.0.0.5", false], ["fe80::1", false], ["128.0.0.1", false], [undefined, false],
  ])("address %s is loopback: %s", (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });

  it.each([
    ["localhost:8080", true], ["LOCALHOST", true], ["127.0.0.1:8080", true], ["[::1]:8080", true], ["app.localhost", true],
    ["evil.example:8080", false], ["192.168.1.2:8080", false], ["127.0.0.1.evil.example", false], [undefined, false],
  ])("Host %s names this machine: %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it("accepts a change from this machine, with or without a same-origin Origin", () => {
    expect(localChangeRefusal(request("127.0.0.1", { host: "127.0.0.1:8080" }))).toBeUndefined();
    expect(localChangeRefusal(request("::1", { host: "localhost:8080", origin: "http://localhost:8080" }))).toBeUndefined();
  });

  it.each([
    ["another machine", request("192.168.1.7", { host: "192.168.1.2:8080" }), "only accepted from this machine, not from 192.168.1.7"],
    ["a rebound DNS name", request("127.0.0.1", { host: "evil.example:8080" }), 'loopback host name, not "evil.example:8080"'],
    ["another page's script", request("127.0.0.1", { host: "127.0.0.1:8080", origin: "http://evil.example" }), "another origin (http://evil.example)"],
    ["a garbled Origin", request("127.0.0.1", { host: "127.0.0.1:8080", origin: "::" }), 'the origin "::"'],
  ])("refuses a change from %s", (_, req, reason) => {
    expect(localChangeRefusal(req)).toContain(reason);
  });
});
