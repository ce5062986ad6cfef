#!/usr/bin/env node
// `pnpm run release:pack [DIR]`: the six package tarballs exactly as
// `changeset publish` would publish them (it runs `pnpm publish`, which
// packs like `pnpm pack`: `workspace:^` becomes a real version range and
// `publishConfig.exports` replaces `exports`), after a full build
// (declarations and source maps), each one checked by publint and the
// release rules below. Writes them to DIR (default .v8r-tmp/release).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { emitDeclarations, placeDeclarations } from "./declarations.mjs";
import { buildPackages } from "./each-package.mjs";
import { readTarball } from "./_tarball.mjs";
import { runPnpm } from "./_tools.mjs";
import { workspacePackages } from "./_workspace.mjs";

/** Files every tarball may hold besides dist/ and the single files its "files" names. */
const ALWAYS = new Set(["package.json", "README.md", "LICENSE", "CHANGELOG.md"]);

/**
 * `pnpm pack` every package into `dest` (emptied first); returns
 * `{ name, tarball }` per package. Needs the packages built.
 */
export function packPackages(root, dest) {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const res = runPnpm(root, ["-r", "pack", "--pack-destination", dest], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`[release] pnpm -r pack failed (${res.error?.message ?? `exit ${res.status ?? res.signal}`}):\n${res.stdout}${res.stderr}`);
  const tarballs = readdirSync(dest).filter((f) => f.endsWith(".tgz"));
  return workspacePackages(root).map(({ pkg }) => {
    const file = `${pkg.name.replace(/^@/, "").replace("/", "-")}-${pkg.version}.tgz`;
    if (!tarballs.includes(file)) throw new Error(`[release] pnpm pack wrote no ${file} for ${pkg.name} (found ${tarballs.join(", ")})`);
    return { name: pkg.name, tarball: join(dest, file) };
  });
}

/** Every string target of an exports map or bin field. */
function targets(value) {
  if (typeof value === "string") return [value];
  if (value === null || typeof value !== "object") return [];
  return Object.values(value).flatMap(targets);
}

/** What is wrong with one package's sources for a release (no pack needed). */
export function sourceProblems(root, { pkg, jsr, dir }) {
  const problems = [];
  const withoutSource = (v) => (v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== "source").map(([k, x]) => [k, withoutSource(x)])) : v);
  const published = withoutSource(pkg.exports ?? {});
  if (JSON.stringify(pkg.publishConfig?.exports) !== JSON.stringify(published)) {
    problems.push(`publishConfig.exports must be "exports" without the "source" conditions (what npm users get); set it to ${JSON.stringify(published)}`);
  }
  if (jsr !== undefined) {
    // file assets (the .wasm, the .dts device tree) are not modules: JSR ships them as files
    const npmKeys = Object.keys(pkg.exports ?? {}).filter((k) => targets(pkg.exports[k]).some((t) => /\.(m?js|ts)$/.test(t))).sort();
    const jsrKeys = Object.keys(jsr.exports ?? {}).sort();
    if (JSON.stringify(npmKeys) !== JSON.stringify(jsrKeys)) problems.push(`the module exports of package.json [${npmKeys}] and jsr.json [${jsrKeys}] differ`);
    if (jsr.version !== pkg.version) problems.push(`jsr.json version ${jsr.version} differs from package.json ${pkg.version}`);
  }
  const license = join(dir, "LICENSE");
  if (!existsSync(license)) problems.push("has no LICENSE (copy the repository's)");
  else if (readFileSync(license, "utf8") !== readFileSync(join(root, "LICENSE"), "utf8")) problems.push("LICENSE differs from the repository's LICENSE");
  if (JSON.stringify(pkg).includes("example.invalid")) problems.push("package.json names an example.invalid URL");
  return problems;
}

/** The package.json inside a tarball's files (as `readTarball` gives them). */
function packedManifest(files) {
  return JSON.parse(files.get("package.json")?.toString("utf8") ?? "{}");
}

/** What is wrong with one packed tarball (its files, as `readTarball` gives them), as npm users would get it. */
export function tarballProblems(root, files) {
  const pkg = packedManifest(files);
  const problems = [];
  for (const [dep, range] of Object.entries({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies })) {
    if (/^(workspace|file|link):/.test(range)) problems.push(`dependency ${dep} is "${range}", which no registry install understands`);
  }
  if (files.get("LICENSE")?.toString("utf8") !== readFileSync(join(root, "LICENSE"), "utf8")) problems.push("no LICENSE (or not the repository's)");
  // outside dist/, only single files that "files" names one by one: no source or test folders
  const named = new Set((pkg.files ?? []).map((f) => f.replace(/^\.\//, "")));
  for (const name of files.keys()) {
    if (ALWAYS.has(name) || named.has(name) || name.startsWith("dist/")) continue;
    problems.push(`holds ${name}: outside dist/, "files" should name each file that runs`);
  }
  for (const name of files.keys()) if (/\.test\.[cm]?[jt]s$/.test(name)) problems.push(`holds the test file ${name}`);
  return problems;
}

/** publint (strict, down to suggestions) over a tarball whose manifest is `pkg`; returns its messages as text. */
export async function publintTarball(tarball, pkg) {
  const { publint } = await import("publint");
  const { formatMessage } = await import("publint/utils");
  const bytes = readFileSync(tarball);
  const { messages } = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, level: "suggestion", strict: true });
  return messages.map((m) => `publint ${m.type}: ${formatMessage(m, pkg) ?? m.code}`);
}

/** Check every package's sources and tarball; prints one line per package and resolves with the problem count. */
export async function checkRelease(root, packed) {
  let count = 0;
  const packages = workspacePackages(root);
  for (const { name, tarball } of packed) {
    const source = packages.find((p) => p.pkg.name === name);
    const files = readTarball(tarball);
    const problems = [...(source ? sourceProblems(root, source) : []), ...tarballProblems(root, files), ...(await publintTarball(tarball, packedManifest(files)))];
    for (const p of problems) console.log(`${name}: ${p}`);
    console.log(`${name}: ${problems.length === 0 ? `ok (${files.size} files)` : `${problems.length} problem(s)`}`);
    count += problems.length;
  }
  return count;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const dest = resolve(process.argv[2] ?? join(root, ".v8r-tmp", "release"));
  console.error("[release] building every package (JavaScript, source maps, declarations)");
  const failed = await buildPackages(root, { log: () => {} });
  if (failed.length > 0) {
    console.error(`[release] the build failed for ${failed.join(", ")}; run \`pnpm run build\` to see why`);
    process.exit(1);
  }
  const types = join(root, ".v8r-tmp", "types");
  const tsc = await emitDeclarations(root, types);
  if (tsc.code !== 0) {
    process.stdout.write(tsc.out);
    console.error("[release] the type check failed; nothing to publish");
    process.exit(1);
  }
  placeDeclarations(root, types);
  const packed = packPackages(root, dest);
  const problems = await checkRelease(root, packed);
  if (problems > 0) {
    console.error(`[release] ${problems} problem(s); nothing to publish`);
    process.exit(1);
  }
  console.error(`[release] ${packed.length} tarballs in ${dest}:`);
  for (const { tarball } of packed) console.log(tarball);
}
