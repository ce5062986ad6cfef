#!/usr/bin/env node
// `node scripts/each-package.mjs SCRIPT` (`pnpm run build`, `pnpm run
// test:c`): runs the package.json script SCRIPT of every package that has
// one, as many at once as the machine has cores, with node_modules/.bin on
// PATH; needs no pnpm. `build` runs tsup for all packages in this one
// process (see buildPackages); `build --run` builds only what running needs
// (V8R_BUILD=run: no source maps), which is what `npm run demo` builds.
// Packages build in any order: tsup keeps the other @v8r packages external.
import { availableParallelism } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { collect } from "./_tools.mjs";
import { workspacePackages } from "./_workspace.mjs";

/**
 * Build every package; `runOnly` skips source maps. A package whose build
 * script is only tsup runs (`tsup`, `tsup --config FILE`, joined by `&&`)
 * is built in this process, one package after the other (esbuild uses every
 * core by itself): one tsup and one esbuild service for all, instead of a
 * shell, Node and esbuild per run. Any other build script is run as it is.
 * Output of each package goes to `log(text)` when it is done. Resolves with
 * the names of the packages whose build failed.
 */
export async function buildPackages(root, { runOnly = false, log = (t) => process.stdout.write(t) } = {}) {
  const env = runOnly ? { V8R_BUILD: "run" } : {};
  const failed = [];
  const other = [];
  for (const { dir, pkg } of workspacePackages(root)) {
    const configs = tsupConfigs(pkg.scripts?.build);
    if (configs === undefined) {
      if (typeof pkg.scripts?.build === "string") other.push(pkg.name);
      continue;
    }
    try {
      for (const config of configs) await tsupInProcess(dir, config, env);
      log(`--- ${pkg.name}: built (${configs.join(", ")})\n`);
    } catch (e) {
      failed.push(pkg.name);
      log(`--- ${pkg.name}: the build failed: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  if (other.length > 0) failed.push(...(await runPackageScripts(root, "build", { env, log, only: new Set(other) })));
  return failed;
}

/** The tsup config files a build script runs, or undefined when it runs anything else. */
function tsupConfigs(script) {
  if (typeof script !== "string") return undefined;
  const configs = [];
  for (const part of script.split("&&").map((p) => p.trim())) {
    const m = /^tsup(?:\s+--config\s+(\S+))?$/.exec(part);
    if (m === null) return undefined;
    configs.push(m[1] ?? "tsup.config.ts");
  }
  return configs;
}

/**
 * Run tsup with the config `file` of the package in `dir`, in this process,
 * from the package's folder as its own tsup would (it reads the package's
 * dependencies there to leave them external; onSuccess hooks use relative
 * paths); entries and outDir are made absolute for esbuild.
 */
async function tsupInProcess(dir, file, env) {
  const [{ build }, { tsImport }] = await Promise.all([import("tsup"), import("tsx/esm/api")]);
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const cwd = process.cwd();
  Object.assign(process.env, env);
  process.chdir(dir);
  try {
    const config = (await tsImport(pathToFileURL(join(dir, file)).href, import.meta.url)).default;
    const outDir = join(dir, config.outDir ?? "dist");
    const entry = Array.isArray(config.entry) ? config.entry.map((path) => join(dir, path)) : Object.fromEntries(Object.entries(config.entry).map(([name, path]) => [name, join(dir, path)]));
    if (config.clean === true) rmSync(outDir, { recursive: true, force: true });
    await build({ ...config, entry, outDir, clean: false, config: false, silent: true });
  } finally {
    process.chdir(cwd);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * Run the package.json script `script` of every package that has one, as
 * many at once as there are cores, with node_modules/.bin on PATH (no
 * pnpm needed); each one's output goes to `log` when it ends (`only`: just
 * the packages so named). Resolves with the names of the packages whose
 * script failed.
 */
export async function runPackageScripts(root, script, { env: extraEnv = {}, log = (t) => process.stdout.write(t), only } = {}) {
  const jobs = workspacePackages(root)
    .filter(({ pkg }) => typeof pkg.scripts?.[script] === "string" && (only === undefined || only.has(pkg.name)))
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
