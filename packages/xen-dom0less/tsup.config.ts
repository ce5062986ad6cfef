import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.base.ts";

// xen-runtime.ts is loaded by URL in each domain's thread (next to the module of bootXen), so it is its own entry.
// cli.ts starts with a #!/usr/bin/env node line, which esbuild keeps at the top of dist/cli.js.
export default defineConfig(packageConfig({ mod: "src/mod.ts", cli: "src/cli.ts", node: "src/node.ts", "xen-runtime": "src/xen-runtime.ts" }));
