// Device-tree source parsing cost (figures only, no pass/fail):
//  - 20,000 labelled nodes, each referring to another by label, and twice as
//    many: ms each and their ratio (about 2 when lexing and parsing are linear);
//  - one 1 MB string literal and one 2 MB: ms each and their ratio;
//  - linting the demo configuration end to end (parse + rules).
// Before the lexer was made linear, 20,000 labelled nodes took 5.2 s and a 1 MB
// string 2.3 s (issue #16). Run: tsx packages/xen-dom0less/bench/parse.bench.ts
// The last stdout line is `BENCH_JSON {...}` for scripts/bench.mjs.
import { readFileSync } from "node:fs";
import { lint } from "../src/lint.ts";
import { parseDts } from "../src/dts-parser.ts";

interface Result {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

function labelledNodes(n: number): string {
  const lines = ["/dts-v1/;", "/ {"];
  for (let i = 0; i < n; i++) lines.push(`\tl${i}: node@${i.toString(16)} { reg = <${i}>; ref = <&l${(i * 7) % n}>; };`);
  lines.push("};", "");
  return lines.join("\n");
}

function bigString(bytes: number): string {
  return `/dts-v1/;\n/ { s = "${"x".repeat(bytes)}"; };\n`;
}

/** Median wall time of `runs` calls of `fn`, in ms (after one warm-up call). */
function medianMs(fn: () => unknown, runs: number): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

const results: Result[] = [];
const round = (v: number): number => Number(v.toPrecision(4));

const nodes20k = labelledNodes(20_000);
const nodes40k = labelledNodes(40_000);
const n20 = medianMs(() => parseDts(nodes20k), 5);
const n40 = medianMs(() => parseDts(nodes40k), 5);
results.push({ name: "parse 20,000 labelled nodes", value: round(n20), unit: "ms", note: `${(nodes20k.length / 1e6).toFixed(2)} MB of source` });
results.push({ name: "parse 40,000 labelled nodes / 20,000", value: round(n40 / n20), unit: "ratio", note: "about 2 when linear" });

const s1 = bigString(1_000_000);
const s2 = bigString(2_000_000);
const t1 = medianMs(() => parseDts(s1), 5);
const t2 = medianMs(() => parseDts(s2), 5);
results.push({ name: "parse a 1 MB string literal", value: round(t1), unit: "ms" });
results.push({ name: "parse a 2 MB string literal / 1 MB", value: round(t2 / t1), unit: "ratio", note: "about 2 when linear" });

const demoFile = new URL("../test/fixtures/valid/v8r-demo.dts", import.meta.url);
const demo = readFileSync(demoFile, "utf8");
const lintUs = medianMs(() => lint(demo, { file: "v8r-demo.dts" }), 200) * 1000;
results.push({ name: "lint the demo configuration", value: round(lintUs), unit: "µs" });

for (const r of results) console.log(`${r.name.padEnd(40)} ${String(r.value).padStart(10)} ${r.unit}${r.note ? `  (${r.note})` : ""}`);
console.log(`BENCH_JSON ${JSON.stringify({ package: "@v8r/xen-dom0less", results })}`);
