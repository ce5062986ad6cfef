/**
 * The Node-specific parts of v8r-demo (they also run in Deno): the
 * dashboard's request handler, the local control endpoint and its client,
 * the bundled device tree, config linting, and the CLI itself.
 *
 * @example Serve the dashboard next to other routes
 * ```ts
 * import { createServer } from "node:http";
 * import { createDashboard } from "v8r-demo/node";
 *
 * const dashboard = createDashboard({ getSnapshot: () => snapshot, onSetPeriod: async (ms) => setPeriod(ms) });
 * createServer((req, res) => { if (!dashboard(req, res)) { res.writeHead(404); res.end(); } }).listen(8080);
 * ```
 * @module
 */

export { EXIT_CODES, runCli, type CliIo, type CliStream } from "./cli-main.ts";
export { DEFAULT_CONFIG_NAME, defaultConfigCandidates, readDefaultConfig } from "./config/default-config.ts";
export {
  TelnetConsoleError,
  startTelnetConsoles,
  type TelnetConsoleOptions,
  type TelnetConsoles,
} from "./console-telnet.ts";
export { ControlError, ControlErrorCode, runXl, type XlOptions, type XlRequest } from "./control-client.ts";
export {
  ControlRefusal,
  type ControlRefusalStatus,
  startControlEndpoint,
  XL_ACTIONS,
  type ConsoleAttachment,
  type ControlEndpoint,
  type ControlHandlers,
  type XlAction,
} from "./control-endpoint.ts";
export { attachXlConsole, CONSOLE_ESCAPE, type XlConsoleInput, type XlConsoleIo } from "./xl-console.ts";
export {
  controlStatePath,
  readControlState,
  removeControlState,
  writeControlState,
  type ControlState,
  type ControlStateLocation,
} from "./control-state.ts";
export { createDashboard, type DashboardHandler, type DashboardOptions } from "./dashboard/create-dashboard.ts";
export { formatLintReport, lintConfigBytes, lintConfigFile, type ConfigLintReport } from "./lint-config.ts";
export { runDemo, type ConsoleInput, type DemoConfig, type DemoIo, type RunningDemo } from "./run-demo.ts";
export { packageVersion } from "./version.ts";
