#!/usr/bin/env node
// `pnpm run publint` (or `node scripts/publint-all.mjs [PACKAGE_DIR...]`
// from any folder, with or without pnpm on PATH; `npm run publint` in a
// package folder checks that package): packs the packages as they would be
// published (after `pnpm run build`) and checks each tarball with publint
// and the release rules of release.mjs (real dependency ranges, a LICENSE,
// only what runs, exports matching jsr.json and publishConfig).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkRelease, packPackages } from "./release.mjs";
import { workspacePackages } from "./_workspace.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const only = process.argv.slice(2).map((d) => resolve(d));
const names = new Set(workspacePackages(root).filter((p) => only.length === 0 || only.includes(p.dir)).map((p) => p.pkg.name));
if (names.size === 0) {
  console.error(`[publint] ${only.join(", ")} is no package folder of ${root}`);
  process.exit(2);
}
const dest = mkdtempSync(join(tmpdir(), "v8r-publint-"));
try {
  const problems = await checkRelease(root, packPackages(root, dest).filter((p) => names.has(p.name)));
  process.exitCode = problems > 0 ? 1 : 0;
} finally {
  rmSync(dest, { recursive: true, force: true });
}
