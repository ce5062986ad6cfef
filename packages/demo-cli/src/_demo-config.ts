// Reading the demo's device tree and fitting it to the command line: the
// options that reach the guests travel as kernel bootargs, exactly as on the
// real stack (the device tree is the only thing Xen hands a domU).
import { bootargValueProblem, type Dom0lessConfig, type DomainConfig, formatBootargs, formatDiagnostic, lintSource, splitBootargs } from "@v8r/xen-dom0less";
import { runsOwnProgram, wasiGuestOs } from "./_demo-apps.ts";
import { type DemoRole, demoRole } from "./_demo-layout.ts";
import { readIncludedText } from "./lint-config.ts";
import type { DemoConfig } from "./run-demo.ts";
import { UsageError } from "./usage-error.ts";

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

/**
 * A copy of `config` whose demo domains carry the run's options as bootargs
 * (a value with spaces in double quotes, as Linux reads it). Throws a
 * {@link UsageError} for a root filesystem path no command line can carry.
 */
export function withGuestArgs(config: Dom0lessConfig, args: GuestArgs): Dom0lessConfig {
  const domains = config.domains.map((d) => {
    const extra = extraBootargs(runsOwnProgram(d) && wasiGuestOs(d) === "linux" ? "wasi-linux" : demoRole(d), args);
    if (extra.size === 0 || d.kernel === undefined) return d;
    return { ...d, kernel: { ...d.kernel, bootargs: [...keptBootargs(d, extra), formatBootargs(extra)].join(" ") } };
  });
  return { ...config, domains };
}

/** The device tree's words of `d`'s bootargs, as written, but those `extra` replaces (a value from the command line wins). */
function keptBootargs(d: DomainConfig, extra: ReadonlyMap<string, string>): string[] {
  const kept = splitBootargs(d.kernel?.bootargs ?? "").filter((a) => !extra.has(a.key));
  const open = kept.at(-1);
  if (open?.unterminated === true) {
    throw new Error(`[v8r-demo] ${d.name}: its bootargs open a double quote they never close (${open.text}), so Linux would read the ${[...extra.keys()].join(", ")} v8r-demo adds after it as part of that value; close the quote in the device tree`);
  }
  return kept.map((a) => a.text);
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

/** `dir`, which Linux gets as `rootfs=` (quoted when it has spaces); a {@link UsageError} when no command line can carry it. */
function checkedRootfs(dir: string): string {
  const problem = bootargValueProblem(dir);
  if (problem !== undefined) {
    throw new UsageError(`the root filesystem directory ${JSON.stringify(dir)} cannot be given to Linux, which gets it on its kernel command line (rootfs=): the path ${problem}; give --rootfs a directory whose path has no such character`);
  }
  return dir;
}
