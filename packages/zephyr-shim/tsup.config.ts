import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.base.ts";

export default defineConfig(packageConfig({ mod: "src/mod.ts", "wasi-guest": "src/wasi-guest.ts" }));
