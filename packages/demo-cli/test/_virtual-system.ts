/**
 * Test and bench harness: the demo as `v8r-demo --virtual-time --server
 * none` runs it (the bundled device tree, the real guest images, Xen
 * dom0less with `on_crash` restart, a fault plan from the `--faults`
 * syntax), in this process, on a VirtualClock with the inline executor and
 * Linux's root filesystem in memory, so a run costs tens of milliseconds
 * and leaves nothing on disk (a plan that crashes, restarts or destroys
 * Linux gets a temporary directory for it, as the CLI does, read at the end
 * and removed; its path reads `<rootfs>` in what is recorded).
 * It records everything a run shows: the consoles (v8r-demo's own lines
 * too), every trace event, the status files Linux left and the summary.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { createPlatform, FVP_BaseR_AEMv8R, InlineExecutor, VirtualClock } from "@v8r/fvp-core";
import { bootXen, type Xen } from "@v8r/xen-dom0less";
import { LINUX_FILE, LINUX_READ_FILE, type LinuxFileAnswer, WEB_ROOT } from "@v8r/linux-shim";
import type { StatusJson } from "v8r-demo/apps/rpmsg-demo/linux-rpmsg-remote";
import { wasiRunnerSpecifier } from "../src/_demo-apps.ts";
import { withAppSet } from "../src/_demo-app-set.ts";
import { loadDemoConfig, withGuestArgs } from "../src/_demo-config.ts";
import { demoShmRanges, withDemoDefaults } from "../src/_demo-faults.ts";
import { consoleUarts, currentImage, type DemoRole, demoLink, domainUarts } from "../src/_demo-layout.ts";
import { DemoSession } from "../src/_demo-session.ts";
import { createConsoleMux } from "../src/console-mux.ts";
import { parseFaultSpec } from "../src/fault-spec.ts";
import type { AppSet } from "../src/options.ts";
import type { DemoPlatform, DemoTraceEvent } from "../src/trace-events.ts";

const CONFIG_FILE = new URL("../src/config/v8r64-virtualization.dts", import.meta.url);
const CONFIG_BYTES = readFileSync(CONFIG_FILE);

/** One run: what `v8r-demo --virtual-time` takes. */
export interface VirtualRunSpec {
  /** `--seed`. */
  readonly seed: number;
  /** `--duration`, ms. */
  readonly durationMs: number;
  /** `--period`, ms (default the guest's 1000). */
  readonly periodMs?: number;
  /** `--faults`, in its text form. */
  readonly faults?: string;
  /** `--apps` (default ts). */
  readonly apps?: AppSet;
  /** With `apps: "c"`, only these apps in C (a mixed pair); default both. */
  readonly cRoles?: readonly DemoRole[];
  /** Start the demo apps at boot (default true; false is `--no-autorun`: Linux boots to its console and the TypeScript rpmsg-remote starts when `rpmsg-demo` is typed). */
  readonly autorun?: boolean;
  /** Lines typed on Linux's console at the given platform times (ms), in order. */
  readonly typed?: readonly { readonly atMs: number; readonly line: string }[];
  /** `--rootfs`: a host directory prepared by the test (default: one only for a fault that stops Linux, else in memory). */
  readonly rootfs?: string;
}

/** Everything a run showed. */
export interface VirtualRunResult {
  /** Console lines, `source | text`, in the order they were written. */
  readonly console: readonly string[];
  /** Every trace event as a JSON line, in order. */
  readonly trace: readonly string[];
  /** The trace events the checks read (link, sample and fault events), as objects, with the platform time they were published at. */
  readonly events: readonly TimedEvent[];
  /** `zephyr-status.html` as Linux left it. */
  readonly html: string;
  /** `zephyr-status.json` as Linux left it. */
  readonly jsonText: string;
  /** The same, parsed. */
  readonly json: StatusJson;
  /** v8r-demo's closing summary lines (its DemoSession's, as the CLI prints them). */
  readonly summary: readonly string[];
  /** A digest of all of the above: equal digests, byte-identical runs. */
  readonly digest: string;
}

/** A trace event and when it was published (ms of platform time). */
export interface TimedEvent {
  /** Platform time, ms. */
  readonly t: number;
  /** The event. */
  readonly e: DemoTraceEvent;
}

/** Trace event types kept as objects for the checks. */
const KEPT = /^(zephyr\.|linux\.(sample|link|malformed)|xen-fault|guest-)/;

