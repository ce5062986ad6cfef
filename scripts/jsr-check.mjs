#!/usr/bin/env node
// `pnpm run test:jsr`: `deno publish --dry-run` over every package, as JSR
// would receive them. It runs on a copy in a temporary Deno workspace (one
// member per package, named by its jsr.json), because Deno, run inside the
// repository, reads the pnpm workspace and rewrites the root package.json.
// Passes when the dry run of all six succeeds with no flag that hides a
// problem: licenses, explicit types on the public API (no slow types), a
// clean type check under Deno's libs, and exports that are modules.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { denoBinary } from "./_tools.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** What is never part of a package as JSR gets it (git ignores them too). */
const SKIP = new Set(["node_modules", "dist", "build", "coverage", ".vitest"]);

/** `deno publish --dry-run` in the copy; resolves with its exit status and output. */
function dryRun(cwd) {
  const res = spawnSync(denoBinary(root), ["publish", "--dry-run", "--allow-dirty"], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: res.status, signal: res.signal, out: `${res.stdout}${res.stderr}` };
}

const work = mkdtempSync(join(tmpdir(), "v8r-jsr-"));
let failed = true;
try {
  const members = [];
  for (const dir of readdirSync(join(root, "packages")).sort()) {
    const src = join(root, "packages", dir);
    let jsr;
    try {
      jsr = JSON.parse(readFileSync(join(src, "jsr.json"), "utf8"));
    } catch {
      continue;
    }
    cpSync(src, join(work, dir), { recursive: true, filter: (p) => !SKIP.has(basename(p)) });
    members.push({ dir, name: jsr.name });
  }
  writeFileSync(join(work, "deno.json"), JSON.stringify({ workspace: members.map((m) => `./${m.dir}`) }, null, 2));
  const res = dryRun(work);
  const missing = members.filter((m) => !res.out.includes(`Simulating publish of ${m.name}@`));
  if (res.status !== 0 || missing.length > 0) {
    process.stdout.write(res.out.split("\n").filter((l) => !/^(Check|Download) /.test(l)).join("\n"));
    const why = res.status !== 0 ? `exit ${res.status ?? res.signal}` : `no dry run of ${missing.map((m) => m.name).join(", ")}`;
    console.error(`[jsr] deno publish --dry-run failed (${why}); the copy is in ${work}`);
  } else {
    for (const m of members) console.log(`[jsr] ${m.name}: deno publish --dry-run ok`);
    failed = false;
  }
} finally {
  if (!failed) rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
