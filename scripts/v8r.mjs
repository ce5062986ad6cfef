#!/usr/bin/env node
// Entry point behind `npm test` and `npm run demo`. Needs only Node 20 and
// npm: it installs the workspace from the frozen lockfile with the pinned
// pnpm (fetched through npm) unless node_modules already matches the
// lockfile, then runs the task.
// - test: every check (scripts/test-all.mjs).
// - demo: the built `v8r-demo`, what `npx v8r-demo` runs; when a package's
//   sources are newer than its dist/, it first builds what running needs
//   (JavaScript only: no declarations, no source maps). The demo runs as
//   this process's child in the same process group: Ctrl-C reaches it from
//   the terminal, so this process ignores SIGINT (npm passes its own on to
//   us too; a second SIGINT would make the demo force its exit) and exits
//   with the demo's code. package.json runs us with `exec`, so no shell sits
//   between npm and us: a shell interrupted while it waits exits 130 after
//   its child, even when the child ended with 0.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPackages } from "./each-package.mjs";
import { staleDistReason } from "./dist-freshness.mjs";
import { onPath, pnpmSpec, runPnpm } from "./_tools.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [task = "test", ...rest] = process.argv.slice(2);
/** Written after an install: what node_modules was installed from. */
const STAMP = join(root, "node_modules", ".v8r-installed");

function log(msg) {
  process.stderr.write(`[v8r] ${msg}\n`);
}

/** The fields of a package.json that an install depends on. */
function installFields(file) {
  const { name, version, bin, dependencies, devDependencies, optionalDependencies, peerDependencies, dependenciesMeta, pnpm } = JSON.parse(readFileSync(file, "utf8"));
  return { name, version, bin, dependencies, devDependencies, optionalDependencies, peerDependencies, dependenciesMeta, pnpm };
}

/** A hash of everything `pnpm install` reads: the lockfile, the workspace settings and each package's dependencies. */
function installInputs() {
  const hash = createHash("sha256");
  for (const f of ["pnpm-lock.yaml", "pnpm-workspace.yaml"]) hash.update(`${f}\0${existsSync(join(root, f)) ? readFileSync(join(root, f)) : ""}\0`);
  const manifests = [join(root, "package.json")];
  for (const dir of readdirSync(join(root, "packages")).sort()) {
    if (existsSync(join(root, "packages", dir, "package.json"))) manifests.push(join(root, "packages", dir, "package.json"));
  }
  for (const m of manifests) hash.update(`${m.slice(root.length)}\0${JSON.stringify(installFields(m))}\0`);
  return `${pnpmSpec(root)} ${hash.digest("hex")}\n`;
}

/** Put the pinned pnpm on PATH for this process and its children (through `npm exec` when it is not there yet). */
async function ensurePnpm() {
  if (onPath("pnpm") !== undefined) return;
  const found = await output("npm", ["exec", "--yes", `--package=${pnpmSpec(root)}`, "--", "node", "-e", "process.stdout.write(process.env.PATH)"]);
  const dir = found.split(delimiter).find((d) => d !== "" && existsSync(join(d, "pnpm")));
  if (dir === undefined) throw new Error(`npm exec did not provide ${pnpmSpec(root)}`);
  process.env.PATH = `${dir}${delimiter}${process.env.PATH ?? ""}`;
}

/** Install the workspace unless node_modules was installed from exactly the current inputs. */
async function install() {
  const inputs = installInputs();
  if (existsSync(join(root, "node_modules", ".modules.yaml")) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === inputs) {
    log("node_modules matches the lockfile: skipping the install");
    return;
  }
  await ensurePnpm();
  log(`installing the workspace with ${pnpmSpec(root)} (frozen lockfile)`);
  const res = runPnpm(root, ["install", "--frozen-lockfile"], { stdio: "inherit" });
  if (res.status !== 0) fail(`pnpm install --frozen-lockfile failed (${res.error?.message ?? `exit ${res.status ?? res.signal}`})`);
  writeFileSync(STAMP, inputs);
}

/** Build for running, output in a log file; on failure, the end of the log and exit. */
async function buildForRunning(reason) {
  const logFile = join(root, ".v8r-tmp", "build.log");
  log(`building the packages for running (${reason}); output in ${logFile}`);
  const fd = openSync(logFile, "w");
  const started = Date.now();
  const failed = await buildPackages(root, { runOnly: true, log: (t) => writeSync(fd, t) });
  closeSync(fd);
  if (failed.length > 0) {
    process.stderr.write(readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n"));
    fail(`the build failed for ${failed.join(", ")}; full output in ${logFile}`);
  }
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Run a child with inherited stdio and resolve with its exit code; SIGINT is left to the child (same process group), SIGTERM is passed on. */
function runChild(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit" });
    const onInt = () => {};
    const onTerm = () => child.kill("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    child.on("error", (e) => fail(`could not start ${cmd}: ${e.message}`));
    child.on("exit", (code, signal) => {
      process.removeListener("SIGINT", onInt);
      process.removeListener("SIGTERM", onTerm);
      resolve(code ?? (signal === "SIGINT" ? 130 : 1));
    });
  });
}

/** The whole stdout of a command; exits on failure. */
function output(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", (e) => fail(`could not start ${cmd}: ${e.message}`));
    child.on("close", (code) => (code === 0 ? resolve(out) : fail(`${cmd} ${args.join(" ")} failed with exit code ${code}`)));
  });
}

function fail(msg) {
  log(msg);
  process.exit(1);
}

mkdirSync(join(root, ".v8r-tmp"), { recursive: true });
switch (task) {
  case "test":
    await install();
    await ensurePnpm(); // the release checks pack with pnpm
    process.exitCode = await runChild(process.execPath, [join(root, "scripts", "test-all.mjs"), ...rest]);
    break;
  case "demo": {
    await install();
    const stale = staleDistReason(root);
    if (stale !== undefined) await buildForRunning(stale);
    process.exitCode = await runChild(process.execPath, [join(root, "packages", "demo-cli", "dist", "cli.js"), ...rest]);
    break;
  }
  default:
    log(`unknown task "${task}"; use test or demo`);
    process.exitCode = 2;
}
