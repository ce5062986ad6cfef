import { describe, expect, it } from "vitest";
import { encodeCommand, encodeReply, parseReply, replyProblem, serveCommand, type CtrlHandlers } from "./ctrl-codec.ts";

function target() {
  const calls: string[] = [];
  let seq = 41;
  const t: CtrlHandlers = {
    ping: () => ({ t: 1500 }),
    period: ({ ms }) => {
      calls.push(`period ${ms}`);
      return { per: ms };
    },
    sample: () => ({ seq: ++seq }),
    ack: ({ boot, next, miss }) => {
      calls.push(`ack ${boot.toString(16)} ${next} ${miss}`);
      return { t: 1500 };
    },
  };
  return { calls, t };
}

const enc = (s: string) => new TextEncoder().encode(s);

describe("serveCommand", () => {
  it.each([
    ['{"id":1,"cmd":"ping"}', { id: 1, ok: true, t: 1500 }, []],
    ['{"id":2,"cmd":"period","ms":500}', { id: 2, ok: true, per: 500 }, ["period 500"]],
    ['{"id":3,"cmd":"sample"}', { id: 3, ok: true, seq: 42 }, []],
    ['{"id":4,"cmd":"ack","boot":18510439,"next":7,"miss":0}', { id: 4, ok: true, t: 1500 }, ["ack 11a7267 7 0"]],
  ])("%s is answered with its result", (cmd, reply, calls) => {
    const { t, calls: seen } = target();
    expect(serveCommand(enc(cmd), t)).toEqual(reply);
    expect(seen).toEqual(calls);
  });

  it.each([
    ['{"id":4,"cmd":"period","ms":99}', 4, /100\.\.60000/],
    ['{"id":5,"cmd":"period","ms":60001}', 5, /100\.\.60000/],
    ['{"id":6,"cmd":"period","ms":"500"}', 6, /integer/],
    ['{"id":7,"cmd":"reboot"}', 7, /unknown command "reboot"/],
    ['{"id":8}', 8, /missing cmd/],
    ['{"id":10,"cmd":"ack","boot":4294967296,"next":0,"miss":0}', 10, /boot must be an integer in 0\.\.4294967295/],
    ['{"id":11,"cmd":"ack","boot":1,"next":-1,"miss":0}', 11, /next must be an integer >= 0/],
    ["not json", null, /JSON/],
    ["[1,2]", null, /object/],
    ['{"cmd":"ping"}', null, /id/],
    ['{"id":"9","cmd":"ping"}', null, /id/],
  ])("%s gets an error reply with id %s", (cmd, id, err) => {
    const { t, calls } = target();
    const reply = serveCommand(enc(cmd), t);
    expect(reply.ok).toBe(false);
    expect(reply.id).toBe(id);
    expect(reply.ok === false && reply.err).toMatch(err);
    expect(calls).toEqual([]);
  });

  it("a command over 496 bytes is refused without being parsed", () => {
    const { t } = target();
    const reply = serveCommand(enc(`{"id":1,"cmd":"ping","pad":"${"x".repeat(500)}"}`), t);
    expect(reply).toMatchObject({ id: null, ok: false });
  });

  it("invalid UTF-8 is refused", () => {
    const { t } = target();
    expect(serveCommand(new Uint8Array([0x7b, 0xff, 0x7d]), t)).toMatchObject({ id: null, ok: false });
  });
});

describe("encodeCommand", () => {
  it.each([
    [{ cmd: "ping" }, '{"id":1,"cmd":"ping"}'],
    [{ cmd: "period", ms: 250 }, '{"id":1,"cmd":"period","ms":250}'],
    [{ cmd: "sample" }, '{"id":1,"cmd":"sample"}'],
  ] as const)("%j is written with its id first", (command, text) => {
    expect(new TextDecoder().decode(encodeCommand(1, command))).toBe(text);
  });

  it.each([[{ cmd: "reboot" }], [{ cmd: "period", ms: 1.5 }], [{ cmd: "period" }]])("rejects the bad command %j with a TypeError", (cmd) => {
    expect(() => encodeCommand(1, cmd as never)).toThrow(TypeError);
  });

  it("round-trips through the server: what Linux encodes, Zephyr serves", () => {
    const { t, calls } = target();
    const reply = serveCommand(encodeCommand(7, { cmd: "period", ms: 300 }), t);
    expect(parseReply(encodeReply(reply))).toEqual({ id: 7, ok: true, per: 300 });
    expect(calls).toEqual(["period 300"]);
  });
});

describe("parseReply and replyProblem", () => {
  it.each([
    ['{"id":99,"ok":true}', { id: 99, ok: true }],
    ['{"id":null,"ok":false,"err":"bad json"}', { id: null, ok: false, err: "bad json" }],
    ['{"id":3,"ok":false}', { id: 3, ok: false, err: "no reason given" }],
  ])("reads %s", (text, reply) => {
    expect(parseReply(enc(text))).toEqual(reply);
  });

  it.each([['{"id":1}'], ["}{"], ["[1]"], [""], ['{"id":"1","ok":true}']])("does not take %j for a reply", (text) => {
    expect(parseReply(enc(text))).toBeUndefined();
  });

  it("says when an ok reply lacks the field its command promises", () => {
    expect(replyProblem("period", { id: 1, ok: true, per: 500 })).toBeUndefined();
    expect(replyProblem("period", { id: 1, ok: true } as never)).toMatch(/per/);
    expect(replyProblem("ping", { id: 1, ok: false, err: "x" })).toBeUndefined();
  });
});
