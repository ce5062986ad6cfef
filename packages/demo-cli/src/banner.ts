/**
 * The start-up banner and the progress line of a virtual-time run.
 * Pure text formatting.
 *
 * @module
 */
import { formatDuration } from "./duration.ts";

/** Where a console can be read. */
export interface ConsoleEndpoint {
  /** Source name, e.g. `zephyr`. */
  readonly name: string;
  /** Where: `stdout`, or e.g. `telnet 127.0.0.1 5000`. */
  readonly where: string;
}

/** What the banner shows. */
export interface BannerInfo {
  /** Package version. */
  readonly version: string;
  /** URL of the status page, when served. */
  readonly statusUrl?: string;
  /** URL of the dashboard, when served. */
  readonly dashboardUrl?: string;
  /** Host directory of the Linux root filesystem. */
  readonly rootfs: string;
  /** The consoles. */
  readonly consoles: readonly ConsoleEndpoint[];
  /** The device tree booted (`bundled v8r64-virtualization.dts` or a path). */
  readonly config: string;
  /** How domains run, e.g. `one Worker per domain`, `inline, simulated time`. */
  readonly mode: string;
  /** Shown instead of the URLs when the web server starts later (`--no-autorun`). */
  readonly serverHint?: string;
  /** The domain whose console gets what is typed on this terminal. */
  readonly inputDomain?: string;
  /** Whether the run stops by itself (virtual time); the stop hint changes. */
  readonly finite?: boolean;
}

/**
 * The banner: the URL, the rootfs, the consoles and how to stop.
 *
 * @example
 * ```ts
 * formatBanner({ version: "1.0.0", statusUrl: "http://127.0.0.1:8080/zephyr-status.html", rootfs: "/tmp/r",
 *   consoles: [{ name: "zephyr", where: "stdout" }], config: "bundled", mode: "inline" });
 * ```
 */
export function formatBanner(info: BannerInfo): string {
  const rows: [string, string][] = [];
  if (info.statusUrl !== undefined) rows.push(["status page", info.statusUrl]);
  if (info.dashboardUrl !== undefined) rows.push(["dashboard", info.dashboardUrl]);
  if (info.statusUrl === undefined && info.serverHint !== undefined) rows.push(["web server", info.serverHint]);
  rows.push(["rootfs", `${info.rootfs} (Linux's /; the page is usr/share/nginx/html/zephyr-status.html)`]);
  const onStdout = info.consoles.filter((c) => c.where === "stdout").map((c) => c.name);
  if (onStdout.length > 0) rows.push(["consoles", `${onStdout.join(", ")} below, each line prefixed with its source`]);
  for (const c of info.consoles.filter((c) => c.where !== "stdout")) rows.push([`${c.name} console`, c.where]);
  if (info.inputDomain !== undefined) {
    rows.push(["input", `lines typed here go to the ${info.inputDomain} shell (rpmsg-demo, nginx, dmesg, ls, cat, xl list, rpmsg-ctrl, help)`]);
  }
  rows.push(["config", info.config]);
  rows.push(["stop", info.finite === true ? "stops by itself at the end; Ctrl-C stops early" : "Ctrl-C (or SIGTERM)"]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [`v8r-demo ${info.version}: Xen dom0less with zephyr and linux (${info.mode})`];
  for (const [k, v] of rows) lines.push(`  ${k.padEnd(width)}  ${v}`);
  return `${lines.join("\n")}\n`;
}

/**
 * One progress line for a virtual-time run, e.g.
 * `[##########----------]  50% 30m/1h simulated`.
 *
 * @param doneMs simulated time so far
 * @param totalMs the whole run
 * @param width characters of the bar; default 30
 */
export function formatProgress(doneMs: number, totalMs: number, width = 30): string {
  if (!(totalMs > 0) || !Number.isInteger(width) || width < 1) {
    throw new RangeError(`[v8r-demo] formatting progress: need totalMs > 0 and width >= 1 (got ${totalMs}, ${width})`);
  }
  const fraction = Math.min(1, Math.max(0, doneMs / totalMs));
  const filled = Math.floor(fraction * width);
  const percent = String(Math.floor(fraction * 100)).padStart(3);
  const done = formatDuration(Math.round(Math.min(Math.max(doneMs, 0), totalMs)));
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${percent}% ${done}/${formatDuration(totalMs)} simulated`;
}
