// The C rpmsg-remote's status page and JSON are the TypeScript renderer's,
// byte for byte: the same messages received at the same times, with the
// same link states, give the same zephyr-status.html and
// zephyr-status.json (the TypeScript renderer is the reference).
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeStatusSample, parseStatusSample, type ZephyrFacts } from "../protocol/mod.ts";
import { renderStatusJson, renderStatusPage, StatusHistory } from "../linux-rpmsg-remote/mod.ts";
import { buildCProgram, runCProgram } from "../c/test/_c-programs.ts";

type Op = { kind: "sample"; ms: number; bytes: Uint8Array } | { kind: "link"; state: string } | { kind: "render"; now: number };

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const enc = new TextEncoder();
let program: Uint8Array;

beforeAll(() => {
  program = buildCProgram([
    "linux-rpmsg-remote-c/test/page-check.c", "linux-rpmsg-remote-c/history.c", "linux-rpmsg-remote-c/status_page.c", "linux-rpmsg-remote-c/status_json.c", "linux-rpmsg-remote-c/cpu_chart.c",
    "linux-rpmsg-remote-c/format.c", "c/rd_buf.c", "c/rd_js.c", "c/rd_json.c", "c/rd_json_stringify.c", "c/rd_status.c", "c/rd_status_parse.c",
  ]);
}, 120_000);

/** The text as its file holds it (UTF-8: an unpaired surrogate becomes U+FFFD). */
const asFile = (text: string): string => new TextDecoder().decode(enc.encode(text));

/** What the TypeScript renderer writes after `ops`, one {html, json} per render. */
function reference(ops: readonly Op[]): string[] {
  const h = new StatusHistory();
  const out: string[] = [];
  for (const op of ops) {
    if (op.kind === "sample") {
      const r = parseStatusSample(op.bytes);
      if (r.ok) h.add(r.sample, op.ms);
      else h.recordMalformed(r.reason, op.ms);
    } else if (op.kind === "link") h.setLinkState(op.state);
    else out.push(JSON.stringify({ html: asFile(renderStatusPage(h, { now: op.now, refreshSeconds: 1 })), json: asFile(renderStatusJson(h, { now: op.now })) }));
  }
  return out;
}

