// Reading the demo's device tree and fitting it to the command line: the
// options that reach the guests travel as kernel bootargs, exactly as on the
// real stack (the device tree is the only thing Xen hands a domU).
import { type Dom0lessConfig, formatBootargs, formatDiagnostic, lintSource } from "@v8r/xen-dom0less";
import { runsOwnProgram, wasiGuestOs } from "./_demo-apps.ts";
import { type DemoRole, demoRole } from "./_demo-layout.ts";
import { readIncludedText } from "./lint-config.ts";
import type { DemoConfig } from "./run-demo.ts";

/** What the run adds to the guests' bootargs. */
export interface GuestArgs {
  /** Host directory of the Linux root filesystem; without one Linux keeps it in memory. */
  readonly rootfs?: string;
  /** Start rpmsg-demo at boot (`autorun=`). */
  readonly autorun: boolean;
  /** Sampling period override (`period_ms=`). */
  readonly periodMs: number | undefined;
  /** Seed for the guests' random choices (`seed=`). */
  readonly seed: number | undefined;
}

/**
 * Parse `config` (already linted by the CLI when it is the user's) into the
 * dom0less model; throws with every error diagnostic when it does not load.
 */
export function loadDemoConfig(config: DemoConfig): Dom0lessConfig {
  if (config.loaded !== undefined) return config.loaded;
  const result = lintSource({ bytes: config.bytes, file: config.file, readFile: readIncludedText });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || result.config === undefined) {
    const detail = errors.map((d) => formatDiagnostic(d)).join("\n");
    throw new Error(`[v8r-demo] ${config.file} cannot be booted:\n${detail}`);
  }
  return result.config;
}

/** A copy of `config` whose demo domains carry the run's options as bootargs. */
export function withGuestArgs(config: Dom0lessConfig, args: GuestArgs): Dom0lessConfig {
  const domains = config.domains.map((d) => {
    const extra = extraBootargs(runsOwnProgram(d) && wasiGuestOs(d) === "linux" ? "wasi-linux" : demoRole(d), args);
    if (extra.size === 0 || d.kernel === undefined) return d;
    // A value from the command line replaces the device tree's for the same key; the other words stay as written.
    const kept = (d.kernel.bootargs ?? "").split(/\s+/).filter((a) => a !== "" && !extra.has(a.split("=", 1)[0] ?? a));
    const bootargs = [...kept, formatBootargs(extra)].join(" ");
    return { ...d, kernel: { ...d.kernel, bootargs } };
  });
  return { ...config, domains };
}

/** What a domain runs, as far as its bootargs go: a demo app, a WASI program on Linux (it gets the root filesystem), or other. */
type ArgsRole = DemoRole | "wasi-linux";

function extraBootargs(role: ArgsRole, args: GuestArgs): Map<string, string> {
  const out = new Map<string, string>();
  if (role === "wasi-linux") {
    if (args.rootfs !== undefined) out.set("rootfs", checkedRootfs(args.rootfs));
  } else if (role === "rpmsg-host") {
    if (args.periodMs !== undefined) out.set("period_ms", String(args.periodMs));
    if (args.seed !== undefined) out.set("seed", String(args.seed));
  } else if (role === "rpmsg-remote") {
    if (args.rootfs !== undefined) out.set("rootfs", checkedRootfs(args.rootfs));
    out.set("autorun", args.autorun ? "1" : "0");
  }
  return out;
}

function checkedRootfs(dir: string): string {
  if (/\s/.test(dir)) throw new Error(`[v8r-demo] the root filesystem path "${dir}" contains white space, which bootargs cannot carry`);
  return dir;
}
