/**
 * v8r-demo: the Arm v8r64 Xen dom0less virtualization demo in one command
 * (a Zephyr guest and a Linux guest talking OpenAMP RPMsg, a continuously
 * updated status page and a live dashboard).
 *
 * This entry holds the portable parts, free of Node APIs: the command-line
 * parser, the `--faults` and duration syntax, the console multiplexer, the
 * banner, the dashboard page and snapshot type, and the shutdown
 * controller. Servers, files and the executable are in `v8r-demo/node`.
 *
 * @example Parse a command line and a fault plan
 * ```ts
 * import { parseOptions, createConsoleMux } from "v8r-demo";
 *
 * const options = parseOptions(["--virtual-time", "--duration", "1h", "--faults", "drop=0.3,crash:zephyr@20s"]);
 * console.log(options.durationMs, options.faults?.faults[1]); // 3600000 { kind: "crash", domain: "zephyr", atMs: 20000 }
 *
 * const mux = createConsoleMux({ out: { write: (t) => console.log(t.trimEnd()) } });
 * mux.line("zephyr", "*** Booting Zephyr OS ***"); // "zephyr | *** Booting Zephyr OS ***"
 * ```
 * @module
 */

/** The npm name of this package. */
export const packageName = "v8r-demo";

export { formatBanner, formatProgress, type BannerInfo, type ConsoleEndpoint } from "./banner.ts";
export {
  ConsoleSource,
  createConsoleMux,
  formatConsoleEntry,
  shouldUseColor,
  type ConsoleEntry,
  type ConsoleLevel,
  type ConsoleMux,
  type ConsoleMuxOptions,
  type ConsoleWriter,
  type TextSink,
} from "./console-mux.ts";
export { renderDashboardPage, type DashboardPageOptions } from "./dashboard/dashboard-page.ts";
export { createRateMeter, type RateMeter } from "./dashboard/rate-meter.ts";
export type { DashboardSnapshot, DomainSnapshot, LinkSnapshot } from "./dashboard/snapshot.ts";
export { DURATION_UNITS_MS, DurationError, formatDuration, parseDuration, type DurationUnit } from "./duration.ts";
export { FaultSpecError, faultSpecHelp, formatFaultSpec, parseFaultSpec } from "./fault-spec.ts";
export { formatHelp, formatUsage } from "./help.ts";
export {
  ConsoleMode,
  DEFAULT_OPTIONS,
  LogFormat,
  PERIOD_RANGE_MS,
  ServerKind,
  parseOptions,
  type DemoCommand,
  type DemoOptions,
} from "./options.ts";
export { createShutdown, type Shutdown, type ShutdownOptions, type SignalSource, type StopSignal } from "./shutdown.ts";
export type { DemoPlatform, DemoTraceEvent, XlTraceEvent } from "./trace-events.ts";
export { USAGE_EXIT_CODE, UsageError } from "./usage-error.ts";
export { DomainState, formatXlList, formatXlUptime, isDomainInfo, xlStateFlags, type DomainInfo } from "./xl-list.ts";
