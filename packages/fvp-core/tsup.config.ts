import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.base.ts";

// guest-worker is not a public entry: WorkerExecutor loads it by URL next to itself.
export default defineConfig(packageConfig({ mod: "src/mod.ts", node: "src/node.ts", "guest-worker": "src/guest-worker.ts" }));
