#!/usr/bin/env node
// Every check `npm test` runs, in order, with timing. Stops at the first
// failing step and ends with one summary line of the test counts.
import { spawnSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vitestJson = join(root, ".v8r-tmp", "vitest.json");

const steps = [
  ["build every package (tsup)", "pnpm", ["run", "build"]],
  ["type-check the workspace (tsc)", "pnpm", ["run", "typecheck"]],
  ["publint every package", "pnpm", ["run", "publint"]],
  ["C tests (native build with sanitizers)", "pnpm", ["run", "test:c"]],
  ["vitest suites", "pnpm", ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]],
  ["Deno check", "pnpm", ["run", "test:deno"]],
];

const total = Date.now();
for (const [i, [title, cmd, args]] of steps.entries()) {
  process.stderr.write(`\n[v8r] step ${i + 1}/${steps.length}: ${title}\n`);
  const started = Date.now();
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (res.status !== 0) {
    process.stderr.write(`[v8r] FAILED: ${title} (exit ${res.status ?? res.signal}, ${secs} s)\n`);
    summary();
    process.exit(res.status || 1);
  }
  process.stderr.write(`[v8r] ok: ${title} (${secs} s)\n`);
}
process.stderr.write(`\n[v8r] all checks passed in ${((Date.now() - total) / 1000).toFixed(1)} s\n`);
summary();

function summary() {
  if (!existsSync(vitestJson)) return;
  const r = JSON.parse(readFileSync(vitestJson, "utf8"));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
}
