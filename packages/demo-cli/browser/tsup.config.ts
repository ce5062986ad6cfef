import { defineConfig } from "tsup";
import { runOnly } from "../../../tsup.base.ts";

// The browser page's module: built to dist/browser/main.js after the package's own build
// (whose clean step empties dist/). The @v8r/* imports stay bare: `v8r-demo browser` maps them.
export default defineConfig({
  entry: { main: "browser/main.ts" },
  format: ["esm"],
  outDir: "dist/browser",
  platform: "browser",
  target: "es2022",
  sourcemap: !runOnly,
  clean: false,
  dts: false,
  splitting: false,
  external: [/^@v8r\//],
});
