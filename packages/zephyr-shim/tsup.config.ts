import { cp } from "node:fs/promises";
import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.base.ts";

// The Zephyr C API headers for WASI programs go to dist/include/ (npm ships dist/ only, as openamp-wasm ships its sysroot).
export default defineConfig(
  packageConfig(
    { mod: "src/mod.ts", "wasi-guest": "src/wasi-guest.ts" },
    {
      async onSuccess() {
        await cp("include", "dist/include", { recursive: true });
      },
    },
  ),
);
