// The C codec of the rpmsg-demo protocol answers exactly as the TypeScript
// one: the same accepted samples (byte for byte as JSON), the same rejects
// with the same codes and words, the same encoded samples, the same command
// replies; and the number formatting under the status page gives
// JavaScript's text. Every input goes through both, hand-picked edge cases
// and a few thousand random ones.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeReply, encodeStatusSample, parseReply, parseStatusSample, serveCommand, type CtrlHandlers, type ZephyrFacts } from "../protocol/mod.ts";
import { buildCProgram, runCProgram } from "./test/_c-programs.ts";

const enc = new TextEncoder();
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const text = (s: string): Uint8Array => enc.encode(s);

let program: Uint8Array;

/** Run the C side on each `mode:hex` input; one output line each. */
async function c(mode: string, inputs: readonly Uint8Array[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < inputs.length; i += 400) {
    const args = inputs.slice(i, i + 400).map((b) => `${mode}:${hex(b)}`);
    const r = await runCProgram(program, ["codec-check", ...args]);
    expect(r.code, r.stderr).toBe(0);
    out.push(...r.stdout.split("\n").slice(0, -1));
  }
  return out;
}

beforeAll(() => {
  program = buildCProgram(["c/test/codec-check.c", "c/rd_buf.c", "c/rd_js.c", "c/rd_json.c", "c/rd_json_stringify.c", "c/rd_status.c", "c/rd_status_parse.c", "c/rd_ctrl.c"], ["-DRD_JSON_MAX_TEXT=16384", "-DRD_JSON_MAX_NODES=4096"]);
}, 120_000);

const facts = (over: Partial<ZephyrFacts> = {}): ZephyrFacts => ({
  seq: 3, boot: "1a2b3c4d", uptimeMs: 4000, periodMs: 1000, loadPct: 12.34,
  threads: [{ name: "rpmsg_tx", state: "pending", cpu: 1.25 }, { name: "idle", state: "ready", cpu: 87.66 }],
  threadCount: 2, heapUsed: 1024, heapFree: 64512, heapMaxUsed: 2048, ipcTx: 3, ipcRt: 0, ipcRi: 0, ipcDr: 0, ipcQ: 1, ...over,
});

const SAMPLES: readonly (string | Uint8Array)[] = [
  new TextDecoder().decode(encodeStatusSample(facts()).bytes),
  '{"v":1,"seq":0,"boot":"1A2B3C4D","t":1000}',
  '\ufeff{"v":1,"seq":0,"boot":"1a2b3c4d","t":1e3,"per":1.0e3}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"seq":5,"extra":[1,{"2":3}]}',
  '{"__proto__":1,"v":1,"seq":0,"boot":"1a2b3c4d","t":1000}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"cpu":-0,"thr":[["a\\ud800b","\\ud83d\\ude00",0.25,"x"]]}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"thr":[["<b>&\'\\"","s\\u0001",100]]}',
  '{"v":2,"seq":0,"boot":"1a2b3c4d","t":1000}',
  '{"v":{"b":1,"10":2,"2":3,"b":4},"seq":0,"boot":"1a2b3c4d","t":1000}',
  '{"v":"1","seq":0,"boot":"1a2b3c4d","t":1000}',
  '{"v":1,"boot":"1a2b3c4d","t":1000}',
  '{"v":1,"seq":-1,"boot":"1a2b3c4d","t":1000}',
  '{"v":1,"seq":1.5,"boot":"1a2b3c4d","t":1000}',
  '{"v":1,"seq":9007199254740992,"boot":"1a2b3c4d","t":1000}',
  '{"v":1,"seq":0,"boot":"1a2b3c4","t":1000}',
  '{"v":1,"seq":0,"boot":12345678,"t":1000}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"cpu":100.5}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"cpu":1e400}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"per":0}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"thr":{}}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"thr":[["a","b"]]}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"thr":[["a",1,2]]}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"thr":[["a","b",-1]]}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"heap":[1]}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"heap":[1,-2]}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"ipc":[]}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"ipc":{"tx":1,"tx":2.5}}',
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"ipc":{"q":7}}',
  "[1,2,3]",
  "null",
  "",
  " ",
  '{"v":1,} ',
  "{'v':1}",
  '{"v":01}',
  '{"v":1e}',
  '{"a":"\\x"}',
  '{"a":"tab\there"}',
  "this is not JSON, and it is longer than forty characters 😀 at the cut",
  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx😀yyyy",
  new Uint8Array([0x7b, 0xff, 0x7d]),
  new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22]),
  new Uint8Array([0xc0, 0x80]),
  new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
  `{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"pad":"${"x".repeat(460)}"}`,
  `{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"pad":"${"x".repeat(440)}"}`,
];

