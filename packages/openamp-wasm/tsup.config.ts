import { cp } from "node:fs/promises";
import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.base.ts";

// v8r-cc (Node: it drives clang and wasm-opt) is its own entry, so the portable mod.ts never imports node: modules;
// v8r-cc-cli.ts starts with a #!/usr/bin/env node line, which esbuild keeps at the top of dist/v8r-cc-cli.js.
// The headers, the machine port's header and the libraries v8r-cc compiles against go to dist/sysroot/.
export default defineConfig(
  packageConfig(
    { mod: "src/mod.ts", "v8r-cc": "src/v8r-cc.ts", "v8r-cc-cli": "src/v8r-cc-cli.ts" },
    {
      async onSuccess() {
        for (const dir of ["include", "machine/include", "lib/wasm32-wasi"]) await cp(dir, `dist/sysroot/${dir}`, { recursive: true });
      },
    },
  ),
);
