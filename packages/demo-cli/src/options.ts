/**
 * The command-line parser of `v8r-demo`: argv in, typed {@link DemoOptions}
 * out, or a {@link UsageError}. Pure: no process access.
 *
 * @module
 */
import { PERIOD_RANGE_MS } from "../apps/rpmsg-demo/protocol/mod.ts";
import { closestOption, findOption, type OptionSpec } from "./_option-table.ts";
import { DurationError, formatDuration, parseDuration } from "./duration.ts";
import type { FaultPlan } from "@v8r/xen-dom0less";
import type { AppOption } from "./_demo-apps.ts";
import { FaultSpecError, parseFaultSpec } from "./fault-spec.ts";
import { UsageError } from "./usage-error.ts";

/** Who serves the status page. */
export const ServerKind = { builtin: "builtin", nginx: "nginx", docker: "docker", none: "none" } as const;
/** One of {@link ServerKind}. */
export type ServerKind = (typeof ServerKind)[keyof typeof ServerKind];

/** Which demo apps run: the TypeScript ones or their C twins. */
export const AppSet = { ts: "ts", c: "c" } as const;
/** One of {@link AppSet}. */
export type AppSet = (typeof AppSet)[keyof typeof AppSet];

/** Where guest consoles go. */
export const ConsoleMode = { stdout: "stdout", telnet: "telnet" } as const;
/** One of {@link ConsoleMode}. */
export type ConsoleMode = (typeof ConsoleMode)[keyof typeof ConsoleMode];

/** How log lines are written. */
export const LogFormat = { text: "text", json: "json" } as const;
/** One of {@link LogFormat}. */
export type LogFormat = (typeof LogFormat)[keyof typeof LogFormat];

/** What the command line asks for. */
export type DemoCommand =
  | { readonly name: "run" }
  | { readonly name: "help" }
  | { readonly name: "version" }
  | { readonly name: "lint"; readonly file: string }
  | { readonly name: "xl"; readonly action: "list"; readonly demo?: number }
  | { readonly name: "xl"; readonly action: XlDomainAction; readonly domain: string; readonly demo?: number }
  | { readonly name: "xl"; readonly action: "create"; readonly file: string; readonly demo?: number }
  | { readonly name: "config"; readonly file: string | undefined }
  | { readonly name: "browser" };

/** The `xl` subcommands that name one domain: `xl ACTION DOMAIN`. */
export const XL_DOMAIN_ACTIONS = ["destroy", "restart", "shutdown", "reboot", "pause", "unpause", "create", "console"] as const;
/** One of {@link XL_DOMAIN_ACTIONS}. */
export type XlDomainAction = (typeof XL_DOMAIN_ACTIONS)[number];

/** The parsed command line. Fields not given are `undefined` or the default. */
export interface DemoOptions {
  /** The subcommand (`run` when none is given). */
  readonly command: DemoCommand;
  /** Web server port (default 8080; 0 = any free port). */
  readonly port: number;
  /** Web server listen address (default 127.0.0.1). */
  readonly host: string;
  /** Zephyr's sampling period in ms, when overridden. */
  readonly periodMs: number | undefined;
  /** Path of the device tree to boot, when not the bundled one. */
  readonly config: string | undefined;
  /** Who serves the status page (default builtin). */
  readonly server: ServerKind;
  /** The nginx binary for `--server nginx`, when given. */
  readonly nginx: string | undefined;
  /** Whether the built-in web server collects garbage once a burst of requests is over (false with --no-idle-gc). */
  readonly idleGc: boolean;
  /** Directory of the Linux root filesystem, when given. */
  readonly rootfs: string | undefined;
  /** Which demo apps run (`--apps`, default ts). */
  readonly appSet: AppSet;
  /** WASI programs to run instead of the demo apps (`--app DOMAIN=FILE.wasm`), in order. */
  readonly apps: readonly AppOption[];
  /** Whether the demo apps start by themselves (false with --no-autorun). */
  readonly autorun: boolean;
  /** Every domain in one thread (also implied by --virtual-time). */
  readonly inline: boolean;
  /** Run on simulated time as fast as possible. */
  readonly virtualTime: boolean;
  /** Simulated run length in ms (with virtualTime). */
  readonly durationMs: number | undefined;
  /** Longest time the simulation thread may make no progress before the stall watchdog ends the process, ms; 0: off. */
  readonly stallTimeoutMs: number;
  /** Seed of every random choice, when given. */
  readonly seed: number | undefined;
  /** The fault plan, when --faults is given. */
  readonly faults: FaultPlan | undefined;
  /** Where guest consoles go (default stdout). */
  readonly consoles: ConsoleMode;
  /** Only v8r-demo's own lines and errors. */
  readonly quiet: boolean;
  /** Log line format (default text). */
  readonly logFormat: LogFormat;
}