/** Run the demo for `spec` and record what it showed. */
export async function runVirtual(spec: VirtualRunSpec): Promise<VirtualRunResult> {
  const bundled = loadDemoConfig({ file: "v8r64-virtualization.dts", bytes: CONFIG_BYTES, bundled: true });
  const base = withAppSet(bundled, spec.apps ?? "ts", (specifier) => import.meta.resolve(specifier), spec.cRoles);
  // on disk, as the CLI has it, when Linux goes away: a restarted Linux takes up the counters its predecessor saved there
  const rootfs = spec.rootfs ?? (/(^|,)(destroy|crash|restart):linux@/.test(spec.faults ?? "") ? mkdtempSync(join(tmpdir(), "v8r-chaos-")) : undefined);
  const config = withGuestArgs(base, { autorun: spec.autorun ?? true, periodMs: spec.periodMs, seed: spec.seed, ...(rootfs === undefined ? {} : { rootfs }) });
  const hide = (text: string): string => (rootfs === undefined ? text : text.replaceAll(rootfs, "<rootfs>"));
  const clock = new VirtualClock();
  const platform = createPlatform<DemoTraceEvent>(FVP_BaseR_AEMv8R, { clock, executor: new InlineExecutor() });
  const consoleLines: string[] = [];
  const uarts = consoleUarts(config);
  for (const [source, index] of Object.entries(uarts)) platform.uart(index).attach({ line: (text) => consoleLines.push(`${source} | ${hide(text)}`) });
  // v8r-demo's own view (fault lines, the summary), as the CLI has it
  const session = new DemoSession(platform, createConsoleMux({ out: { write: (t) => consoleLines.push(hide(t.replace(/\n$/, ""))) } }), WEB_ROOT);
  const trace: string[] = [];
  const events: TimedEvent[] = [];
  platform.trace.on((e) => {
    trace.push(hide(JSON.stringify(e, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.byteLength} bytes>` : v))));
    if (KEPT.test(e.type)) events.push({ t: clock.now(), e });
  });
  const plan = spec.faults === undefined ? undefined : withDemoDefaults(parseFaultSpec(spec.faults), spec.seed);
  let xen: Xen | undefined;
  try {
    xen = await bootXen(platform, config, {
      resolveImage: (specifier) => import.meta.resolve(currentImage(specifier)),
      wasiRunner: (domain) => import.meta.resolve(wasiRunnerSpecifier(domain)),
      console: { xen: uarts["xen"] ?? 0, domains: domainUarts(uarts) },
      onCrash: "restart",
      ...(plan === undefined ? {} : { faults: plan, shmRanges: demoShmRanges }),
    });
    session.attach(xen, demoLink(config));
    const end = clock.now() + spec.durationMs;
    for (const { atMs, line } of spec.typed ?? []) {
      await clock.run(Math.min(atMs, end));
      xen.console("linux").input(`${line}\r`);
    }
    await clock.run(end);
    const read = async (name: string, id: number): Promise<string> =>
      rootfs === undefined ? readGuestFile(platform, clock, xen as Xen, `${WEB_ROOT}/${name}`, id) : readFileSync(join(rootfs, WEB_ROOT, name), "utf8");
    const html = await read("zephyr-status.html", 1);
    const jsonText = await read("zephyr-status.json", 2);
    const summary = session.summary().lines;
    const digest = createHash("sha256").update([...consoleLines, ...summary].join("\n")).update("\0").update(trace.join("\n")).update("\0").update(html).update("\0").update(jsonText).digest("hex");
    return { console: consoleLines, trace, events, html, jsonText, json: JSON.parse(jsonText) as StatusJson, summary, digest };
  } finally {
    await xen?.shutdown();
    await platform.shutdown();
    if (rootfs !== undefined) rmSync(rootfs, { recursive: true, force: true });
  }
}

/** Read a file of the Linux guest's root filesystem through its control channel, as the browser page does. */
async function readGuestFile(platform: DemoPlatform, clock: VirtualClock, xen: Xen, path: string, id: number): Promise<string> {
  let answer: LinuxFileAnswer | undefined;
  const off = platform.trace.on((e) => {
    if (e.type === LINUX_FILE && e.id === id) answer = e;
  });
  try {
    xen.post("linux", { type: LINUX_READ_FILE, id, path });
    await clock.run(clock.now());
  } finally {
    off();
  }
  if (answer === undefined) throw new Error(`[test] reading ${path} from the Linux guest: no answer`);
  if (!answer.ok) throw new Error(`[test] reading ${path} from the Linux guest: ${answer.error}`);
  return new TextDecoder().decode(answer.data);
}
