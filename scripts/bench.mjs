#!/usr/bin/env node
// `pnpm bench [NAME...] [--FLAG...]`: runs every packages/*/bench/*.bench.ts
// and scripts/*.bench.mjs (the fresh-clone first run) whose package or file
// name contains one of the NAMEs (every one without a NAME) with tsx, giving
// each the flags (`pnpm bench web --quick`), shows each one's own output, then
// prints one table of all figures and writes them to
// bench-results/<date>.json. Figures only: nothing here passes or fails on
// time. The demo benchmark runs the built CLI, so dist/ is rebuilt first
// when stale (for running: JavaScript only).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { staleDistReason } from "./dist-freshness.mjs";
import { buildPackages } from "./each-package.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith("-"));
const flags = args.filter((a) => a.startsWith("-"));
const wanted = (...names) => only.length === 0 || only.some((o) => names.some((n) => n.includes(o)));
const files = [];
for (const pkg of readdirSync(join(root, "packages")).sort()) {
  const dir = join(root, "packages", pkg, "bench");
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith(".bench.ts") && wanted(pkg, f)) files.push(join(dir, f));
  }
}
for (const f of readdirSync(join(root, "scripts")).sort()) {
  if (f.endsWith(".bench.mjs") && wanted("workspace", f)) files.push(join(root, "scripts", f));
}
if (files.length === 0) {
  console.error("[bench] no benchmark files found");
  process.exit(1);
}

// Only the demo benchmark runs the built packages.
const stale = files.some((f) => f.includes(join("packages", "demo-cli"))) ? staleDistReason(root) : undefined;
if (stale !== undefined) {
  console.error(`[bench] building the packages for running first (${stale})`);
  const failed = await buildPackages(root, { runOnly: true, log: () => {} });
  if (failed.length > 0) {
    console.error(`[bench] the build failed for ${failed.join(", ")}; run \`pnpm run build\` to see why`);
    process.exit(1);
  }
}

const tsx = join(root, "node_modules", ".bin", "tsx");
const all = [];
let failed = 0;
for (const file of files) {
  const rel = relative(root, file);
  console.log(`\n=== ${rel} ===`);
  const res = spawnSync(tsx, ["--conditions=source", file, ...flags], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20 });
  const lines = (res.stdout ?? "").split("\n");
  for (const line of lines) if (!line.startsWith("BENCH_JSON ")) process.stdout.write(line + "\n");
  const jsonLine = lines.findLast((l) => l.startsWith("BENCH_JSON "));
  if (res.status !== 0 || !jsonLine) {
    console.error(`[bench] ${rel} failed (exit ${res.status ?? res.signal}${jsonLine ? "" : ", no BENCH_JSON line"})`);
    failed++;
    continue;
  }
  const parsed = JSON.parse(jsonLine.slice("BENCH_JSON ".length));
  for (const r of parsed.results) all.push({ package: parsed.package, file: rel, ...r });
}

const fmt = (v) => (typeof v === "number" ? (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString("en-US") : v.toPrecision(4)) : String(v ?? ""));
const rows = all.map((r) => [r.package, r.name, fmt(r.value), r.unit ?? "", r.note ?? ""]);
const head = ["package", "benchmark", "value", "unit", "note"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells) => cells.map((c, i) => (i === 2 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join("  ");
console.log(`\n${line(head)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
for (const r of rows) console.log(line(r));

mkdirSync(join(root, "bench-results"), { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const out = join(root, "bench-results", `bench-${stamp}.json`);
const machine = { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, platform: `${os.platform()} ${os.arch()}` };
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine, results: all }, null, 2));
console.log(`\n[bench] ${all.length} figures written to ${relative(root, out)}`);
process.exit(failed ? 1 : 0);