/** Default of `--stall-timeout`, ms: far above any legitimate stretch of one event-loop turn, even on a loaded machine. */
export const DEFAULT_STALL_TIMEOUT_MS = 20_000;

/** The defaults of every option. */
export const DEFAULT_OPTIONS: DemoOptions = {
  command: { name: "run" },
  port: 8080,
  host: "127.0.0.1",
  periodMs: undefined,
  config: undefined,
  server: "builtin",
  nginx: undefined,
  idleGc: true,
  rootfs: undefined,
  appSet: "ts",
  apps: [],
  autorun: true,
  inline: false,
  virtualTime: false,
  durationMs: undefined,
  stallTimeoutMs: DEFAULT_STALL_TIMEOUT_MS,
  seed: undefined,
  faults: undefined,
  consoles: "stdout",
  quiet: false,
  logFormat: "text",
};

export { PERIOD_RANGE_MS };

type Given = Map<string, string | true>;
/** Every value of each repeatable option, in order. */
type Repeated = Map<string, string[]>;

/**
 * Parse the arguments after the program name.
 *
 * @param argv e.g. `process.argv.slice(2)`
 * @throws UsageError with a one-line reason for any bad input
 * @example
 * ```ts
 * const o = parseOptions(["--port", "9000", "--inline"]);
 * o.port; // 9000
 * parseOptions(["xl", "destroy", "zephyr"]).command; // { name: "xl", action: "destroy", domain: "zephyr" }
 * ```
 */
export function parseOptions(argv: readonly string[]): DemoOptions {
  const { given, repeated, positionals } = tokenize(argv);
  if (given.has("help")) return { ...DEFAULT_OPTIONS, command: { name: "help" } };
  if (given.has("version")) return { ...DEFAULT_OPTIONS, command: { name: "version" } };
  const command = withDemo(readCommand(positionals), given);
  if (given.has("demo") && command.name !== "xl") throw new UsageError(`--demo only applies to xl, not to "${command.name}"`);
  if (command.name !== "run") {
    for (const name of given.keys()) {
      const scope = findOption(name, false)?.scope;
      if (scope === "run" || (scope === "serve" && command.name !== "browser")) {
        throw new UsageError(`--${name} only applies when running the demo${scope === "serve" ? " or browser" : ""}, not to "${command.name}"`);
      }
    }
  }
  return checkCombination({ ...readValues(given, repeated), command });
}

function tokenize(argv: readonly string[]): { given: Given; repeated: Repeated; positionals: string[] } {
  const given: Given = new Map();
  const repeated: Repeated = new Map();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const isShort = !arg.startsWith("--");
    const eq = arg.indexOf("=");
    const name = arg.slice(isShort ? 1 : 2, eq < 0 ? undefined : eq);
    const spec = findOption(name, isShort);
    if (spec === undefined) throw unknownOption(arg, name, isShort);
    if (given.has(spec.name) && spec.repeatable === undefined) throw new UsageError(`--${spec.name} is given twice`);
    if (spec.value === undefined) {
      if (eq >= 0) throw new UsageError(`--${spec.name} takes no value (got "${arg}")`);
      given.set(spec.name, true);
    } else if (eq >= 0) {
      given.set(spec.name, arg.slice(eq + 1));
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("-") && next !== "-")) {
        throw new UsageError(`--${spec.name} needs a value ${spec.value}, e.g. ${exampleValue(spec)}`);
      }
      given.set(spec.name, next);
      i++;
    }
    const value = given.get(spec.name);
    if (spec.repeatable !== undefined && typeof value === "string") repeated.set(spec.name, [...(repeated.get(spec.name) ?? []), value]);
  }
  return { given, repeated, positionals };
}

function unknownOption(arg: string, name: string, isShort: boolean): UsageError {
  const guess = isShort ? undefined : closestOption(name);
  return new UsageError(`unknown option ${arg}${guess === undefined ? "" : ` (did you mean --${guess}?)`}`);
}

function exampleValue(spec: OptionSpec): string {
  return spec.example.split(` --${spec.name} `)[1] ?? spec.value ?? "";
}

