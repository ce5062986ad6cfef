// The first `npm run demo` of a new user, measured (figures only, no
// pass/fail): `git clone` of this repository's HEAD into a temporary folder,
// then `npm run demo -- --port 0` there, timed from the command's start to
// the first status page served (HTTP 200 on /zephyr-status.html), with the
// install and build phases it went through; then a second `npm run demo`
// in the same clone (installed and built: nothing to do first). The package
// store and npm's cache are the machine's own, so they are warm when this
// machine installed v8r before (as a developer's is).
// Run: node scripts/fresh-clone.bench.mjs   (`pnpm bench fresh-clone`)
// The last stdout line is `BENCH_JSON {...}` for scripts/bench.mjs.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const FIRST_PAGE_TIMEOUT_MS = 600_000;

/** Resolve with the first HTTP status of GET url, or undefined when nothing answers. */
async function status(url) {
  try {
    const res = await fetch(url);
    await res.arrayBuffer();
    return res.status;
  } catch {
    return undefined;
  }
}

/**
 * Run `npm run demo -- --port 0` in `dir` until the status page answers 200;
 * returns the milliseconds to that and to each phase line of scripts/v8r.mjs.
 */
async function firstPage(dir) {
  const started = performance.now();
  const child = spawn("npm", ["run", "demo", "--", "--port", "0"], { cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  const marks = {};
  let out = "";
  let port;
  const seen = (d) => {
    out += d;
    const at = performance.now() - started;
    if (marks.installStart === undefined && /\[v8r\] installing the workspace/.test(out)) marks.installStart = at;
    if (marks.installSkipped === undefined && /\[v8r\] node_modules matches the lockfile/.test(out)) marks.installSkipped = at;
    if (marks.buildStart === undefined && /\[v8r\] building the packages/.test(out)) marks.buildStart = at;
    if (marks.buildEnd === undefined && /\[v8r\] built in/.test(out)) marks.buildEnd = at;
    const m = /status page +http:\/\/127\.0\.0\.1:(\d+)\/zephyr-status\.html/.exec(out);
    if (port === undefined && m) {
      port = Number(m[1]);
      marks.banner = at;
    }
  };
  child.stdout.on("data", seen);
  child.stderr.on("data", seen);
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  try {
    for (;;) {
      if (performance.now() - started > FIRST_PAGE_TIMEOUT_MS) throw new Error(`no page within ${FIRST_PAGE_TIMEOUT_MS / 1000} s; output:\n${out}`);
      if (port !== undefined && (await status(`http://127.0.0.1:${port}/zephyr-status.html`)) === 200) break;
      if (child.exitCode !== null) throw new Error(`npm run demo exited (${child.exitCode}) before serving a page; output:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    marks.firstPage = performance.now() - started;
  } finally {
    process.kill(-child.pid, "SIGINT");
    const exit = await exited;
    marks.exit = exit;
    marks.elifecycle = /ELIFECYCLE|Command failed/.test(out);
  }
  return marks;
}

const work = mkdtempSync(join(tmpdir(), "v8r-fresh-clone-"));
const results = [];
try {
  const clone = join(work, "v8r");
  const cloneStarted = performance.now();
  const git = spawnSync("git", ["clone", "--quiet", "--no-hardlinks", root, clone], { encoding: "utf8" });
  if (git.status !== 0) throw new Error(`git clone failed: ${git.stderr}`);
  const cloneMs = performance.now() - cloneStarted;
  const first = await firstPage(clone);
  const second = await firstPage(clone);
  const s = (ms) => Number((ms / 1000).toFixed(2));
  results.push({ name: "fresh clone: npm run demo to the first page", value: s(first.firstPage), unit: "s", note: "target under 30 s on 2 cores; includes install and build" });
  if (first.installStart !== undefined) results.push({ name: "fresh clone: npm run demo to the install", value: s(first.installStart), unit: "s", note: "npm, and the pinned pnpm found through npm exec" });
  if (first.installStart !== undefined && first.buildStart !== undefined) results.push({ name: "fresh clone: pnpm install --frozen-lockfile", value: s(first.buildStart - first.installStart), unit: "s", note: "the machine's package store (warm when it installed v8r before)" });
  if (first.buildStart !== undefined && first.buildEnd !== undefined) results.push({ name: "fresh clone: build for running", value: s(first.buildEnd - first.buildStart), unit: "s", note: "JavaScript only" });
  if (first.buildEnd !== undefined) results.push({ name: "fresh clone: built to the first page", value: s(first.firstPage - first.buildEnd), unit: "s" });
  results.push({ name: "second npm run demo to the first page", value: s(second.firstPage), unit: "s", note: second.installSkipped !== undefined && second.buildStart === undefined ? "install skipped, nothing built" : "installed or built again" });
  results.push({ name: "git clone", value: s(cloneMs), unit: "s" });
  for (const [label, m] of [["first", first], ["second", second]]) {
    console.log(`${label} run: ${JSON.stringify(m)}`);
    if (m.exit.code !== 0 || m.elifecycle) console.log(`${label} run: Ctrl-C ended it with ${JSON.stringify(m.exit)}${m.elifecycle ? " and an ELIFECYCLE line" : ""}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
for (const r of results) console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ""}`);
console.log(`BENCH_JSON ${JSON.stringify({ package: "workspace", results })}`);
