#!/usr/bin/env node
// `node scripts/each-package.mjs SCRIPT` (`pnpm run build`, `pnpm run
// test:c`): runs the package.json script SCRIPT of every package that has
// one, as many at once as the machine has cores, with node_modules/.bin on
// PATH; needs no pnpm. `build --run` builds only what running needs
// (V8R_BUILD=run: no declaration files, no source maps), which is what `npm
// run demo` builds. Packages build in any order: tsup keeps the other @v8r
// packages external.
import { availableParallelism } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { collect } from "./_tools.mjs";
import { workspacePackages } from "./_workspace.mjs";

/**
 * Build every package; `runOnly` skips declarations and maps. Output of each
 * package goes to `log(text)` in one piece when it finished. Resolves with
 * the names of the packages whose build failed.
 */
export function buildPackages(root, { runOnly = false, log } = {}) {
  return runPackageScripts(root, "build", { env: runOnly ? { V8R_BUILD: "run" } : {}, log });
}

/**
 * Run the package.json script `script` of every package that has one, as
 * many at once as there are cores, with node_modules/.bin on PATH (no
 * pnpm needed); each one's output goes to `log` when it ends. Resolves with
 * the names of the packages whose script failed.
 */
export async function runPackageScripts(root, script, { env: extraEnv = {}, log = (t) => process.stdout.write(t) } = {}) {
  const jobs = workspacePackages(root)
    .filter(({ pkg }) => typeof pkg.scripts?.[script] === "string")
    .map(({ dir, pkg }) => ({ dir, name: pkg.name, script: pkg.scripts[script] }));
  const env = { ...process.env, PATH: [join(root, "node_modules", ".bin"), process.env.PATH ?? ""].join(delimiter), ...extraEnv };
  const failed = [];
  const runOne = async (job) => {
    const { code, out } = await collect(job.script, [], { cwd: job.dir, env: { ...env, PATH: [join(job.dir, "node_modules", ".bin"), env.PATH].join(delimiter) }, shell: true });
    if (code !== 0) failed.push(job.name);
    log(`--- ${job.name}: ${job.script} (${code === 0 ? "ok" : `failed: ${code}`})\n${out}`);
  };
  const queue = [...jobs];
  const workers = Array.from({ length: Math.min(availableParallelism(), queue.length) }, async () => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) await runOne(job);
  });
  await Promise.all(workers);
  return failed;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const script = process.argv[2];
  const runOnly = process.argv.includes("--run");
  if (script === undefined || script.startsWith("-")) {
    console.error("usage: node scripts/each-package.mjs SCRIPT [--run]   (SCRIPT: build, test:c, ...; --run: build for running only)");
    process.exit(2);
  }
  const started = Date.now();
  const failed = script === "build" ? await buildPackages(root, { runOnly }) : await runPackageScripts(root, script);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (failed.length > 0) {
    console.error(`[${script}] failed: ${failed.join(", ")} (${secs} s)`);
    process.exit(1);
  }
  console.error(`[${script}] ${script === "build" ? `built every package${runOnly ? " for running (no declarations, no maps)" : ""}` : "passed in every package that has it"} in ${secs} s`);
}
