import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.base.ts";

// cli.ts starts with a #!/usr/bin/env node line, which esbuild keeps at the top of dist/cli.js.
export default defineConfig(packageConfig({ mod: "src/mod.ts", node: "src/node.ts", cli: "src/cli.ts" }));
