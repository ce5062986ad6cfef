import { availableParallelism } from "node:os";
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
    setupFiles: ["./scripts/vitest-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Test files share a worker and its loaded modules instead of one new process
    // each (importing the packages' sources again per file cost more than most
    // files' tests), and two run at once even on two cores: many tests wait on
    // other processes, Workers or timers rather than compute.
    isolate: false,
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
