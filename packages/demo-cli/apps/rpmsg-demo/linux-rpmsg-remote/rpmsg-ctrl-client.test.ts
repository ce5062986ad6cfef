import { VirtualClock } from "@v8r/fvp-core";
import { describe, expect, it } from "vitest";
import { RpmsgCtrlClient } from "./rpmsg-ctrl-client.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function client(send: (d: Uint8Array) => unknown = () => undefined) {
  const clock = new VirtualClock();
  const sent: unknown[] = [];
  const c = new RpmsgCtrlClient({
    clock,
    timeoutMs: 1000,
    send: (d) => {
      sent.push(JSON.parse(dec.decode(d)));
      return send(d);
    },
  });
  return { c, clock, sent };
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => undefined, (e: unknown) => e);
}

describe("RpmsgCtrlClient", () => {
  it.each([
    ["ping", (c: RpmsgCtrlClient) => c.ping(), { id: 1, cmd: "ping" }],
    ["period", (c: RpmsgCtrlClient) => c.period(250), { id: 1, cmd: "period", ms: 250 }],
    ["sample", (c: RpmsgCtrlClient) => c.sample(), { id: 1, cmd: "sample" }],
  ])("%s sends the protocol's JSON with an id", (_name, call, expected) => {
    const { c, sent } = client();
    void call(c).catch(() => undefined);
    expect(sent).toEqual([expected]);
  });

  it("matches replies by id, whatever their order", async () => {
    const { c } = client();
    const a = c.ping();
    const b = c.sample();
    expect(c.handleMessage(enc.encode('{"id":2,"ok":true,"seq":9}'))).toBe(true);
    expect(c.handleMessage(enc.encode('{"id":1,"ok":true,"t":5}'))).toBe(true);
    expect(await a).toEqual({ id: 1, ok: true, t: 5 });
    expect(await b).toEqual({ id: 2, ok: true, seq: 9 });
    expect(c.pending).toBe(0);
  });

  it("resolves with an ok:false reply rather than rejecting", async () => {
    const { c } = client();
    const r = c.period(5);
    c.handleMessage(enc.encode('{"id":1,"ok":false,"err":"period out of range"}'));
    expect(await r).toMatchObject({ ok: false, err: "period out of range" });
  });

  it.each([
    ["an unknown id", '{"id":99,"ok":true}'],
    ["id null", '{"id":null,"ok":false,"err":"bad json"}'],
    ["no ok field", '{"id":1}'],
    ["not JSON", "}{"],
    ["an array", "[1]"],
    ["empty", ""],
  ])("counts %s as unmatched and keeps waiting", async (_what, text) => {
    const { c } = client();
    const r = c.ping();
    expect(c.handleMessage(enc.encode(text))).toBe(false);
    expect(c.unmatched).toBe(1);
    expect(c.pending).toBe(1);
    c.handleMessage(enc.encode('{"id":1,"ok":true,"t":1}'));
    expect(await r).toMatchObject({ ok: true });
  });

  it("times out on the clock with ETIMEDOUT", async () => {
    const { c, clock } = client();
    const r = errorOf(c.ping());
    clock.advanceTo(999);
    expect(c.pending).toBe(1);
    clock.advanceTo(1000);
    expect(await r).toMatchObject({ code: "ETIMEDOUT" });
    expect(c.handleMessage(enc.encode('{"id":1,"ok":true}'))).toBe(false);
  });

  it.each([
    ["throws", () => { throw new Error("no buffer"); }],
    ["rejects", () => Promise.reject(new Error("no buffer"))],
  ])("fails with EIO when send %s", async (_what, send) => {
    const { c } = client(send);
    expect(await errorOf(c.ping())).toMatchObject({ code: "EIO", message: expect.stringContaining("no buffer") });
    expect(c.pending).toBe(0);
  });

  it("cancelAll fails waiting requests with ECANCELED", async () => {
    const { c } = client();
    const r = errorOf(c.ping());
    c.cancelAll("link down");
    expect(await r).toMatchObject({ code: "ECANCELED", message: expect.stringContaining("link down") });
  });

  it.each([[{ cmd: "reboot" }], [{ cmd: "period", ms: 1.5 }]])("rejects a bad command %j with a TypeError", (cmd) => {
    const { c } = client();
    expect(() => c.request(cmd as never)).toThrow(TypeError);
  });
});
