#!/usr/bin/env node
// `pnpm run test:consumer`: the packages as a user gets them. Packs the six
// packages as they would be published (after `pnpm run build`), installs
// them with plain npm, offline, into an empty project in a temporary folder
// outside the workspace (third-party dependencies are packed from the
// workspace's installed copies, so nothing is fetched), then checks:
//   (a) `npx v8r-demo --virtual-time --duration 10s --server none` writes 10 samples
//   (b) consumer/ping.mjs: an RPMsg ping between two @v8r/openamp-wasm devices (Node)
//   (c) consumer/lint.mjs: @v8r/xen-dom0less lints v8r-demo's bundled device tree (Node)
//   (d) the same two scripts under Deno, importing the installed packages
//   (e) TypeScript (moduleResolution nodenext, no skipLibCheck) type-checks consumer/consumer.ts
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tarballManifest } from "./_tarball.mjs";
import { collect, denoBinary } from "./_tools.mjs";
import { packPackages } from "./release.mjs";
import { workspacePackages } from "./_workspace.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const here = join(root, "scripts", "consumer");
/** How long one check may take, even on a busy machine, before it counts as hung. */
const CHECK_TIMEOUT_MS = 300_000;
/** Types the TypeScript check needs besides the packages' own dependencies. */
const TYPE_PACKAGES = ["@types/node"];

/**
 * `npm pack` the installed copy of `name` as found from `fromDir` (the
 * workspace's node_modules), and its dependencies, into `dest`; `seen` maps
 * names already packed to their tarballs.
 */
function packInstalled(name, fromDir, dest, seen) {
  if (seen.has(name)) return;
  let dir;
  try {
    dir = realpathSync(join(fromDir, "node_modules", name));
  } catch {
    const parent = dirname(fromDir);
    if (parent === fromDir) throw new Error(`[consumer] ${name} is not installed in the workspace; run pnpm install`);
    return packInstalled(name, parent, dest, seen);
  }
  const res = spawnSync("npm", ["pack", dir, "--pack-destination", dest, "--ignore-scripts", "--json", "--silent"], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`[consumer] npm pack ${dir} failed:\n${res.stderr}`);
  seen.set(name, join(dest, JSON.parse(res.stdout)[0].filename));
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  // a pnpm store copy sees its own dependencies beside it, in the parent node_modules
  const storeDir = dirname(name.startsWith("@") ? dirname(dir) : dir);
  for (const dep of Object.keys(manifest.dependencies ?? {})) packInstalled(dep, dirname(storeDir), dest, seen);
}

/** The samples a finished demo's status file counts. */
function samplesIn(rootfs) {
  try {
    return JSON.parse(readFileSync(join(rootfs, "usr/share/nginx/html/zephyr-status.json"), "utf8")).counters?.received;
  } catch (e) {
    return `no status file (${e.message})`;
  }
}

const work = mkdtempSync(join(tmpdir(), "v8r-consumer-"));
let failures = 0;
try {
  const tarballs = join(work, "tarballs");
  const app = join(work, "app");
  mkdirSync(app, { recursive: true });
  const ours = packPackages(root, tarballs);
  const seen = new Map(ours.map((p) => [p.name, p.tarball]));
  const packages = workspacePackages(root);
  for (const { name, tarball } of ours) {
    const dir = packages.find((p) => p.pkg.name === name)?.dir ?? root;
    for (const dep of Object.keys(tarballManifest(tarball).dependencies ?? {})) packInstalled(dep, dir, tarballs, seen);
  }
  for (const name of TYPE_PACKAGES) packInstalled(name, root, tarballs, seen);

  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "v8r-consumer", private: true, type: "module" }, null, 2));
  const install = spawnSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--cache", join(work, "npm-cache"), ...seen.values()], { cwd: app, encoding: "utf8" });
  if (install.status !== 0) throw new Error(`[consumer] npm install --offline of ${seen.size} tarballs failed:\n${install.stdout}${install.stderr}`);
  console.log(`[consumer] npm installed ${seen.size} tarballs offline into ${app} (${[...seen.keys()].join(", ")})`);
  for (const f of ["ping.mjs", "lint.mjs", "consumer.ts"]) copyFileSync(join(here, f), join(app, f));
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "ES2022", module: "nodenext", moduleResolution: "nodenext", types: ["node"], strict: true, noEmit: true, skipLibCheck: false }, files: ["consumer.ts"] }, null, 2),
  );

  const rootfs = join(work, "rootfs");
  const deno = denoBinary(root);
  const checks = [
    ["(a) npx v8r-demo --virtual-time --duration 10s --server none", ["npx", ["--offline", "v8r-demo", "--virtual-time", "--duration", "10s", "--server", "none", "--rootfs", rootfs]], (r) => (samplesIn(rootfs) === 10 ? undefined : `the status file counts ${samplesIn(rootfs)} samples, not 10`)],
    ["(b) Node: RPMsg ping through @v8r/openamp-wasm", ["node", ["ping.mjs"]], (r) => (r.out.includes("ping ok") ? undefined : "no 'ping ok'")],
    ["(c) Node: lint the bundled device tree through @v8r/xen-dom0less", ["node", ["lint.mjs"]], (r) => (r.out.includes("lint ok") ? undefined : "no 'lint ok'")],
    ["(d) Deno: RPMsg ping through @v8r/openamp-wasm", [deno, ["run", "-A", "ping.mjs"]], (r) => (r.out.includes("ping ok") ? undefined : "no 'ping ok'")],
    ["(d) Deno: lint the bundled device tree through @v8r/xen-dom0less", [deno, ["run", "-A", "lint.mjs"]], (r) => (r.out.includes("lint ok") ? undefined : "no 'lint ok'")],
    ["(e) tsc --moduleResolution nodenext over consumer.ts", [process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "."]], () => undefined],
  ];
  const results = await Promise.all(checks.map(([, [cmd, args]]) => collect(cmd, args, { cwd: app, env: { ...process.env, NO_COLOR: "1" }, timeoutMs: CHECK_TIMEOUT_MS })));
  for (const [i, [title, , verify]] of checks.entries()) {
    const r = results[i];
    const problem = r.code !== 0 ? `exit ${r.code}` : verify(r);
    if (problem === undefined) {
      console.log(`[consumer] ok   ${title} (${r.secs.toFixed(1)} s)`);
    } else {
      failures++;
      console.log(`[consumer] FAIL ${title}: ${problem} (${r.secs.toFixed(1)} s)\n${r.out.split("\n").slice(-30).join("\n")}`);
    }
  }
} catch (e) {
  failures++;
  console.error(e instanceof Error ? e.message : String(e));
} finally {
  if (failures === 0) rmSync(work, { recursive: true, force: true });
  else console.error(`[consumer] ${failures} check(s) failed; the project is kept in ${work}`);
}
process.exitCode = failures > 0 ? 1 : 0;
