import { ConfigError } from "./config-error.ts";
import { MAX_CONFIG_BYTES, tooLarge } from "./config-file-error.ts";
import { sortDiagnostics, type Diagnostic } from "./diagnostic.ts";
import type { DeviceTree } from "./device-tree.ts";
import { loadDom0lessConfig, type Dom0lessConfig } from "./dom0less-config.ts";
import { readDtb } from "./dtb-reader.ts";
import { parseDts } from "./dts-parser.ts";
import { DiagnosticSink } from "./_diag.ts";
import { chooseArch, type XenArch } from "./_platform.ts";
import { ruleContext } from "./_rule-context.ts";
import { checkDomains } from "./_rules-domain.ts";
import { checkEventChannels } from "./_rules-evtchn.ts";
import { checkReservedMemory } from "./_rules-memory.ts";
import { checkSharedMemory } from "./_rules-shm.ts";
import { checkSystem } from "./_rules-system.ts";
import { checkReferences, checkUnknown } from "./_rules-unknown.ts";

export type { XenArch } from "./_platform.ts";

/** CPUs of the reference platform (FVP_BaseR_AEMv8R), the default for `platformCpus`. */
export const DEFAULT_PLATFORM_CPUS = 4;

/** Options of {@link lint}, {@link lintSource} and {@link validateDom0less}. */
export interface LintOptions {
  /** Physical CPUs of the platform; more vCPUs than this in a domain is a warning (default 4). */
  readonly platformCpus?: number;
  /**
   * The Arm profile Xen is built for: `"armv8-r"` (MPU, e.g. FVP_BaseR_AEMv8R) checks the MPU
   * rules, `"armv8-a"` (MMU) refuses Armv8-R-only properties. Default: what the tree says (an
   * Armv8-R root compatible, model or CPU, or `v8r_el1_msa` on a domain), else `"armv8-a"`.
   */
  readonly arch?: XenArch;
  /** File name of the source, when `lint` is given text. */
  readonly file?: string;
  /** Reads `/include/`d files, when `lint` is given text (see {@link ParseDtsOptions.readFile}). */
  readonly readFile?: (path: string) => string | undefined;
}

function checkedCpus(options: LintOptions): number {
  const cpus = options.platformCpus ?? DEFAULT_PLATFORM_CPUS;
  if (!Number.isInteger(cpus) || cpus < 1) {
    throw new RangeError(`[xen-dom0less] platformCpus must be a positive integer, got ${String(cpus)}`);
  }
  return cpus;
}

/**
 * Runs the cross-node rules on a loaded configuration (domains, system, memory, shared memory,
 * event channels, unknown properties, references). Returns only the rules' diagnostics, unsorted.
 */
export function validateDom0less(tree: DeviceTree, config: Dom0lessConfig, options: LintOptions = {}): Diagnostic[] {
  const sink = new DiagnosticSink();
  const ctx = ruleContext(tree, config, sink, checkedCpus(options), chooseArch(tree, config, options.arch));
  checkDomains(ctx);
  checkSystem(ctx);
  checkReservedMemory(ctx);
  checkSharedMemory(ctx);
  checkEventChannels(ctx);
  checkReferences(ctx);
  checkUnknown(ctx);
  return sink.list;
}

/**
 * Lints a dom0less device tree: reads the configuration, runs every rule, and returns all
 * diagnostics sorted by position. Text is parsed first (a parse failure throws).
 * @throws {ConfigError} when `input` is text that cannot be parsed
 * @example
 * const problems = lint(text, { file: "xen.dts", platformCpus: 4 });
 * problems.filter((d) => d.severity === "error").map(formatDiagnostic);
 */
export function lint(input: DeviceTree | string, options: LintOptions = {}): Diagnostic[] {
  const tree = typeof input === "string" ? parseDts(input, { file: options.file, readFile: options.readFile }) : input;
  return lintTree(tree, options).diagnostics;
}

/** Load the dom0less model of `tree` and run every rule on it: diagnostics sorted by position. */
function lintTree(tree: DeviceTree, options: LintOptions): { config: Dom0lessConfig; diagnostics: Diagnostic[] } {
  const { config, diagnostics } = loadDom0lessConfig(tree);
  return { config, diagnostics: sortDiagnostics([...diagnostics, ...validateDom0less(tree, config, options)]) };
}

/** What {@link lintSource} is given: source text or blob bytes, and a file name. */
export interface LintSourceInput extends LintOptions {
  /** Device-tree source text. */
  readonly text?: string;
  /** .dtb bytes, or .dts text as UTF-8 bytes (told apart by the FDT magic number). */
  readonly bytes?: Uint8Array;
}

/** What {@link lintSource} returns. */
export interface LintResult {
  /** Every diagnostic, sorted; a parse failure is one error diagnostic with the ConfigError's code. */
  readonly diagnostics: Diagnostic[];
  /** The configuration, when the input could be parsed. */
  readonly config?: Dom0lessConfig;
  /** The parsed tree, when the input could be parsed. */
  readonly tree?: DeviceTree;
}

/** True when `bytes` start with the flattened device tree magic 0xd00dfeed. */
export function isDtb(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0x0d && bytes[2] === 0xfe && bytes[3] === 0xed;
}

/**
 * Lints .dts text or .dtb/.dts bytes without throwing on bad input: a parse failure comes
 * back as an error diagnostic. This is what the `xen-dom0less lint` command runs.
 * @example
 * const { diagnostics } = lintSource({ text, file: "xen.dts" });
 */
export function lintSource(input: LintSourceInput): LintResult {
  const file = input.file ?? "<input>";
  const size = input.bytes?.length ?? input.text?.length ?? 0;
  if (size > MAX_CONFIG_BYTES) {
    const err = new ConfigError("input-too-large", { file, line: 0, column: 0 }, tooLarge(file, size).detail);
    return { diagnostics: [err.toDiagnostic()] };
  }
  let tree: DeviceTree;
  try {
    if (input.bytes !== undefined && isDtb(input.bytes)) tree = readDtb(input.bytes, { file });
    else {
      const text = input.text ?? new TextDecoder().decode(input.bytes ?? new Uint8Array());
      tree = parseDts(text, { file, readFile: input.readFile });
    }
  } catch (err) {
    if (err instanceof ConfigError) return { diagnostics: [err.toDiagnostic()] };
    throw err;
  }
  return { ...lintTree(tree, input), tree };
}
