#!/usr/bin/env node
// The packages' declaration files, from the same tsc run that type-checks
// the workspace (one program for all packages, instead of one declaration
// build per package that checks the sources again):
//   emit:  tsc over tsconfig.json writes every file's .d.ts under a folder;
//   place: each package's src/ and apps/ declarations go to its
//          dist/types/ (same layout, tests left out), and every "types"
//          target of its exports becomes a one-line file re-exporting the
//          declarations of the entry's "source" module.
// `node scripts/declarations.mjs [--emit | --place]` does both, or one
// (placing needs the JavaScript build done first, as it empties dist/;
// `pnpm run build` runs both after it). The folder is .v8r-tmp/types.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { collect } from "./_tools.mjs";
import { workspacePackages } from "./_workspace.mjs";

const TSC = ["node_modules", "typescript", "bin", "tsc"];

/** Type-check the workspace and write every file's declarations under `outDir`; resolves with tsc's exit code and output. */
export function emitDeclarations(root, outDir) {
  rmSync(outDir, { recursive: true, force: true });
  const args = [join(root, ...TSC), "-p", join(root, "tsconfig.json"), "--noEmit", "false", "--declaration", "--emitDeclarationOnly", "--declarationDir", outDir, "--rootDir", root];
  return collect(process.execPath, args, { cwd: root });
}

/** Whether a declaration file belongs to what a package publishes (not a test or test helper). */
function published(path) {
  const parts = path.split(sep);
  return !parts.includes("test") && !/\.test\.d\.ts$/.test(path);
}

/** Copy the emitted declarations of each package into its dist/types/ and write the exports' "types" entry files. */
export function placeDeclarations(root, outDir) {
  if (!existsSync(join(outDir, "packages"))) throw new Error(`[declarations] no declarations in ${outDir}: run node scripts/declarations.mjs --emit (the type check writes them) first`);
  for (const { dir, pkg } of workspacePackages(root)) {
    const emitted = join(outDir, relative(root, dir));
    const types = join(dir, "dist", "types");
    rmSync(types, { recursive: true, force: true });
    for (const sub of ["src", "apps"]) {
      if (existsSync(join(emitted, sub))) cpSync(join(emitted, sub), join(types, sub), { recursive: true, filter: (p) => published(relative(emitted, p)) });
    }
    for (const [key, entry] of Object.entries(pkg.exports ?? {})) {
      if (entry === null || typeof entry !== "object" || typeof entry.types !== "string" || typeof entry.source !== "string") continue;
      const target = join(dir, entry.types);
      const declaration = join(types, entry.source.replace(/\.ts$/, ".d.ts"));
      if (!existsSync(declaration)) throw new Error(`[declarations] ${pkg.name} "${key}": no declarations for ${entry.source} (looked for ${declaration})`);
      let from = relative(dirname(target), declaration).split(sep).join("/").replace(/\.d\.ts$/, ".js");
      if (!from.startsWith(".")) from = `./${from}`;
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, `export * from "${from}";\n`);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const outDir = join(root, ".v8r-tmp", "types");
  const only = process.argv[2];
  if (only !== "--place") {
    const { code, out } = await emitDeclarations(root, outDir);
    process.stdout.write(out);
    if (code !== 0) {
      console.error(`[declarations] tsc failed (exit ${code})`);
      process.exit(1);
    }
    console.error(`[declarations] type-checked the workspace; declarations in ${relative(root, outDir)}`);
  }
  if (only !== "--emit") {
    placeDeclarations(root, outDir);
    console.error("[declarations] placed each package's declarations in its dist/types/");
  }
}
