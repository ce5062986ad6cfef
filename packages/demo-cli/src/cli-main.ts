/**
 * What `v8r-demo` does, with every process access passed in (so tests
 * can run it in-process): parse the command line, then help, version,
 * config, lint, xl, browser, or run the demo with orderly shutdown.
 *
 * @module
 */
import { describeError } from "@v8r/fvp-core";
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { formatBanner } from "./banner.ts";
import { runBrowser } from "./browser-serve.ts";
import { DEFAULT_CONFIG_NAME, readDefaultConfig } from "./config/default-config.ts";
import { createConsoleMux, shouldUseColor, type ConsoleMux, type TextSink } from "./console-mux.ts";
import { ControlError, runXl } from "./control-client.ts";
import { formatHelp, formatUsage } from "./help.ts";
import { formatLintReport, lintConfigFile, lintExitCode } from "./lint-config.ts";
import { parseOptions, type DemoCommand, type DemoOptions } from "./options.ts";
import { applyApps, runDemo as defaultRunDemo, type ConsoleInput, type DemoConfig, type DemoIo, type RunningDemo } from "./run-demo.ts";
import { createShutdown, type SignalSource } from "./shutdown.ts";
import { type StallWatchdog, startStallWatchdog } from "./_stall-watchdog.ts";
import { USAGE_EXIT_CODE, UsageError } from "./usage-error.ts";
import { packageVersion } from "./version.ts";
import { attachXlConsole } from "./xl-console.ts";

/** An output stream of the CLI. */
export interface CliStream extends TextSink {
  /** Whether it is a terminal (colours, progress lines). */
  readonly isTTY?: boolean;
}

/** Everything the CLI needs from its process. */
export interface CliIo {
  /** Standard output. */
  readonly stdout: CliStream;
  /** Standard error. */
  readonly stderr: CliStream;
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** SIGINT/SIGTERM source (the process). */
  readonly signals?: SignalSource;
  /** Standard input: in real-time runs its lines go to the Linux console. */
  readonly stdin?: ConsoleInput;
  /** Boots the demo; default {@link defaultRunDemo} (replace it in tests). */
  readonly runDemo?: (options: DemoOptions, io: DemoIo) => Promise<RunningDemo>;
}

/** Exit codes of v8r-demo. */
export const EXIT_CODES = { ok: 0, failure: 1, usage: USAGE_EXIT_CODE } as const;

/**
 * Run `v8r-demo` with `argv` (without node and the script) and resolve
 * with the exit code. A real-time run resolves when it has shut down
 * after Ctrl-C/SIGTERM (or with 1 at once on a second signal).
 *
 * @example
 * ```ts
 * process.exit(await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signals: process }));
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: DemoOptions;
  try {
    options = parseOptions(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`${err.message}\n${formatUsage()}see v8r-demo --help for every option\n`);
    return EXIT_CODES.usage;
  }
  try {
    return await runCommand(options, options.command, io);
  } catch (err) {
    io.stderr.write(`${describeError(err).error}\n`);
    return err instanceof UsageError ? EXIT_CODES.usage : EXIT_CODES.failure;
  }
}

async function runCommand(options: DemoOptions, command: DemoCommand, io: CliIo): Promise<number> {
  switch (command.name) {
    case "help":
      io.stdout.write(formatHelp());
      return EXIT_CODES.ok;
    case "version":
      io.stdout.write(`v8r-demo ${packageVersion()}\n`);
      return EXIT_CODES.ok;
    case "config":
      return printConfig(command.file, io);
    case "lint":
      return lint(command.file, options, io);
    case "xl":
      return xl(command, io);
    case "browser":
      return browser(options, io);
    case "run":
      return runDemoCommand(options, io);
  }
}

/** `v8r-demo browser`: `--app` mistakes are usage errors, found before serving (the page boots the bundled device tree). */
async function browser(options: DemoOptions, io: CliIo): Promise<number> {
  const config = await loadConfigWithApps(options, io, undefined);
  if (typeof config === "number") return config;
  return runBrowser({ port: options.port, host: options.host, apps: options.apps.map((a) => ({ domain: a.domain, file: resolve(a.file) })) }, io);
}

