/**
 * Boot the whole demo: the platform, Xen dom0less with the configured
 * domains, the guest apps, the web server with the dashboard, the control
 * endpoint and the consoles. Called by the CLI for the `run` command.
 *
 * @module
 */
import type { ConsoleEndpoint } from "./banner.ts";
import type { ConsoleMux } from "./console-mux.ts";
import type { DemoOptions } from "./options.ts";
import type { Shutdown } from "./shutdown.ts";

/** The device tree to boot, already read (and linted when it is not the bundled one). */
export interface DemoConfig {
  /** Its path, or the bundled file's name. */
  readonly file: string;
  /** Its bytes: .dts text as UTF-8, or a .dtb. */
  readonly bytes: Uint8Array;
  /** Whether it is the bundled `v8r64-virtualization.dts`. */
  readonly bundled: boolean;
}

/** What the CLI hands to {@link runDemo}. */
export interface DemoIo {
  /** The merged console: write Xen/guest output with `writer(source)`, own lines as `v8r`. */
  readonly console: ConsoleMux;
  /** Register stop hooks here (guests, servers, endpoints); they run in reverse order on Ctrl-C. */
  readonly shutdown: Shutdown;
  /** The device tree to boot. */
  readonly config: DemoConfig;
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Overwrites the progress line on stderr (virtual-time runs, e.g. with
   * `formatProgress`); `""` clears it. A no-op when stderr is not a terminal.
   */
  readonly progress: (line: string) => void;
}

/** A started demo, for the banner and the CLI's wait. */
export interface RunningDemo {
  /** URL of the status page, when served. */
  readonly statusUrl?: string;
  /** URL of the dashboard, when served. */
  readonly dashboardUrl?: string;
  /** Host directory of the Linux root filesystem. */
  readonly rootfs: string;
  /** Where each console can be read. */
  readonly consoles: readonly ConsoleEndpoint[];
  /**
   * For runs that end by themselves (`--virtual-time`): resolves with the
   * exit code when the run is over (after printing its summary). Absent
   * for real-time runs, which end on Ctrl-C.
   */
  readonly finished?: Promise<number>;
}

/**
 * Boot the demo described by `options` and return once it is serving.
 *
 * @throws Error while the wiring is not written yet
 */
export async function runDemo(options: DemoOptions, io: DemoIo): Promise<RunningDemo> {
  // TODO(lead): wire fvp-core + xen-dom0less + zephyr-shim + linux-shim here:
  // boot the platform from io.config, start the guests (Workers, or inline
  // with options.inline / a VirtualClock with options.virtualTime), pipe the
  // UARTs into io.console.writer(name), start the linux-shim web server with
  // `dashboard: createDashboard(...)`, start the control endpoint, register
  // every stop hook on io.shutdown, and return the URLs.
  void options;
  void io;
  throw new Error("[v8r-demo] booting the demo is not wired yet (run-demo.ts)");
}
