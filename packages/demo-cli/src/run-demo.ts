/**
 * Boot the whole demo: the platform, Xen dom0less with the configured
 * domains, the guest apps, the web server with the dashboard, the control
 * endpoint and the consoles. Called by the CLI for the `run` command.
 *
 * @module
 */
import { mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createPlatform, FVP_BaseR_AEMv8R, InlineExecutor, RealClock, VirtualClock } from "@v8r/fvp-core";
import { nodeWorkerExecutor } from "@v8r/fvp-core/node";
import { bootXen, type Dom0lessConfig, type Xen } from "@v8r/xen-dom0less";
import { WEB_ROOT } from "@v8r/linux-shim";
import type { ConsoleEndpoint } from "./banner.ts";
import type { ConsoleMux } from "./console-mux.ts";
import { startTelnetConsoles } from "./console-telnet.ts";
import { startControlEndpoint } from "./control-endpoint.ts";
import { DemoSession } from "./_demo-session.ts";
import { loadDemoConfig, withGuestArgs } from "./_demo-config.ts";
import { type AppOption, crashPolicies, wasiRunnerSpecifier, withApps } from "./_demo-apps.ts";
import { AppsRun, reportAppsEnd } from "./_apps-end.ts";
import { withAppSet } from "./_demo-app-set.ts";
import { UsageError } from "./usage-error.ts";
import { consoleUarts, currentImage, demoLink, domainUarts, linuxConsoleDomain } from "./_demo-layout.ts";
import { HostRequests } from "./_host-requests.ts";
import { WebHost } from "./_web-host.ts";
import { xlHandlers } from "./_xl-handlers.ts";
import { demoShmRanges, withDemoDefaults } from "./_demo-faults.ts";
import { driveVirtualTime } from "./_virtual-run.ts";
import { prepareRootfs } from "./_rootfs-prep.ts";
import { crashStuckGuests, type StallWatchdog, watchGuests } from "./_stall-watchdog.ts";
import type { AppSet, DemoOptions } from "./options.ts";
import type { Shutdown } from "./shutdown.ts";
import type { DemoPlatform, DemoTraceEvent } from "./trace-events.ts";

/** The device tree to boot, already read (and linted when it is not the bundled one). */
export interface DemoConfig {
  /** Its path, or the bundled file's name. */
  readonly file: string;
  /** Its bytes: .dts text as UTF-8, or a .dtb. */
  readonly bytes: Uint8Array;
  /** Whether it is the bundled `v8r64-virtualization.dts`. */
  readonly bundled: boolean;
  /** Its dom0less model, when the caller already linted it (then it is not parsed again). */
  readonly loaded?: Dom0lessConfig;
}

/** Bytes typed by the user (`process.stdin`), forwarded to the Linux console. */
export interface ConsoleInput {
  /** A terminal in line mode, which echoes what is typed itself. */
  readonly isTTY?: boolean;
  /** Listen for input. */
  on(event: "data", listener: (chunk: Uint8Array | string) => void): unknown;
  /** Stop listening. */
  removeListener(event: "data", listener: (chunk: Uint8Array | string) => void): unknown;
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
  /**
   * Where a `--virtual-time` run reports how long it took in wall time
   * (stderr), kept off the console so a run's output depends only on its
   * seed, configuration and fault plan. Default: not reported.
   */
  readonly timing?: (line: string) => void;
  /**
   * Called once the URLs and consoles are known, just before the guests
   * boot, so the banner comes before the consoles' output.
   */
  readonly announce?: (demo: RunningDemo) => void;
  /**
   * What the user types: in real-time runs whose consoles are on this
   * terminal, it goes to the Linux domain's console (its shell).
   */
  readonly input?: ConsoleInput;
  /** The stall watchdog, told which domain runs where and which files the run leaves. */
  readonly stall?: Pick<StallWatchdog, "watchCpus" | "leaves">;
}

