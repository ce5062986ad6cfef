#!/usr/bin/env node
// Every check `npm test` runs. Steps that do not depend on each other run
// at the same time (each one's output is printed in one piece when it
// ends); a step starts once the steps it needs have passed. Ends with the
// time of each step and one line of the test counts; exits 1 when any step
// failed (the steps that needed it do not run).
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { collect, denoBinary } from "./_tools.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vitestJson = join(root, ".v8r-tmp", "vitest.json");
const bin = (name) => join(root, "node_modules", ".bin", name);
const node = (script, ...args) => [process.execPath, [join(root, "scripts", script), ...args]];

/** id, title, command, the ids it needs, and whether its output is shown as it comes (else in one piece at its end). */
const steps = [
  ["build", "build every package (tsup: JavaScript, source maps)", node("each-package.mjs", "build"), []],
  ["tsc", "type-check the workspace (tsc, which also writes the declarations)", node("declarations.mjs", "--emit"), []],
  ["types", "place each package's declarations in its dist/", node("declarations.mjs", "--place"), ["build", "tsc"]],
  ["c", "C tests (native build with sanitizers)", node("each-package.mjs", "test:c"), []],
  ["deno", "Deno check (sources, Workers)", [denoBinary(root), ["run", "--conditions=source", "--allow-read", "--allow-env", "--allow-net=127.0.0.1", "--allow-sys", join(root, "scripts", "deno-check.ts")]], []],
  ["jsr", "JSR: deno publish --dry-run of every package (on a copy)", node("jsr-check.mjs"), []],
  ["vitest", "vitest suites", [bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]], ["build"], true],
  ["publint", "publint and release rules over the packed tarballs", node("publint-all.mjs"), ["types"]],
  ["consumer", "consumer check: the tarballs installed offline with npm, used from Node, Deno and TypeScript", node("consumer-check.mjs"), ["types"]],
];

/** Run one step; resolves with its exit code, output and time. */
function runStep([, , [cmd, args], , live = false]) {
  return collect(cmd, args, { cwd: root, live });
}

if (process.argv.length > 2) {
  console.error("usage: node scripts/test-all.mjs   (no arguments: it runs every check; run one with its own script, e.g. pnpm run test:jsr)");
  process.exit(2);
}

const total = Date.now();
rmSync(vitestJson, { force: true });
const results = new Map();
const running = new Map();
process.stderr.write(`[v8r] ${steps.length} steps; independent ones run at the same time\n`);
await new Promise((done) => {
  const schedule = () => {
    for (const step of steps) {
      const [id, title, , needs] = step;
      if (results.has(id) || running.has(id)) continue;
      if (needs.some((n) => results.has(n) && results.get(n).code !== 0)) {
        results.set(id, { code: "skipped", out: "", secs: 0 });
        process.stderr.write(`[v8r] SKIPPED: ${title} (needs ${needs.join(", ")})\n`);
        continue;
      }
      if (!needs.every((n) => results.has(n))) continue;
      process.stderr.write(`[v8r] start: ${title}\n`);
      running.set(
        id,
        runStep(step).then((r) => {
          running.delete(id);
          results.set(id, r);
          if (r.out !== "") process.stdout.write(`\n[v8r] ===== ${title} =====\n${r.out}`);
          process.stderr.write(`[v8r] ${r.code === 0 ? "ok" : `FAILED (exit ${r.code})`}: ${title} (${r.secs.toFixed(1)} s)\n`);
          schedule();
        }),
      );
    }
    if (running.size === 0) done();
  };
  schedule();
});

const failed = steps.filter(([id]) => results.get(id)?.code !== 0);
process.stderr.write(`\n[v8r] step times:\n`);
for (const [id, title] of steps) {
  const r = results.get(id);
  process.stderr.write(`  ${r.code === 0 ? "ok    " : r.code === "skipped" ? "skip  " : "FAILED"} ${r.secs.toFixed(1).padStart(6)} s  ${title}\n`);
}
const secs = ((Date.now() - total) / 1000).toFixed(1);
process.stderr.write(failed.length === 0 ? `[v8r] all checks passed in ${secs} s\n` : `[v8r] ${failed.length} step(s) failed or skipped (${secs} s)\n`);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, "utf8"));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
}
process.exit(failed.length === 0 ? 0 : 1);
