import { describe, expect, it } from "vitest";
import { handleCommand } from "./commands.ts";

function target() {
  const calls: string[] = [];
  let seq = 41;
  return {
    calls,
    t: {
      uptime: () => 1500,
      setPeriod: (ms: number) => calls.push(`period ${ms}`),
      sampleNow: () => ++seq,
    },
  };
}

const enc = (s: string) => new TextEncoder().encode(s);

describe("handleCommand", () => {
  it.each([
    ['{"id":1,"cmd":"ping"}', { id: 1, ok: true, t: 1500 }, []],
    ['{"id":2,"cmd":"period","ms":500}', { id: 2, ok: true, per: 500 }, ["period 500"]],
    ['{"id":3,"cmd":"sample"}', { id: 3, ok: true, seq: 42 }, []],
  ])("%s is answered with its result", (cmd, reply, calls) => {
    const { t, calls: seen } = target();
    expect(handleCommand(enc(cmd), t)).toEqual(reply);
    expect(seen).toEqual(calls);
  });

  it.each([
    ['{"id":4,"cmd":"period","ms":99}', 4, /100\.\.60000/],
    ['{"id":5,"cmd":"period","ms":60001}', 5, /100\.\.60000/],
    ['{"id":6,"cmd":"period","ms":"500"}', 6, /integer/],
    ['{"id":7,"cmd":"reboot"}', 7, /unknown command "reboot"/],
    ['{"id":8}', 8, /missing cmd/],
    ["not json", null, /JSON/],
    ["[1,2]", null, /object/],
    ['{"cmd":"ping"}', null, /id/],
    ['{"id":"9","cmd":"ping"}', null, /id/],
  ])("%s gets an error reply with id %s", (cmd, id, err) => {
    const { t, calls } = target();
    const reply = handleCommand(enc(cmd), t);
    expect(reply.ok).toBe(false);
    expect(reply.id).toBe(id);
    expect(reply.ok === false && reply.err).toMatch(err);
    expect(calls).toEqual([]);
  });

  it("a command over 496 bytes is refused without being parsed", () => {
    const { t } = target();
    const reply = handleCommand(enc(`{"id":1,"cmd":"ping","pad":"${"x".repeat(500)}"}`), t);
    expect(reply).toMatchObject({ id: null, ok: false });
  });

  it("invalid UTF-8 is refused", () => {
    const { t } = target();
    expect(handleCommand(new Uint8Array([0x7b, 0xff, 0x7d]), t)).toMatchObject({ id: null, ok: false });
  });
});
