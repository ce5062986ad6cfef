#!/usr/bin/env node
// After `changeset version` bumped package.json versions, give each
// package's jsr.json the same version (JSR publishes from jsr.json).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
for (const dir of readdirSync(join(root, "packages")).sort()) {
  const pkg = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
  const jsrPath = join(root, "packages", dir, "jsr.json");
  const jsr = JSON.parse(readFileSync(jsrPath, "utf8"));
  if (jsr.version === pkg.version) continue;
  jsr.version = pkg.version;
  writeFileSync(jsrPath, JSON.stringify(jsr, null, 2) + "\n");
  console.log(`${pkg.name}: jsr.json version set to ${pkg.version}`);
}
