/**
 * Domain information as `xl list` shows it, its table format, and what `xl`
 * can do to a domain.
 *
 * @module
 */

/** What `xl` can do to one domain, besides list and console. */
export const XL_ACTIONS = ["destroy", "restart", "shutdown", "reboot", "pause", "unpause", "create"] as const;
/** One of {@link XL_ACTIONS}. */
export type XlAction = (typeof XL_ACTIONS)[number];

/** Domain states, as the `xl list` State column flags them (`r-----` ...). */
export const DomainState = {
  running: "running",
  blocked: "blocked",
  paused: "paused",
  shutdown: "shutdown",
  crashed: "crashed",
  dying: "dying",
} as const;
/** One of {@link DomainState}. */
export type DomainState = (typeof DomainState)[keyof typeof DomainState];

/** One domain of a running demo. */
export interface DomainInfo {
  /** Name from the device tree. */
  readonly name: string;
  /** Xen domain id. */
  readonly domid: number;
  /** Memory in KiB (the device tree's `memory`). */
  readonly memKiB: number;
  /** Number of vCPUs. */
  readonly vcpus: number;
  /** Lifecycle state. */
  readonly state: DomainState;
  /** CPU time used so far, seconds. */
  readonly cpuTimeS: number;
  /** Time since the current instance started (frozen once it stopped), seconds. */
  readonly uptimeS?: number;
  /** Times Xen started the domain again (reboot, restart, on_crash=restart, xl create after a destroy). */
  readonly restarts?: number;
  /** Times the domain crashed (counted by Xen). */
  readonly crashes?: number;
}

const FLAG_ORDER: readonly DomainState[] = ["running", "blocked", "paused", "shutdown", "crashed", "dying"];

/**
 * The six-character State column of `xl list`: one position per state,
 * `r` running, `b` blocked, `p` paused, `s` shutdown, `c` crashed, `d` dying.
 *
 * @example
 * ```ts
 * xlStateFlags("blocked"); // "-b----"
 * ```
 */
export function xlStateFlags(state: DomainState): string {
  return FLAG_ORDER.map((s) => (s === state ? (s[0] as string) : "-")).join("");
}

/**
 * An uptime as `xl uptime` writes it: `H:MM:SS`, with `N days, ` in front
 * from one day on.
 *
 * @example
 * ```ts
 * formatXlUptime(3725); // "1:02:05"
 * ```
 */
export function formatXlUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86_400);
  const two = (n: number): string => String(n).padStart(2, "0");
  const clock = `${Math.floor((s % 86_400) / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return days > 0 ? `${days} day${days === 1 ? "" : "s"}, ${clock}` : clock;
}

/**
 * Format domains like `xl list`: `Name ID Mem VCPUs State Time(s)`, memory
 * in MiB, one domain per line, sorted by id; v8r adds the `Uptime` of `xl
 * uptime` as a last column.
 *
 * @example
 * ```ts
 * formatXlList([{ name: "zephyr", domid: 1, memKiB: 16384, vcpus: 1, state: "running", cpuTimeS: 2.5, uptimeS: 61 }]);
 * ```
 */
export function formatXlList(domains: readonly DomainInfo[]): string {
  const row = (name: string, id: string, mem: string, vcpus: string, state: string, time: string, uptime: string): string =>
    `${name.padEnd(40)}${id.padStart(5)}${mem.padStart(6)}${vcpus.padStart(6)}     ${state.padEnd(6)}${time.padStart(11)}  ${uptime.padStart(16)}`;
  const lines = [row("Name", "ID", "Mem", "VCPUs", "State", "Time(s)", "Uptime")];
  for (const d of [...domains].sort((a, b) => a.domid - b.domid)) {
    const uptime = d.uptimeS === undefined ? "-" : formatXlUptime(d.uptimeS);
    lines.push(
      row(d.name, String(d.domid), String(Math.floor(d.memKiB / 1024)), String(d.vcpus), xlStateFlags(d.state), d.cpuTimeS.toFixed(1), uptime),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Whether `value` looks like a {@link DomainInfo} (for data read from a socket). */
export function isDomainInfo(value: unknown): value is DomainInfo {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === "string" &&
    typeof v.domid === "number" &&
    typeof v.memKiB === "number" &&
    typeof v.vcpus === "number" &&
    typeof v.cpuTimeS === "number" &&
    FLAG_ORDER.includes(v.state as DomainState)
  );
}