function readCommand(positionals: readonly string[]): DemoCommand {
  const [name, ...rest] = positionals;
  const extra = (max: number): void => {
    if (rest.length > max) throw new UsageError(`unexpected argument "${rest[max]}" after "${name}"`);
  };
  switch (name) {
    case undefined:
    case "run":
      extra(0);
      return { name: "run" };
    case "lint":
      if (rest[0] === undefined) throw new UsageError("lint needs a file: v8r-demo lint my.dts");
      extra(1);
      return { name: "lint", file: rest[0] };
    case "config":
      extra(1);
      return { name: "config", file: rest[0] };
    case "xl":
      return readXl(rest);
    case "browser":
      extra(0);
      return { name: "browser" };
    default:
      throw new UsageError(`unknown command "${name}" (commands: run, browser, lint FILE, xl list|${XL_DOMAIN_ACTIONS.join("|")} DOMAIN, config [FILE])`);
  }
}

function readXl(rest: readonly string[]): DemoCommand {
  const [action, target, more] = rest;
  if (action === "list") {
    if (target !== undefined) throw new UsageError(`unexpected argument "${target}" after "xl list"`);
    return { name: "xl", action };
  }
  if (action !== undefined && (XL_DOMAIN_ACTIONS as readonly string[]).includes(action)) {
    const what = action === "create" ? "a domain name or a device-tree fragment (.dts/.dtb)" : "a domain name";
    if (target === undefined) throw new UsageError(`xl ${action} needs ${what}, e.g. v8r-demo xl ${action} ${action === "create" ? "zephyr" : "zephyr"}`);
    if (more !== undefined) throw new UsageError(`unexpected argument "${more}" after "xl ${action} ${target}"`);
    // `xl create my-domain.dts` (or any path) creates from a file; `xl create zephyr` builds a destroyed dom0less domain again.
    if (action === "create" && (target.includes("/") || /\.dt[sb]$/i.test(target))) return { name: "xl", action, file: target };
    return { name: "xl", action: action as XlDomainAction, domain: target };
  }
  throw new UsageError(`xl needs list or ${XL_DOMAIN_ACTIONS.join("|")} DOMAIN${action === undefined ? "" : ` (got "${action}")`}`);
}

/** An xl command with the `--demo PID` it was given. */
function withDemo(command: DemoCommand, given: Given): DemoCommand {
  const text = given.get("demo");
  if (command.name !== "xl" || typeof text !== "string") return command;
  return { ...command, demo: readInt("demo", text, 1, 0x7fff_ffff) as number };
}

type Values = Omit<DemoOptions, "command">;

function readValues(given: Given, repeated: Repeated): Values {
  const text = (name: string): string | undefined => {
    const v = given.get(name);
    return typeof v === "string" ? v : undefined;
  };
  return {
    port: readInt("port", text("port"), 0, 65_535) ?? DEFAULT_OPTIONS.port,
    host: readHost(text("host")) ?? DEFAULT_OPTIONS.host,
    periodMs: readInt("period", text("period"), PERIOD_RANGE_MS.min, PERIOD_RANGE_MS.max),
    config: readConfigPath(text("config")),
    server: readChoice("server", text("server"), ServerKind) ?? DEFAULT_OPTIONS.server,
    nginx: readNonEmpty("nginx", text("nginx")),
    idleGc: !given.has("no-idle-gc"),
    rootfs: readNonEmpty("rootfs", text("rootfs")),
    appSet: readChoice("apps", text("apps"), AppSet) ?? DEFAULT_OPTIONS.appSet,
    apps: readApps(repeated.get("app") ?? []),
    autorun: !given.has("no-autorun"),
    inline: given.has("inline") || given.has("virtual-time"),
    virtualTime: given.has("virtual-time"),
    durationMs: readDuration("duration", text("duration")),
    stallTimeoutMs: readDuration("stall-timeout", text("stall-timeout"), 1000) ?? DEFAULT_OPTIONS.stallTimeoutMs,
    seed: readInt("seed", text("seed"), 0, 0xffff_ffff),
    faults: readFaults(text("faults")),
    consoles: readChoice("consoles", text("consoles"), ConsoleMode) ?? DEFAULT_OPTIONS.consoles,
    quiet: given.has("quiet"),
    logFormat: readChoice("log-format", text("log-format"), LogFormat) ?? DEFAULT_OPTIONS.logFormat,
  };
}