async function cRender(ops: readonly Op[]): Promise<string[]> {
  const args = ops.map((op) => (op.kind === "sample" ? `s:${op.ms}:${hex(op.bytes)}` : op.kind === "link" ? `l:${hex(enc.encode(op.state))}` : `r:${op.now}`));
  const r = await runCProgram(program, ["page-check", ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split("\n").slice(0, -1);
}

function facts(seq: number, boot: string, t: number, over: Partial<ZephyrFacts> = {}): ZephyrFacts {
  return {
    seq, boot, uptimeMs: t, periodMs: 1000, loadPct: (seq * 7.3) % 100,
    threads: [{ name: "rpmsg_tx", state: "pending", cpu: 0.5 }, { name: "idle", state: "ready", cpu: 99.5 }],
    threadCount: 2, heapUsed: 1024 + seq, heapFree: 64512 - seq, heapMaxUsed: 2048, ipcTx: seq, ipcRt: seq % 3, ipcRi: 0, ipcDr: 0, ipcQ: 0, ...over,
  };
}

const sample = (ms: number, f: ZephyrFacts): Op => ({ kind: "sample", ms, bytes: encodeStatusSample(f).bytes });
const raw = (ms: number, text: string): Op => ({ kind: "sample", ms, bytes: enc.encode(text) });

describe("the C status page", () => {
  it("renders the empty page, then a first sample, as the TypeScript renderer does", async () => {
    const ops: Op[] = [
      { kind: "render", now: 0 },
      { kind: "link", state: "waiting for host" },
      { kind: "render", now: 5 },
      { kind: "link", state: "bound" },
      sample(1000, facts(0, "1a2b3c4d", 1000)),
      { kind: "render", now: 1400 },
    ];
    expect(await cRender(ops)).toEqual(reference(ops));
  });

  it("renders gaps, restarts, stale samples, odd periods, missing fields and hostile text as the TypeScript renderer does", async () => {
    const ops: Op[] = [
      { kind: "link", state: "<b>down</b> & 'out'" },
      sample(1000, facts(0, "aaaaaaaa", 1000)),
      sample(2000, facts(1, "aaaaaaaa", 2000, { periodMs: 250 })),
      sample(5000, facts(4, "aaaaaaaa", 5000, { periodMs: 1250 })),
      sample(5100, facts(2, "aaaaaaaa", 3000)),
      raw(5200, "not json"),
      raw(5300, '{"v":1,"seq":5,"boot":"AAAAAAAA","t":6000}'),
      raw(5400, '{"v":1,"seq":6,"boot":"aaaaaaaa","t":7000,"cpu":0.05,"thr":[["<script>\\ud800","x\\"y",100]],"heap":[0,0]}'),
      { kind: "render", now: 5400 },
      sample(9000, facts(0, "bbbbbbbb", 500, { loadPct: 100 })),
      sample(9100, facts(1, "bbbbbbbb", 86_400_000 * 3 + 3_723_000, { heapUsed: 5 * 1024 * 1024, heapFree: 3 })),
      { kind: "link", state: "Connected" },
      { kind: "render", now: 9100 + 25_000 },
      { kind: "render", now: 9100 + 400_000 },
      { kind: "render", now: 9100 + 9_000_000 },
    ];
    expect(await cRender(ops)).toEqual(reference(ops));
  });

  it("renders a full history after a long run with restarts (300 samples kept, 16 boots remembered)", async () => {
    const ops: Op[] = [{ kind: "link", state: "bound" }];
    let ms = 0;
    for (let b = 0; b < 20; b++) {
      const boot = (0x10000000 + b * 0x01010101).toString(16);
      for (let s = 0; s < 25; s++) {
        ms += 1000;
        if ((s * 13 + b) % 17 === 0) continue; // a lost sample
        ops.push(sample(ms, facts(s, boot, (s + 1) * 1000, s % 9 === 4 ? { periodMs: 3000 } : {})));
      }
    }
    ops.push({ kind: "render", now: ms + 1 });
    expect(await cRender(ops)).toEqual(reference(ops));
  });

  it("renders the history as it moves on, page after page, past the 300 samples it keeps (each entry's JSON is kept between pages)", async () => {
    const ops: Op[] = [{ kind: "link", state: "bound" }];
    for (let s = 0; s < 340; s++) {
      // a restart at 310 puts a new boot (seq from 0 again) into the places of the ring the first samples had,
      // received at the times those were (a clock set back) with the same load: only the boot, seq and t differ
      const seq = s < 310 ? s : s - 310;
      const slot = s % 300;
      ops.push(sample(1000 * (slot + 1), facts(seq, s < 310 ? "0000000a" : "0000000b", (seq + 1) * 1000, { loadPct: (slot * 3.7) % 100 })));
      if (s % 37 === 0 || s > 295) ops.push({ kind: "render", now: 1000 * (s + 1) + 5 });
    }
    expect(await cRender(ops)).toEqual(reference(ops));
  });

  it("renders random histories as the TypeScript renderer does", async () => {
    const opArb = fc.oneof(
      { weight: 8, arbitrary: fc.record({ seq: fc.nat(40), boot: fc.constantFrom("0000000a", "0000000b"), t: fc.nat(10_000_000), cpu: fc.double({ min: -5, max: 105, noNaN: true }), per: fc.integer({ min: 1, max: 70_000 }), ms: fc.nat(20_000_000), heap: fc.nat(3_000_000) }).map((r) => sample(r.ms, facts(r.seq, r.boot, r.t, { loadPct: r.cpu, periodMs: r.per, heapUsed: r.heap }))) },
      { weight: 1, arbitrary: fc.record({ ms: fc.nat(1e6), text: fc.string({ unit: "binary", maxLength: 40 }) }).map((r) => raw(r.ms, `{"v":1,"seq":${r.ms % 50},"boot":"0000000a","t":${r.ms},"thr":[[${JSON.stringify(r.text)},"s",${r.ms % 101}]]}`)) },
      { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }).map((state): Op => ({ kind: "link", state })) },
    );
    const runs = fc.sample(fc.tuple(fc.array(opArb, { maxLength: 60 }), fc.nat(30_000_000)), { numRuns: 40, seed: 5 });
    for (const [ops, now] of runs) {
      const all: Op[] = [...ops, { kind: "render", now }];
      expect(await cRender(all)).toEqual(reference(all));
    }
  });
});
