#!/usr/bin/env node
// Entry point behind `npm test` and `npm run demo`.
// Needs only Node 20 and npm: it fetches the pinned pnpm through npm,
// installs the workspace from the frozen lockfile, then runs the task.
import { spawnSync } from "node:child_process";
import { readFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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

function pnpm(args, opts) {
  return run("npm", ["exec", "--yes", `--package=${pnpmSpec}`, "--", "pnpm", ...args], opts);
}

mkdirSync(join(root, ".v8r-tmp"), { recursive: true });
log(`installing the workspace with ${pnpmSpec} (frozen lockfile)`);
pnpm(["install", "--frozen-lockfile"]);

switch (task) {
  case "test":
    pnpm(["run", "test:all", ...rest]);
    break;
  case "demo":
    pnpm(["run", "--silent", "demo:run", ...rest]);
    break;
  default:
    log(`unknown task "${task}"; use test or demo`);
    process.exit(2);
}