function checkCombination(o: DemoOptions): DemoOptions {
  if (o.durationMs !== undefined && !o.virtualTime) {
    throw new UsageError("--duration needs --virtual-time (e.g. --virtual-time --duration 1h)");
  }
  if (o.virtualTime && o.durationMs === undefined) {
    throw new UsageError("--virtual-time needs --duration (e.g. --virtual-time --duration 1h)");
  }
  if (o.virtualTime && !o.autorun) {
    throw new UsageError("--no-autorun needs an interactive run on real time (drop --virtual-time)");
  }
  if (o.appSet === "c" && !o.autorun) {
    throw new UsageError("--no-autorun needs the TypeScript apps: the C rpmsg-remote is Linux's init and has no console commands (drop --apps c)");
  }
  if (o.nginx !== undefined && o.server !== "nginx") {
    throw new UsageError("--nginx PATH needs --server nginx");
  }
  if (o.virtualTime && o.consoles === "telnet") {
    throw new UsageError("--consoles telnet needs a run on real time (drop --virtual-time)");
  }
  return o;
}

function readInt(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : Number.NaN;
  if (!(n >= min && n <= max)) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${text}")`);
  }
  return n;
}

function readChoice<T extends Record<string, string>>(name: string, text: string | undefined, choices: T): T[keyof T] | undefined {
  if (text === undefined) return undefined;
  if (!Object.hasOwn(choices, text)) {
    throw new UsageError(`--${name} must be one of ${Object.keys(choices).join(", ")} (got "${text}")`);
  }
  return choices[text as keyof T];
}

function readNonEmpty(name: string, text: string | undefined): string | undefined {
  if (text !== undefined && text.trim() === "") throw new UsageError(`--${name} needs a non-empty value`);
  return text;
}

function readHost(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:.]+|[A-Za-z0-9.-]+)$/.test(text)) {
    throw new UsageError(`--host must be an IP address or host name (got "${text}")`);
  }
  return text.startsWith("[") ? text.slice(1, -1) : text;
}

/** `--app DOMAIN=FILE.wasm` values: a domain name, a .wasm file, each domain once. */
function readApps(values: readonly string[]): AppOption[] {
  const apps: AppOption[] = [];
  for (const v of values) {
    const eq = v.indexOf("=");
    const domain = eq < 0 ? "" : v.slice(0, eq);
    const file = eq < 0 ? "" : v.slice(eq + 1);
    if (!/^[A-Za-z0-9_.@-]+$/.test(domain) || file === "") throw new UsageError(`--app needs DOMAIN=FILE.wasm, e.g. zephyr=ping.wasm (got "${v}")`);
    if (!/\.wasm$/i.test(file)) throw new UsageError(`--app ${domain}=${file}: the program must be a .wasm file (build C with v8r-cc)`);
    if (apps.some((a) => a.domain === domain)) throw new UsageError(`--app names domain ${domain} twice`);
    apps.push({ domain, file });
  }
  return apps;
}

/** `file` when it names a .dts or .dtb (the loader tells them apart by content; the extension catches a wrong file early). */
function readConfigPath(file: string | undefined): string | undefined {
  if (file === undefined || /\.dt[sb]$/i.test(file)) return file;
  throw new UsageError(`--config needs a .dts or .dtb file (got "${file}")`);
}

/** A duration option's value in ms: longer than 0, or (`offOrMin`) 0 for off (`0` needs no unit) or at least that many ms. */
function readDuration(name: string, text: string | undefined, offOrMin?: number): number | undefined {
  if (text === undefined) return undefined;
  if (offOrMin !== undefined && text.trim() === "0") return 0;
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (err) {
    if (err instanceof DurationError) throw new UsageError(`--${name}: ${stripPrefix(err.message)}`, { cause: err });
    throw err;
  }
  if (offOrMin === undefined ? ms <= 0 : ms !== 0 && ms < offOrMin) {
    throw new UsageError(`--${name} must be ${offOrMin === undefined ? "longer than 0" : `0 (off) or at least ${formatDuration(offOrMin)}`} (got "${text}")`);
  }
  return ms;
}

function readFaults(text: string | undefined): FaultPlan | undefined {
  if (text === undefined) return undefined;
  try {
    return parseFaultSpec(text);
  } catch (err) {
    if (err instanceof FaultSpecError) throw new UsageError(`--faults: ${stripPrefix(err.message)}`, { cause: err });
    throw err;
  }
}

function stripPrefix(message: string): string {
  return message.replace(/^\[v8r-demo\] /, "");
}
