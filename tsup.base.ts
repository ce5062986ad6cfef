import type { Options } from "tsup";

/** Shared tsup settings: ESM only, declarations, one output file per entry. */
export function packageConfig(entry: Record<string, string>, extra: Options = {}): Options {
  return {
    entry,
    format: ["esm"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "es2022",
    platform: "neutral",
    splitting: true,
    treeshake: true,
    outDir: "dist",
    ...extra,
  };
}
