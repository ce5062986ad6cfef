import { describe, expect, it } from "vitest";
import { HostGuestHandle, MAX_UNHEARD_MESSAGES } from "./_guest-handle.ts";
import { TraceBus } from "./trace-bus.ts";

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("HostGuestHandle control messages", () => {
  it("delivers messages sent while nobody listened to the next listener, before newer ones", async () => {
    const h = new HostGuestHandle("g", new TraceBus());
    h.deliver("a");
    h.deliver("b");
    const got: unknown[] = [];
    h.onMessage((m) => got.push(m));
    h.deliver("c");
    expect(got).toEqual([]);
    await settle();
    h.deliver("d");
    expect(got).toEqual(["a", "b", "c", "d"]);
  });

  it("delivers at once when a listener is registered and nothing is waiting", () => {
    const h = new HostGuestHandle("g", new TraceBus());
    const got: unknown[] = [];
    h.onMessage((m) => got.push(m));
    h.deliver(1);
    expect(got).toEqual([1]);
  });

  it("keeps messages again after the last listener left", async () => {
    const h = new HostGuestHandle("g", new TraceBus());
    const first: unknown[] = [];
    const off = h.onMessage((m) => first.push(m));
    off();
    h.deliver("later");
    const second: unknown[] = [];
    h.onMessage((m) => second.push(m));
    await settle();
    expect(first).toEqual([]);
    expect(second).toEqual(["later"]);
  });

  it(`keeps at most ${MAX_UNHEARD_MESSAGES} unheard messages, dropping the oldest`, async () => {
    const h = new HostGuestHandle("g", new TraceBus());
    for (let i = 0; i < MAX_UNHEARD_MESSAGES + 5; i++) h.deliver(i);
    const got: number[] = [];
    h.onMessage((m) => got.push(m as number));
    await settle();
    expect(got.length).toBe(MAX_UNHEARD_MESSAGES);
    expect(got[0]).toBe(5);
    expect(got.at(-1)).toBe(MAX_UNHEARD_MESSAGES + 4);
  });
});