const asBytes = (s: string | Uint8Array): Uint8Array => (typeof s === "string" ? text(s) : s);

/** JSON values as a writer might put them in a sample: the real fields, mutated. */
const sampleArb = fc
  .record({
    facts: fc.record({
      seq: fc.oneof(fc.nat(), fc.double()),
      uptimeMs: fc.oneof(fc.nat({ max: 1e9 }), fc.constantFrom(-1, 0.5, 2 ** 53)),
      loadPct: fc.double({ min: -10, max: 110, noNaN: true }),
      per: fc.oneof(fc.nat(), fc.constant(0)),
      names: fc.array(fc.tuple(fc.string({ unit: "grapheme", maxLength: 12 }), fc.string({ maxLength: 8 }), fc.double({ min: -1, max: 101, noNaN: true })), { maxLength: 6 }),
    }),
    drop: fc.subarray(["v", "seq", "boot", "t", "cpu", "thr", "heap", "ipc", "per"]),
    extra: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
  })
  .map(({ facts: f, drop, extra }) => {
    const o: Record<string, unknown> = { v: 1, seq: f.seq, boot: "0f0e0d0c", t: f.uptimeMs, cpu: f.loadPct, thr: f.names, heap: [1, 2], ipc: { tx: 1, q: 2 }, per: f.per };
    for (const k of drop) delete o[k];
    if (extra !== undefined) o["x"] = extra;
    return text(JSON.stringify(o));
  });

describe("the C status validator", () => {
  it("answers every hand-picked sample as parseStatusSample does", async () => {
    const inputs = SAMPLES.map(asBytes);
    const got = await c("parse", inputs);
    inputs.forEach((b, i) => expect(got[i], JSON.stringify(SAMPLES[i])).toBe(JSON.stringify(parseStatusSample(b))));
  });

  it("answers 1,500 random samples and byte strings as parseStatusSample does", async () => {
    const inputs = [...fc.sample(sampleArb, { numRuns: 1000, seed: 7 }), ...fc.sample(fc.uint8Array({ maxLength: 64 }), { numRuns: 500, seed: 8 })];
    const got = await c("parse", inputs);
    inputs.forEach((b, i) => expect(got[i], Buffer.from(b).toString()).toBe(JSON.stringify(parseStatusSample(b))));
  });
});

describe("the C status encoder", () => {
  const many = Array.from({ length: 60 }, (_, i) => ({ name: `worker_${i}_"quoted"`, state: "pending", cpu: i / 7 }));
  const cases: readonly ZephyrFacts[] = [
    facts(),
    facts({ loadPct: -3, threads: [{ name: "héllo \u0001 \\ 😀", state: "ready", cpu: 0.05 }, { name: "idle", state: "ready", cpu: 250 }] }),
    facts({ threads: many, threadCount: many.length }),
    facts({ seq: 2 ** 40, uptimeMs: 86_400_000 * 40, heapUsed: 0, ipcTx: 123_456_789 }),
    facts({ seq: 1.5 }),
    facts({ boot: "1A2B3C4D" }),
    facts({ periodMs: 0 }),
    facts({ ipcQ: -1 }),
    facts({ threads: [] }),
  ];

  it("writes the bytes encodeStatusSample writes, drops as many threads, and refuses the same facts", async () => {
    const got = await c("encode", cases.map((f) => text(JSON.stringify(f))));
    cases.forEach((f, i) => {
      let want: string;
      try {
        const e = encodeStatusSample(f);
        want = JSON.stringify({ dropped: e.dropped, text: new TextDecoder().decode(e.bytes) });
      } catch (err) {
        want = JSON.stringify({ error: (err as Error).message });
      }
      expect(got[i], JSON.stringify(f)).toBe(want);
    });
  });
});

