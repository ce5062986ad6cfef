/**
 * The `--faults` chaos syntax, read and written through the registry of
 * fault kinds of `@v8r/xen-dom0less` (`FAULT_KINDS`): this module knows only
 * the item shapes, each kind reads its own arguments.
 *
 * ```
 * SPEC  := ITEM ( "," ITEM )*
 * ITEM  := KIND "=" ARG ( ":" ARG )*             a send-path fault (drop=P, delay=P:TIME, dup=P)
 *        | KIND ( ":" ARG )* "@" TIME            a timed fault (corrupt, crash:DOMAIN, restart:DOMAIN)
 * P     := a probability 0..1 (0.3) or a percentage (30%)
 * TIME  := 500ms | 12s | 2m | 1h | 1m30s
 * ```
 *
 * The kinds, their syntax and help lines are listed by {@link faultSpecHelp}.
 * Example: `drop=0.3,delay=0.1:5ms,dup=0.05,corrupt@12s,crash:zephyr@20s,restart:linux@40s`.
 * Randomness comes from `--seed`, so a plan plus a seed replays exactly.
 *
 * @module
 */
import { type AnyFaultKind, FAULT_KINDS, type Fault, type FaultPlan, type FaultSpecItem, faultKind } from "@v8r/xen-dom0less";
import { DurationError, formatDuration, parseDuration } from "./duration.ts";

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

const KIND_NAMES = (FAULT_KINDS as readonly AnyFaultKind[]).flatMap((k) => [k.name, ...k.aliases]);
const SEND_NAMES = (FAULT_KINDS as readonly AnyFaultKind[]).filter((k) => k.when === "send").map((k) => k.aliases[0] ?? k.name);
const TIMED_NAMES = (FAULT_KINDS as readonly AnyFaultKind[]).filter((k) => k.when === "timed").map((k) => k.name);

/**
 * Read a `--faults` spec (syntax in this module's documentation) into a plan
 * without a seed: send-path faults first, in the order given, then timed
 * faults by time.
 *
 * @throws FaultSpecError naming the bad item
 * @example
 * ```ts
 * const plan = parseFaultSpec("drop=30%,crash:zephyr@20s");
 * plan.faults; // [{ kind: "drop", probability: 0.3 }, { kind: "crash", domain: "zephyr", atMs: 20000 }]
 * ```
 */
export function parseFaultSpec(spec: string): FaultPlan {
  const tokens = spec.split(",").map((t) => t.trim());
  if (tokens.length === 1 && tokens[0] === "") {
    throw new FaultSpecError(spec, "the spec is empty (e.g. drop=0.3,crash:zephyr@20s)");
  }
  const sends: Fault[] = [];
  const timed: Fault[] = [];
  for (const token of tokens) {
    if (token === "") throw new FaultSpecError(token, "empty item (two commas in a row?)");
    const fault = parseItem(token);
    if (!("atMs" in fault)) {
      if (sends.some((f) => f.kind === fault.kind)) throw new FaultSpecError(token, `${fault.kind} is given twice`);
      sends.push(fault);
    } else {
      timed.push(fault);
    }
  }
  timed.sort((a, b) => ("atMs" in a ? a.atMs : 0) - ("atMs" in b ? b.atMs : 0));
  return { faults: [...sends, ...timed] };
}

function parseItem(token: string): Fault {
  const eq = token.indexOf("=");
  if (eq >= 0) {
    const name = token.slice(0, eq);
    const kind = faultKind(name);
    if (kind?.when !== "send") throw new FaultSpecError(token, `unknown fault "${name}" (use ${KIND_NAMES.join(", ")})`);
    return kind.parse(item(token, token.slice(eq + 1).split(":"), 0)) as Fault;
  }
  const at = token.lastIndexOf("@");
  if (at < 0) {
    throw new FaultSpecError(token, `expected KIND=P (${SEND_NAMES.join(", ")}) or KIND[:ARGS]@TIME (${TIMED_NAMES.join(", ")})`);
  }
  const atMs = readTime(token, token.slice(at + 1));
  const [name = "", ...args] = token.slice(0, at).split(":");
  const kind = faultKind(name);
  if (kind?.when !== "timed") throw new FaultSpecError(token, `unknown timed fault "${name}" (use ${TIMED_NAMES.join(", ")})`);
  return kind.parse(item(token, args, atMs)) as Fault;
}

function item(token: string, args: readonly string[], atMs: number): FaultSpecItem {
  return {
    token,
    args,
    atMs,
    probability: (text) => readProbability(token, text),
    duration: (text) => readTime(token, text),
    fail: (reason) => {
      throw new FaultSpecError(token, reason);
    },
  };
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
 * Write a plan back in the `--faults` syntax (send-path faults first, then
 * timed faults by time), e.g. for a run summary.
 *
 * @example
 * ```ts
 * formatFaultSpec(parseFaultSpec("crash:zephyr@20s,dup=5%")); // "dup=0.05,crash:zephyr@20s"
 * ```
 */
export function formatFaultSpec(plan: FaultPlan): string {
  const writer = { duration: formatDuration };
  const sends: string[] = [];
  const timed: { atMs: number; text: string }[] = [];
  for (const f of plan.faults) {
    const kind = faultKind(f.kind);
    if (kind === undefined) throw new TypeError(`[v8r-demo] writing a fault plan: "${f.kind}" is not a known fault kind`);
    const text = kind.format(f as never, writer);
    if ("atMs" in f) timed.push({ atMs: f.atMs, text: `${text}@${formatDuration(f.atMs)}` });
    else sends.push(text);
  }
  timed.sort((a, b) => a.atMs - b.atMs);
  return [...sends, ...timed.map((t) => t.text)].join(",");
}

/**
 * The lines of the FAULTS section of `--help`: one per kind of the registry,
 * `SYNTAX  help`, continuation lines indented under the help.
 *
 * @example
 * ```ts
 * faultSpecHelp()[0]?.startsWith("drop=P "); // true
 * ```
 */
export function faultSpecHelp(): string[] {
  const kinds = FAULT_KINDS as readonly AnyFaultKind[];
  const width = Math.max(...kinds.map((k) => k.syntax.length)) + 2;
  return kinds.flatMap((k) => {
    const [first = "", ...rest] = k.help.split("\n");
    return [`${k.syntax.padEnd(width)}${first}`, ...rest.map((l) => `${" ".repeat(width)}${l}`)];
  });
}
