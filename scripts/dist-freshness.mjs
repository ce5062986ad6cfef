// Whether the packages' dist/ builds are current: `npm run demo` and
// `pnpm bench` run the built CLI (what `npx v8r-demo` runs), so they build
// first when a dist/ is missing or older than what it is built from.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** What a package's dist/ is built from: its non-test sources and build settings. */
const INPUT_DIRS = ["src", "apps", "browser"];
const INPUT_FILES = ["package.json", "tsup.config.ts"];
/** Build settings every package shares, at the repository root. */
const ROOT_INPUTS = ["tsup.base.ts"];

function newestFile(dir, accept) {
  let newest = { time: 0, path: "" };
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const candidate = e.isDirectory() ? newestFile(p, accept) : accept(e.name) ? { time: statSync(p).mtimeMs, path: p } : newest;
    if (candidate.time > newest.time) newest = candidate;
  }
  return newest;
}

function oldestFile(dir) {
  let oldest = Infinity;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    oldest = Math.min(oldest, e.isDirectory() ? oldestFile(p) : statSync(p).mtimeMs);
  }
  return oldest;
}

const isSource = (name) => name.endsWith(".ts") && !name.endsWith(".test.ts");

/**
 * Why the workspace needs `pnpm run build` before its dist/ can run, or
 * undefined when every package's dist/ is newer than its inputs.
 */
export function staleDistReason(root) {
  const packages = join(root, "packages");
  const rootInputs = ROOT_INPUTS.map((f) => ({ f, p: join(root, f) }))
    .filter(({ p }) => existsSync(p))
    .map(({ f, p }) => ({ f, time: statSync(p).mtimeMs }));
  for (const pkg of readdirSync(packages).sort()) {
    const dir = join(packages, pkg);
    if (!existsSync(join(dir, "package.json"))) continue;
    const dist = join(dir, "dist");
    if (!existsSync(dist) || readdirSync(dist).length === 0) return `packages/${pkg}/dist is not built yet`;
    const built = oldestFile(dist);
    for (const sub of INPUT_DIRS) {
      if (!existsSync(join(dir, sub))) continue;
      const newest = newestFile(join(dir, sub), isSource);
      if (newest.time > built) return `${relative(root, newest.path)} changed after packages/${pkg}/dist was built`;
    }
    for (const f of INPUT_FILES) {
      const p = join(dir, f);
      if (existsSync(p) && statSync(p).mtimeMs > built) return `packages/${pkg}/${f} changed after packages/${pkg}/dist was built`;
    }
    for (const { f, time } of rootInputs) {
      if (time > built) return `${f} changed after packages/${pkg}/dist was built`;
    }
  }
  return undefined;
}
