/**
 * The `--faults` chaos syntax: which event deliveries to drop, delay or
 * duplicate, when to corrupt shared memory, and when to crash or restart a
 * domain.
 *
 * ```
 * SPEC  := ITEM ( "," ITEM )*
 * ITEM  := drop=P                        drop each event delivery with probability P
 *        | delay=P:DURATION              delay a delivery by DURATION with probability P
 *        | dup=P | duplicate=P           deliver an event twice with probability P
 *        | corrupt[:REGION[:BYTES]]@TIME write BYTES random bytes (default: chosen
 *                                        by the run) into shm REGION (default: every
 *                                        region) at simulated TIME
 *        | crash:DOMAIN@TIME             crash DOMAIN at TIME (it stays down)
 *        | restart:DOMAIN@TIME           restart DOMAIN at TIME
 * P     := a probability 0..1 (0.3) or a percentage (30%)
 * TIME, DURATION := 500ms | 12s | 2m | 1h | 1m30s
 * ```
 *
 * Example: `drop=0.3,delay=0.1:5ms,dup=0.05,corrupt@12s,crash:zephyr@20s,restart:linux@40s`.
 * Randomness comes from `--seed`, so a plan plus a seed replays exactly.
 *
 * @module
 */
import { DurationError, formatDuration, parseDuration } from "./duration.ts";

/** Shared-memory corruption at a point in time. */
export interface CorruptFault {
  /** When, in ms since the start of the run. */
  readonly atMs: number;
  /** The static shm id (`xen,shm-id`) to corrupt; every region when absent. */
  readonly region?: string;
  /** How many random bytes to write; the run chooses when absent. */
  readonly bytes?: number;
}

/** A domain crash or restart at a point in time. */
export interface DomainFault {
  /** The domain's name, as in the device tree (`zephyr`, `linux`). */
  readonly domain: string;
  /** When, in ms since the start of the run. */
  readonly atMs: number;
}

/** A parsed `--faults` plan; the timed lists are sorted by `atMs`. */
export interface FaultPlan {
  /** Probability of dropping an event delivery. */
  readonly drop?: number;
  /** Probability and length of a delivery delay. */
  readonly delay?: { readonly p: number; readonly ms: number };
  /** Probability of delivering an event twice. */
  readonly duplicate?: number;
  /** Shared-memory corruptions. */
  readonly corrupt: readonly CorruptFault[];
  /** Domain crashes. */
  readonly crash: readonly DomainFault[];
  /** Domain restarts. */
  readonly restart: readonly DomainFault[];
}

/** Error thrown by {@link parseFaultSpec}; `token` is the part that was wrong. */
export class FaultSpecError extends Error {
  /** Stable code callers can test for. */
  readonly code = "V8R_DEMO_FAULT_SPEC" as const;
  /** The comma-separated item that could not be read. */
  readonly token: string;
  /** Build an error for `token`; `reason` says what was wrong. */
  constructor(token: string, reason: string, options?: { cause?: unknown }) {
    super(`[v8r-demo] reading the fault item "${token}": ${reason}`, options);
    this.name = "FaultSpecError";
    this.token = token;
  }
}

/** Largest number of bytes one `corrupt` item may write. */
export const MAX_CORRUPT_BYTES = 65_536;

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

interface MutablePlan {
  drop?: number;
  delay?: { p: number; ms: number };
  duplicate?: number;
  corrupt: CorruptFault[];
  crash: DomainFault[];
  restart: DomainFault[];
}

/**
 * Read a `--faults` spec (syntax in this module's documentation).
 *
 * @throws FaultSpecError naming the bad item
 * @example
 * ```ts
 * const plan = parseFaultSpec("drop=30%,crash:zephyr@20s");
 * plan.drop; // 0.3
 * plan.crash; // [{ domain: "zephyr", atMs: 20000 }]
 * ```
 */
export function parseFaultSpec(spec: string): FaultPlan {
  const plan: MutablePlan = { corrupt: [], crash: [], restart: [] };
  const tokens = spec.split(",").map((t) => t.trim());
  if (tokens.length === 1 && tokens[0] === "") {
    throw new FaultSpecError(spec, "the spec is empty (e.g. drop=0.3,crash:zephyr@20s)");
  }
  for (const token of tokens) {
    if (token === "") throw new FaultSpecError(token, "empty item (two commas in a row?)");
    parseItem(token, plan);
  }
  const byTime = (a: { atMs: number }, b: { atMs: number }): number => a.atMs - b.atMs;
  plan.corrupt.sort(byTime);
  plan.crash.sort(byTime);
  plan.restart.sort(byTime);
  return plan;
}

