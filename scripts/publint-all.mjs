#!/usr/bin/env node
// Runs publint on every package (after `pnpm run build`) and checks that
// package.json "exports" and jsr.json "exports" name the same entries.
import { readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let problems = 0;
for (const dir of readdirSync(join(root, "packages")).sort()) {
  const pkgDir = join(root, "packages", dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const { messages } = await publint({ pkgDir, level: "suggestion", strict: true });
  for (const m of messages) {
    console.log(`${pkg.name}: ${m.type}: ${formatMessage(m, pkg) ?? m.code}`);
    problems++;
  }
  const jsr = JSON.parse(readFileSync(join(pkgDir, "jsr.json"), "utf8"));
  const npmKeys = Object.keys(pkg.exports ?? {}).filter((k) => !k.endsWith(".wasm") && k !== "./package.json").sort();
  const jsrKeys = Object.keys(jsr.exports ?? {}).filter((k) => !k.endsWith(".wasm")).sort();
  if (JSON.stringify(npmKeys) !== JSON.stringify(jsrKeys)) {
    console.log(`${pkg.name}: package.json exports [${npmKeys}] differ from jsr.json exports [${jsrKeys}]`);
    problems++;
  }
  if (jsr.version !== pkg.version) {
    console.log(`${pkg.name}: jsr.json version ${jsr.version} differs from package.json ${pkg.version}`);
    problems++;
  }
  console.log(`${pkg.name}: ${messages.length === 0 ? "publint clean" : `${messages.length} publint message(s)`}`);
}
process.exit(problems ? 1 : 0);