async function printConfig(file: string | undefined, io: CliIo): Promise<number> {
  const text = await readDefaultConfig();
  if (file === undefined) {
    io.stdout.write(text);
    return EXIT_CODES.ok;
  }
  try {
    await writeFile(file, text, { flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    io.stderr.write(`[v8r-demo] writing ${file}: it exists already; remove it or pick another name\n`);
    return EXIT_CODES.failure;
  }
  io.stderr.write(`[v8r-demo] wrote ${file}; check it with: v8r-demo lint ${file}\n`);
  return EXIT_CODES.ok;
}

async function lint(file: string, options: DemoOptions, io: CliIo): Promise<number> {
  let report;
  try {
    report = await lintConfigFile(file);
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n`);
    return EXIT_CODES.usage;
  }
  io.stdout.write(await formatLintReport(report, options.logFormat));
  return lintExitCode(report);
}

async function xl(command: Extract<DemoCommand, { name: "xl" }>, io: CliIo): Promise<number> {
  try {
    const { demo } = command;
    if (command.action === "list") io.stdout.write(await runXl({ action: "list", demo }, { env: io.env }));
    // The demo reads a fragment itself: give it the path from here.
    else if ("file" in command) io.stdout.write(await runXl({ action: "create", file: resolve(command.file), demo }, { env: io.env }));
    else if (command.action === "console") await xlConsole(command.domain, demo, io);
    else io.stdout.write(await runXl({ action: command.action, domain: command.domain, demo }, { env: io.env }));
    return EXIT_CODES.ok;
  } catch (err) {
    if (!(err instanceof ControlError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return EXIT_CODES.failure;
  }
}

/** `xl console`: attached until Ctrl-], the domain's end, or (input not a terminal) SIGINT/SIGTERM. */
async function xlConsole(domain: string, demo: number | undefined, io: CliIo): Promise<void> {
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  io.signals?.on("SIGINT", stop);
  io.signals?.on("SIGTERM", stop);
  try {
    const stdin = io.stdin === undefined ? {} : { stdin: io.stdin };
    await attachXlConsole(domain, demo, { stdout: io.stdout, stderr: io.stderr, signal: abort.signal, ...stdin }, { env: io.env });
  } finally {
    io.signals?.removeListener("SIGINT", stop);
    io.signals?.removeListener("SIGTERM", stop);
  }
}

/** Read (and lint, when it is the user's) the device tree; a number is an exit code. */
async function loadConfig(options: DemoOptions, io: CliIo): Promise<DemoConfig | number> {
  if (options.config === undefined) {
    const bytes = new TextEncoder().encode(await readDefaultConfig());
    return { file: DEFAULT_CONFIG_NAME, bytes, bundled: true };
  }
  const report = await lintConfigFile(options.config);
  if (report.errors > 0) {
    io.stderr.write(await formatLintReport(report, options.logFormat));
    io.stderr.write(`[v8r-demo] not booting ${options.config}: fix the errors above (check with: v8r-demo lint ${options.config})\n`);
    return EXIT_CODES.usage;
  }
  return { file: options.config, bytes: report.bytes, bundled: false, ...(report.config === undefined ? {} : { loaded: report.config }) };
}

/** {@link loadConfig}, then the `--app`/`--apps` choices: their mistakes are usage errors, found before anything starts. */
async function loadConfigWithApps(options: DemoOptions, io: CliIo, appSet: DemoOptions["appSet"] | undefined): Promise<DemoConfig | number> {
  const config = await loadConfig(options, io);
  if (typeof config === "number") return config;
  try {
    await applyApps(options.apps, config, appSet);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return EXIT_CODES.usage;
  }
  return config;
}

async function runDemoCommand(options: DemoOptions, io: CliIo): Promise<number> {
  const config = await loadConfigWithApps(options, io, options.appSet);
  if (typeof config === "number") return config;
  const stall = options.stallTimeoutMs > 0 ? startStallWatchdog({ stallMs: options.stallTimeoutMs, warn: (line) => io.stderr.write(`${line}\n`) }) : undefined;
  try {
    return await runStarted(options, config, io, stall);
  } finally {
    stall?.close();
  }
}

async function runStarted(options: DemoOptions, config: DemoConfig, io: CliIo, stall: StallWatchdog | undefined): Promise<number> {
  const mux = createConsoleMux({
    out: io.stdout,
    color: shouldUseColor({ isTTY: io.stdout.isTTY === true, env: { ...io.env } }),
    format: options.logFormat,
    // With telnet consoles the guests' lines go to their ports, not stdout.
    quiet: options.quiet || options.consoles === "telnet",
    interactive: io.stdout.isTTY === true,
  });
  let settle: (code: number) => void = () => {};
  const ended = new Promise<number>((resolve) => (settle = resolve));
  const shutdown = createShutdown({ signals: io.signals, exit: settle, log: (line, level) => mux.line("v8r", line, level), onStop: () => stall?.stopping() });
  shutdown.add("flush consoles", () => mux.flush());
  const progress = io.stderr.isTTY === true ? (line: string) => io.stderr.write(`\r${line}\x1b[K`) : () => {};
  shutdown.add("clear progress line", () => progress(""));
  let demo: RunningDemo;
  let announced = false;
  const announce = (d: RunningDemo): void => {
    if (announced) return;
    announced = true;
    printBanner(options, config, d, mux, io);
  };
  try {
    const extra = { ...(io.stdin === undefined ? {} : { input: io.stdin }), ...(stall === undefined ? {} : { stall }) };
    const starting = (io.runDemo ?? defaultRunDemo)(options, { console: mux, shutdown, config, env: io.env, progress, timing: (line) => io.stderr.write(`${line}\n`), announce, ...extra });
    // Ctrl-C or SIGTERM during start-up ends the run once the shutdown hooks ran, even if a start-up step never returns
    const first = await Promise.race([starting.then((d) => ({ demo: d })), ended.then((code) => ({ code }))]);
    if ("code" in first) {
      starting.catch(() => undefined);
      shutdown.dispose();
      return first.code;
    }
    demo = first.demo;
  } catch (err) {
    mux.line("v8r", describeError(err).error, "error");
    await shutdown.run("start-up failed");
    shutdown.dispose();
    return err instanceof UsageError ? EXIT_CODES.usage : EXIT_CODES.failure;
  }
  announce(demo);
  if (demo.finished !== undefined) {
    void demo.finished.then(
      // the run's own verdict first (a hook's code, e.g. the programs' failures at a stop, only where it is 0)
      async (code) => {
        const hooks = await shutdown.run("run complete");
        settle(code !== 0 ? code : hooks);
      },
      async (err: unknown) => {
        mux.line("v8r", describeError(err).error, "error");
        await shutdown.run("run failed");
        settle(EXIT_CODES.failure);
      },
    );
  }
  const code = await ended;
  shutdown.dispose();
  return code;
}

function printBanner(options: DemoOptions, config: DemoConfig, demo: RunningDemo, mux: ConsoleMux, io: CliIo): void {
  const mode = options.virtualTime ? "inline, simulated time" : options.inline ? "inline, one thread" : "one Worker per domain";
  const text = formatBanner({
    version: packageVersion(),
    ...(demo.statusUrl === undefined ? {} : { statusUrl: demo.statusUrl }),
    ...(demo.dashboardUrl === undefined ? {} : { dashboardUrl: demo.dashboardUrl }),
    ...(demo.serverHint === undefined ? {} : { serverHint: demo.serverHint }),
    ...(demo.inputDomain === undefined ? {} : { inputDomain: demo.inputDomain }),
    rootfs: demo.rootfs,
    consoles: demo.consoles,
    config: config.bundled ? `bundled ${config.file}` : config.file,
    mode,
    finite: demo.finished !== undefined,
  });
  if (options.logFormat === "json") mux.line("v8r", text);
  else io.stdout.write(text);
}