describe("the C rpmsg-ctrl codec", () => {
  const handlers: CtrlHandlers = { ping: () => ({ t: 1500 }), period: ({ ms }) => ({ per: ms }), sample: () => ({ seq: 42 }), ack: () => ({ t: 7 }) };
  const COMMANDS = [
    '{"id":1,"cmd":"ping"}',
    '{"id":2.5,"cmd":"period","ms":500}',
    '{"id":-0,"cmd":"period","ms":99}',
    '{"id":1e21,"cmd":"period","ms":60001}',
    '{"id":3,"cmd":"period","ms":"500"}',
    '{"id":9,"cmd":"ack","boot":4294967295,"next":12,"miss":0}',
    '{"id":9,"cmd":"ack","boot":4294967296,"next":12,"miss":0}',
    '{"id":9,"cmd":"ack","boot":1,"next":-1,"miss":0}',
    '{"id":3,"cmd":"period"}',
    '{"id":4,"cmd":"sample","cmd":"ping"}',
    '{"id":5,"cmd":"reboot"}',
    `{"id":5,"cmd":"${"😀".repeat(30)}"}`,
    '{"id":5,"cmd":"\\u0001\\"\\\\ quoted and long enough to be cut at forty"}',
    '{"id":6,"cmd":7}',
    '{"id":6}',
    '{"id":"6","cmd":"ping"}',
    '{"cmd":"ping"}',
    '{"id":1e400,"cmd":"ping"}',
    "[]",
    "nope",
    `{"id":1,"cmd":"ping","pad":"${"x".repeat(480)}"}`,
    "",
  ];
  const serveWant = (b: Uint8Array): string => new TextDecoder().decode(encodeReply(serveCommand(b, handlers)));

  it("serves every hand-picked and random command as serveCommand + encodeReply do", async () => {
    const random = fc.sample(
      fc.record({ id: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)), cmd: fc.oneof(fc.constantFrom("ping", "period", "sample", "ack"), fc.string()), ms: fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.double()) }, { requiredKeys: [] }),
      { numRuns: 500, seed: 3 },
    );
    const inputs = [...COMMANDS.map(text), ...random.map((r) => text(JSON.stringify(r)))];
    const got = await c("serve", inputs);
    inputs.forEach((b, i) => expect(got[i], Buffer.from(b).toString()).toBe(serveWant(b)));
  });

  it("reads replies as parseReply does", async () => {
    const REPLIES = ['{"id":1,"ok":true,"t":5}', '{"ok":false,"id":null,"err":"bad"}', '{"id":2,"ok":false}', '{"id":2,"ok":"yes"}', '{"id":"2","ok":true}', '{"ok":true}', "", "[]", '\ufeff{"id":3,"ok":true,"per":9,"b":1,"1":2}'];
    const got = await c("reply", REPLIES.map(text));
    REPLIES.forEach((r, i) => {
      const line = got[i] as string;
      expect(line === "null" ? undefined : JSON.parse(line), r).toEqual(parseReply(text(r)));
    });
  });
});

describe("the C number formatting", () => {
  it("gives String(x), x.toFixed(0), x.toFixed(1) and Math.round(x) as JavaScript does", async () => {
    const fixed = [0, -0, 0.25, 0.75, 1.25, 2.5, 0.5, 1.5, -1.25, 0.05, 0.15, 1e21, 1e-7, 123.456, 99.95, 100, 1 / 3, 2 ** 53, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, 49.99999999999999, 0.49999999999999994];
    const edges = [1e-6, 9.999999999999999e-7, 1.0000000000000002e-6, 3e-6, 2 ** 53 - 1, 2 ** 53 - 0.5, 2 ** 52 + 0.5, 4503599627370495.5, 0.1, 0.7, 1234567.891, 999999.9999995, 0.0000015, 12.345678];
    // few decimals (the printf-free path): n / 10^k
    const decimals = fc.sample(fc.tuple(fc.integer({ min: -2e9, max: 2e9 }), fc.integer({ min: 0, max: 8 })), { numRuns: 1500, seed: 13 }).map(([n, k]) => n / 10 ** k);
    const values = [...fixed, ...edges, ...decimals, ...fc.sample(fc.double({ noNaN: true }), { numRuns: 1500, seed: 11 }), ...fc.sample(fc.double({ min: 0, max: 200, noNaN: true }), { numRuns: 1500, seed: 12 })];
    const got = await c("num", values.map((x) => new Uint8Array(new Float64Array([x]).buffer)));
    values.forEach((x, i) => expect(got[i], String(x)).toBe(JSON.stringify([String(x), x.toFixed(0), x.toFixed(1), String(Math.round(x))])));
  });
});