function parseItem(token: string, plan: MutablePlan): void {
  const eq = token.indexOf("=");
  if (eq >= 0) {
    parseRate(token, token.slice(0, eq), token.slice(eq + 1), plan);
    return;
  }
  const at = token.lastIndexOf("@");
  if (at < 0) {
    throw new FaultSpecError(token, "expected KIND=P (drop, delay, dup) or KIND[:ARGS]@TIME (corrupt, crash, restart)");
  }
  const atMs = readTime(token, token.slice(at + 1));
  const [kind = "", ...args] = token.slice(0, at).split(":");
  switch (kind) {
    case "corrupt":
      plan.corrupt.push(readCorrupt(token, args, atMs));
      return;
    case "crash":
    case "restart":
      if (args.length !== 1 || !NAME.test(args[0] ?? "")) {
        throw new FaultSpecError(token, `${kind} needs one domain name: ${kind}:DOMAIN@TIME`);
      }
      plan[kind].push({ domain: args[0] as string, atMs });
      return;
    default:
      throw new FaultSpecError(token, `unknown timed fault "${kind}" (use corrupt, crash or restart)`);
  }
}

function parseRate(token: string, key: string, value: string, plan: MutablePlan): void {
  const field = key === "dup" ? "duplicate" : key;
  if (field !== "drop" && field !== "delay" && field !== "duplicate") {
    throw new FaultSpecError(token, `unknown fault "${key}" (use drop, delay, dup, corrupt, crash or restart)`);
  }
  if (plan[field] !== undefined) throw new FaultSpecError(token, `${field} is given twice`);
  if (field === "delay") {
    const colon = value.indexOf(":");
    if (colon < 0) throw new FaultSpecError(token, "delay needs a probability and a length: delay=P:DURATION");
    const ms = readTime(token, value.slice(colon + 1));
    if (ms <= 0) throw new FaultSpecError(token, "the delay must be longer than 0ms");
    plan.delay = { p: readProbability(token, value.slice(0, colon)), ms };
    return;
  }
  plan[field] = readProbability(token, value);
}

function readCorrupt(token: string, args: string[], atMs: number): CorruptFault {
  if (args.length > 2) throw new FaultSpecError(token, "expected corrupt[:REGION[:BYTES]]@TIME");
  const [region, bytesText] = args;
  if (region !== undefined && (!NAME.test(region) || new TextEncoder().encode(region).length > 15)) {
    throw new FaultSpecError(token, `"${region}" is not a shm id (1 to 15 characters: letters, digits, _ . -)`);
  }
  if (bytesText === undefined) return region === undefined ? { atMs } : { atMs, region };
  const bytes = /^\d+$/.test(bytesText) ? Number(bytesText) : Number.NaN;
  if (!(bytes >= 1 && bytes <= MAX_CORRUPT_BYTES)) {
    throw new FaultSpecError(token, `the byte count "${bytesText}" must be a whole number from 1 to ${MAX_CORRUPT_BYTES}`);
  }
  return { atMs, region: region as string, bytes };
}

function readProbability(token: string, text: string): number {
  const percent = text.endsWith("%");
  const body = percent ? text.slice(0, -1) : text;
  const n = /^\d+(\.\d+)?$|^\.\d+$/.test(body) ? Number(body) / (percent ? 100 : 1) : Number.NaN;
  if (!(n >= 0 && n <= 1)) {
    throw new FaultSpecError(token, `"${text}" is not a probability (0 to 1, or 0% to 100%)`);
  }
  return n;
}

function readTime(token: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    if (err instanceof DurationError) {
      throw new FaultSpecError(token, `"${text}" is not a time (e.g. 500ms, 12s, 2m, 1h)`, { cause: err });
    }
    throw err;
  }
}

/**
 * Write a plan back in the `--faults` syntax (rates first, then timed
 * faults by time), e.g. for a run summary.
 *
 * @example
 * ```ts
 * formatFaultSpec(parseFaultSpec("crash:zephyr@20s,dup=5%")); // "dup=0.05,crash:zephyr@20s"
 * ```
 */
export function formatFaultSpec(plan: FaultPlan): string {
  const items: string[] = [];
  if (plan.drop !== undefined) items.push(`drop=${plan.drop}`);
  if (plan.delay !== undefined) items.push(`delay=${plan.delay.p}:${formatDuration(plan.delay.ms)}`);
  if (plan.duplicate !== undefined) items.push(`dup=${plan.duplicate}`);
  const timed: { atMs: number; text: string }[] = [
    ...plan.corrupt.map((c) => ({
      atMs: c.atMs,
      text: `corrupt${c.region === undefined ? "" : `:${c.region}`}${c.bytes === undefined ? "" : `:${c.bytes}`}`,
    })),
    ...plan.crash.map((c) => ({ atMs: c.atMs, text: `crash:${c.domain}` })),
    ...plan.restart.map((c) => ({ atMs: c.atMs, text: `restart:${c.domain}` })),
  ];
  timed.sort((a, b) => a.atMs - b.atMs);
  for (const t of timed) items.push(`${t.text}@${formatDuration(t.atMs)}`);
  return items.join(",");
}
