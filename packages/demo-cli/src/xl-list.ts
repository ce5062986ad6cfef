/**
 * Domain information as `xl list` shows it, and its table format.
 *
 * @module
 */

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
 * Format domains like `xl list`: `Name ID Mem VCPUs State Time(s)`, memory
 * in MiB, one domain per line, sorted by id.
 *
 * @example
 * ```ts
 * formatXlList([{ name: "zephyr", domid: 1, memKiB: 16384, vcpus: 1, state: "running", cpuTimeS: 2.5 }]);
 * ```
 */
export function formatXlList(domains: readonly DomainInfo[]): string {
  const row = (name: string, id: string, mem: string, vcpus: string, state: string, time: string): string =>
    `${name.padEnd(40)}${id.padStart(5)}${mem.padStart(6)}${vcpus.padStart(6)}     ${state.padEnd(6)}${time.padStart(11)}`;
  const lines = [row("Name", "ID", "Mem", "VCPUs", "State", "Time(s)")];
  for (const d of [...domains].sort((a, b) => a.domid - b.domid)) {
    lines.push(
      row(d.name, String(d.domid), String(Math.floor(d.memKiB / 1024)), String(d.vcpus), xlStateFlags(d.state), d.cpuTimeS.toFixed(1)),
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
