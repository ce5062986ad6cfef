import type { Options } from "tsup";

/**
 * Whether this build is for running only (`V8R_BUILD=run`, what `npm run
 * demo` builds): JavaScript without source maps, which only debuggers need.
 * Declaration files never come from tsup: scripts/declarations.mjs writes
 * them from the workspace's one tsc run (`pnpm run build`, `npm test` and
 * the release build).
 */
export const runOnly: boolean = process.env["V8R_BUILD"] === "run";

/**
 * Shared tsup settings: ESM only, one output file per entry, source maps
 * unless {@link runOnly}. esbuild's own tree shaking is enough for ES modules
 * (tsup's `treeshake` would add a Rollup pass per package).
 */
export function packageConfig(entry: Record<string, string>, extra: Options = {}): Options {
  return {
    entry,
    format: ["esm"],
    dts: false,
    clean: true,
    sourcemap: !runOnly,
    target: "es2022",
    platform: "neutral",
    splitting: true,
    outDir: "dist",
    ...extra,
  };
}
