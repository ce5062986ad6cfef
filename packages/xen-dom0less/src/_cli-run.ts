import { describeError } from "@v8r/fvp-core";
import { ConfigFileError, MAX_CONFIG_BYTES } from "./config-file-error.ts";
import { formatBytes } from "./_diag.ts";
import { formatDiagnostic, type Diagnostic } from "./diagnostic.ts";
import { DEFAULT_PLATFORM_CPUS, lintSource, type XenArch } from "./lint.ts";

/** What the command needs from its host: output streams and file reading. */
export interface CliIo {
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** Reads a whole file; throws when it cannot be read (a {@link ConfigFileError} says why). */
  readonly readBytes: (path: string) => Uint8Array;
  /** Reads an included file as text, `undefined` when it does not exist; throws when it cannot be read. */
  readonly readText: (path: string) => string | undefined;
}

/** Exit codes of `xen-dom0less`. */
export const EXIT = { clean: 0, errors: 1, usage: 2 } as const;

/** The help text of `xen-dom0less`. */
export const USAGE = `usage: xen-dom0less lint FILE.dts|FILE.dtb... [--json] [--platform-cpus N] [--arch armv8-a|armv8-r]

Checks a Xen dom0less device tree (source or compiled blob) before you boot it, by the rules
Xen applies at boot.

options:
  --json               print the diagnostics as JSON instead of compiler-style lines
  --platform-cpus N    physical CPUs of the platform (default ${DEFAULT_PLATFORM_CPUS}, FVP_BaseR_AEMv8R)
  --arch PROFILE       armv8-r: Xen for Armv8-R (MPU), which needs static, direct-mapped memory
                       for MPU domains; armv8-a: Xen with an MMU (default: what the tree says,
                       else armv8-a)
  -h, --help           show this help

Files must be regular files of at most ${formatBytes(MAX_CONFIG_BYTES)} (included files too).

exit status: 0 no errors (warnings allowed), 1 errors found, 2 unreadable input or bad usage
`;

interface LintArgs {
  readonly files: string[];
  readonly json: boolean;
  readonly platformCpus: number;
  readonly arch: XenArch | undefined;
}

function parseArgs(args: readonly string[]): LintArgs | string {
  const files: string[] = [];
  let json = false;
  let platformCpus = DEFAULT_PLATFORM_CPUS;
  let arch: XenArch | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--json") json = true;
    else if (a === "--platform-cpus" || a.startsWith("--platform-cpus=")) {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[++i];
      platformCpus = Number(v);
      if (v === undefined || !/^[0-9]+$/.test(v) || platformCpus < 1) return `--platform-cpus needs a positive integer, got ${v ?? "nothing"}`;
    } else if (a === "--arch" || a.startsWith("--arch=")) {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[++i];
      if (v !== "armv8-a" && v !== "armv8-r") return `--arch must be armv8-a or armv8-r, got ${v ?? "nothing"}`;
      arch = v;
    } else if (a.startsWith("-") && a !== "-") return `unknown option ${a}`;
    else files.push(a);
  }
  if (files.length === 0) return "lint needs at least one FILE.dts or FILE.dtb";
  return { files, json, platformCpus, arch };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * Runs `xen-dom0less` with `argv` (without the node and script paths) and returns the exit code.
 * Portable: all I/O goes through `io`.
 */
export function runCli(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    (command === undefined ? io.stderr : io.stdout)(USAGE);
    return command === undefined ? EXIT.usage : EXIT.clean;
  }
  if (command !== "lint") {
    io.stderr(`xen-dom0less: unknown command ${command}\n${USAGE}`);
    return EXIT.usage;
  }
  if (rest.includes("-h") || rest.includes("--help")) {
    io.stdout(USAGE);
    return EXIT.clean;
  }
  const args = parseArgs(rest);
  if (typeof args === "string") {
    io.stderr(`xen-dom0less: ${args}\n${USAGE}`);
    return EXIT.usage;
  }
  let exit: number = EXIT.clean;
  const reports: { file: string; errors: number; warnings: number; diagnostics: Diagnostic[] }[] = [];
  for (const file of args.files) {
    let bytes: Uint8Array;
    try {
      bytes = io.readBytes(file);
    } catch (err) {
      const why = err instanceof ConfigFileError ? err.detail : describeError(err).error;
      io.stderr(`xen-dom0less: cannot read ${file}: ${why}\n`);
      exit = EXIT.usage;
      continue;
    }
    const { diagnostics } = lintSource({ bytes, file, readFile: io.readText, platformCpus: args.platformCpus, ...(args.arch !== undefined ? { arch: args.arch } : {}) });
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const warnings = diagnostics.length - errors;
    if (errors > 0 && exit === EXIT.clean) exit = EXIT.errors;
    reports.push({ file, errors, warnings, diagnostics });
    if (!args.json) {
      for (const d of diagnostics) io.stdout(`${formatDiagnostic(d)}\n`);
      io.stdout(`${file}: ${errors + warnings === 0 ? "no problems" : `${plural(errors, "error")}, ${plural(warnings, "warning")}`}\n`);
    }
  }
  if (args.json) io.stdout(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
  return exit;
}