/** A started demo, for the banner and the CLI's wait. */
export interface RunningDemo {
  /** URL of the status page, when served. */
  readonly statusUrl?: string;
  /** URL of the dashboard, when served. */
  readonly dashboardUrl?: string;
  /** How to start the web server when it does not start at boot (`--no-autorun`). */
  readonly serverHint?: string;
  /** The domain whose console gets what the user types, when input is forwarded. */
  readonly inputDomain?: string;
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

/** Where the Linux guest keeps the status page, inside its root filesystem. */
export const STATUS_DIR = WEB_ROOT.slice(1);

/**
 * Boot the demo described by `options` and return once it is serving.
 * Everything started is registered on `io.shutdown`, so a failure half-way
 * and Ctrl-C both stop what runs.
 */
export async function runDemo(options: DemoOptions, io: DemoIo): Promise<RunningDemo> {
  const base = await applyApps(options.apps, io.config, options.appSet);
  const rootfs = options.rootfs === undefined ? await mkdtemp(join(tmpdir(), "v8r-rootfs-")) : resolve(options.rootfs);
  const htmlDir = join(rootfs, STATUS_DIR);
  // before the directory is touched: a path the kernel command line cannot carry is refused first
  const config = withGuestArgs(base, { rootfs, autorun: options.autorun, periodMs: options.periodMs, seed: options.seed });
  const prep = await prepareRootfs(rootfs, STATUS_DIR);
  if (prep.removed.length > 0) io.console.line("v8r", `[v8r-demo] removed ${prep.removed.length} temporary file(s) an earlier run left in ${htmlDir}`);

  const platform = createDemoPlatform(options);
  io.shutdown.add("platform", () => platform.shutdown());
  const uarts = consoleUarts(config);
  for (const [source, index] of Object.entries(uarts)) {
    platform.uart(index).attach({ line: (text) => io.console.line(source, text) });
  }
  const session = new DemoSession(platform, io.console, htmlDir);
  const apps = AppsRun.wanted(config) ? new AppsRun(platform, config) : undefined;
  // a run stopped by Ctrl-C or SIGTERM (even while Xen boots) ends with what had failed
  if (apps !== undefined) io.shutdown.add("the programs' failures", () => apps.failureCode());
  if (io.stall !== undefined && options.inline) watchGuests(io.stall, platform);
  const web = new WebHost(options, io, htmlDir, session);
  const requests = new HostRequests(platform, {
    startWebServer: async () => (await web.start()).statusUrl,
    log: (line, level) => io.console.line("v8r", line, level),
  });
  io.shutdown.add("guest requests", () => requests.close());
  const consoleDomain = linuxConsoleDomain(config);
  // With --no-autorun the web server starts when Linux asks for it (`nginx` on its console).
  const serveAtBoot = options.server !== "none" && (options.autorun || options.virtualTime);
  const urls = serveAtBoot ? await web.start() : {};
  const consoles = await startConsoles(options, io, platform, uarts, consoleDomain);
  const hint = !serveAtBoot && options.server !== "none" ? { serverHint: `not started yet: type nginx (or httpd) on the ${consoleDomain} console` } : {};
  const forwarding = io.input !== undefined && !options.virtualTime && options.consoles !== "telnet" && config.domains.some((d) => d.name === consoleDomain);
  const demo: RunningDemo = { rootfs, consoles, ...urls, ...hint, ...(forwarding ? { inputDomain: consoleDomain } : {}) };
  io.announce?.(demo);

  const xen = await bootXen(platform, config, {
    resolveImage: (specifier) => (/^\.{0,2}\//.test(specifier) ? new URL(specifier, configUrl(io.config)) : import.meta.resolve(currentImage(specifier))),
    wasiRunner: (domain) => import.meta.resolve(wasiRunnerSpecifier(domain)),
    console: { xen: uarts["xen"] ?? 0, domains: domainUarts(uarts) },
    onCrash: crashPolicies(config),
    ...(options.faults === undefined ? {} : { faults: withDemoDefaults(options.faults, options.seed ?? 1), shmRanges: demoShmRanges }),
  });
  io.shutdown.add("Xen and its domains", () => xen.shutdown());
  session.attach(xen, demoLink(config));
  if (!options.inline && options.stallTimeoutMs > 0) io.shutdown.add("stall check", crashStuckGuests(platform, xen, options.stallTimeoutMs));
  apps?.attach(xen, platform.clock.now());
  requests.attach(xen);
  if (!options.virtualTime) {
    await startControl(io, xen, platform);
    if (demo.inputDomain !== undefined) forwardInput(io, xen, demo.inputDomain);
  }
  if (options.virtualTime) {
    const finished = driveVirtualTime({ clock: platform.clock as VirtualClock, durationMs: options.durationMs ?? 60_000, io, session, ...(apps === undefined ? {} : { apps }) });
    return { ...demo, finished };
  }
  // real time: a run of programs ends once every domain has, as a virtual-time one does
  return apps === undefined ? demo : { ...demo, finished: apps.ended.then((atMs) => reportAppsEnd(io, apps, atMs)) };
}

const GUEST_STOP_TIMEOUT_MS = 1000;

function createDemoPlatform(options: DemoOptions): DemoPlatform {
  if (options.virtualTime) return createPlatform<DemoTraceEvent>(FVP_BaseR_AEMv8R, { clock: new VirtualClock(), executor: new InlineExecutor() });
  // A guest gets 1 s to stop, so Ctrl-C ends the whole demo within 2 s even when one hangs.
  const executor = options.inline ? new InlineExecutor() : nodeWorkerExecutor({ stopTimeoutMs: GUEST_STOP_TIMEOUT_MS });
  return createPlatform<DemoTraceEvent>(FVP_BaseR_AEMv8R, { clock: new RealClock(), executor });
}

/**
 * The configuration with the app set of `--apps` and `--app`'s programs in
 * place (paths against the working directory); a UsageError for a file that
 * is not there or a domain the configuration does not have.
 */
export async function applyApps(apps: readonly AppOption[], config: DemoConfig, appSet: AppSet = "ts"): Promise<Dom0lessConfig> {
  for (const app of apps) {
    const info = await stat(resolve(app.file)).catch(() => undefined);
    if (info?.isFile() !== true) throw new UsageError(`--app ${app.domain}=${app.file}: ${info === undefined ? "no such file" : "not a file"}`);
  }
  return withApps(withAppSet(loadDemoConfig(config), appSet, (specifier) => import.meta.resolve(specifier)), apps, (file) => resolve(file));
}

function configUrl(config: DemoConfig): URL {
  return config.bundled ? new URL(import.meta.url) : pathToFileURL(resolve(config.file));
}

/**
 * Send what the user types to `domain`'s console (its shell reads lines), and
 * show the console's prompt as soon as the guest prints it (on a terminal).
 */
function forwardInput(io: DemoIo, xen: Xen, domain: string): void {
  const input = io.input;
  if (input === undefined) return;
  const uart = xen.console(domain);
  const showPrompt = (): void => io.console.prompt(domain, uart.pending());
  const offOutput = uart.onOutput(showPrompt);
  showPrompt(); // the shell may have printed its prompt already
  const decoder = new TextDecoder();
  const listener = (chunk: Uint8Array | string): void => {
    if (xen.state(domain) === "destroyed") return;
    if (input.isTTY === true) io.console.typed(domain, typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    uart.input(chunk);
  };
  input.on("data", listener);
  io.shutdown.add("console input", () => {
    input.removeListener("data", listener);
    offOutput();
  });
}

/** The consoles' endpoints for the banner; with `--consoles telnet`, one port each, where only `inputDomain`'s (the one with a shell) takes input. */
async function startConsoles(options: DemoOptions, io: DemoIo, platform: DemoPlatform, uarts: Record<string, number>, inputDomain: string): Promise<ConsoleEndpoint[]> {
  const sources = Object.keys(uarts);
  if (options.consoles !== "telnet") return sources.map((name) => ({ name, where: "stdout" }));
  const telnet = await startTelnetConsoles({
    consoles: Object.fromEntries(Object.entries(uarts).map(([source, index]) => [source, platform.uart(index)])),
    host: options.host,
    input: [inputDomain],
  });
  io.shutdown.add("console ports", () => telnet.close());
  return [...telnet.endpoints];
}

async function startControl(io: DemoIo, xen: Xen, platform: DemoPlatform): Promise<void> {
  const control = await startControlEndpoint(xlHandlers(xen, platform));
  io.stall?.leaves(control.stateFile);
  io.shutdown.add("control endpoint", () => control.close());
}
