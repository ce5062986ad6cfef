import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.base.ts";

// cli.ts starts with a #!/usr/bin/env node line, which esbuild keeps at the top of dist/cli.js.
// The rpmsg-demo application's entries are guest images: bootXen loads them by these specifiers.
export default defineConfig(
  packageConfig({
    mod: "src/mod.ts",
    node: "src/node.ts",
    cli: "src/cli.ts",
    "apps/rpmsg-demo/protocol": "apps/rpmsg-demo/protocol/mod.ts",
    "apps/rpmsg-demo/zephyr-rpmsg-host": "apps/rpmsg-demo/zephyr-rpmsg-host/mod.ts",
    "apps/rpmsg-demo/linux-rpmsg-remote": "apps/rpmsg-demo/linux-rpmsg-remote/mod.ts",
  }),
);
