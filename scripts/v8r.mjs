#!/usr/bin/env node
// Entry point behind `npm test` and `npm run demo`.
// Needs only Node 20 and npm: it fetches the pinned pnpm through npm,
// installs the workspace from the frozen lockfile, then runs the task.
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { staleDistReason } from "./dist-freshness.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pnpmSpec = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager;
const [task = "test", ...rest] = process.argv.slice(2);

function log(msg) {
  process.stderr.write(`[v8r] ${msg}\n`);
}

function run(cmd, args, { allowFail = false, env = {} } = {}) {
  const started = Date.now();
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (res.error) {
    log(`could not start ${cmd}: ${res.error.message}`);
    process.exit(1);
  }
  if (res.status !== 0 && !allowFail) {
    log(`${cmd} ${args.join(" ")} failed with exit code ${res.status ?? res.signal} after ${secs} s`);
    process.exit(res.status ?? 1);
  }
  return res.status ?? 1;
}

/** npm's arguments to run the pinned pnpm with `args`. */
function pnpmArgv(args) {
  return ["exec", "--yes", `--package=${pnpmSpec}`, "--", "pnpm", ...args];
}

function pnpm(args, opts) {
  return run("npm", pnpmArgv(args), opts);
}

/** `pnpm run build` with its output in a log file; on failure, the end of the log and exit. */
function buildQuietly(reason) {
  const logFile = join(root, ".v8r-tmp", "build.log");
  log(`building the packages first (${reason}); about 20 s, output in ${logFile}`);
  const fd = openSync(logFile, "w");
  const started = Date.now();
  const res = spawnSync("npm", pnpmArgv(["run", "build"]), { cwd: root, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  if (res.status !== 0) {
    process.stderr.write(readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n"));
    log(`pnpm run build failed with exit code ${res.status ?? res.signal}; full output in ${logFile}`);
    process.exit(res.status ?? 1);
  }
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

mkdirSync(join(root, ".v8r-tmp"), { recursive: true });
log(`installing the workspace with ${pnpmSpec} (frozen lockfile)`);
pnpm(["install", "--frozen-lockfile"]);

switch (task) {
  case "test":
    pnpm(["run", "test:all", ...rest]);
    break;
  case "demo": {
    // The demo runs built, exactly what `npx v8r-demo` runs; dist/ is rebuilt when the sources are newer.
    const stale = staleDistReason(root);
    if (stale !== undefined) buildQuietly(stale);
    pnpm(["run", "--silent", "demo:run", ...rest]);
    break;
  }
  default:
    log(`unknown task "${task}"; use test or demo`);
    process.exit(2);
}
