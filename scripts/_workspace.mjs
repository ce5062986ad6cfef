// Internal: the workspace's packages as the scripts see them.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Every folder of packages/ with a package.json: `{ dir, pkg, jsr }` (jsr undefined without a jsr.json), sorted by folder. */
export function workspacePackages(root) {
  const out = [];
  for (const name of readdirSync(join(root, "packages")).sort()) {
    const dir = join(root, "packages", name);
    const pkg = readJson(join(dir, "package.json"));
    if (pkg !== undefined) out.push({ dir, pkg, jsr: readJson(join(dir, "jsr.json")) });
  }
  return out;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    if (e.code === "ENOENT" || e.code === "ENOTDIR") return undefined;
    throw new Error(`[workspace] reading ${file}: ${e.message}`, { cause: e });
  }
}
