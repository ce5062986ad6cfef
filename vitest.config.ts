import { defineConfig } from "vitest/config";
import "./scripts/node20-polyfills.ts";

// "source" resolves workspace packages to their TypeScript sources, so tests
// never depend on a previous build.
const conditions = ["source", "module", "node", "import", "default"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "packages/*/apps/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
