/**
 * The text of `v8r-demo --help`.
 *
 * @module
 */
import { DEFAULT_CORRUPT_BYTES, DEFAULT_CORRUPT_PART } from "./_demo-faults.ts";
import { faultSpecHelp } from "./fault-spec.ts";
import { OPTION_TABLE, type OptionSpec } from "./_option-table.ts";

const COMMANDS: readonly (readonly [string, string])[] = [
  ["v8r-demo [OPTIONS]", "boot Xen dom0less with the Zephyr and Linux guests, serve the page"],
  ["v8r-demo lint FILE", "check a dom0less device tree (.dts or .dtb); exit 1 on errors"],
  ["v8r-demo xl list", "list the domains: state, uptime (--demo PID if several demos run)"],
  ["v8r-demo xl destroy DOMAIN", "stop a domain at once (e.g. zephyr); it leaves the list"],
  ["v8r-demo xl shutdown DOMAIN", "ask the guest to power off (it stays listed, shut down)"],
  ["v8r-demo xl reboot DOMAIN", "ask the guest to reboot"],
  ["v8r-demo xl restart DOMAIN", "start a domain again from scratch, whatever its state"],
  ["v8r-demo xl create NAME|FILE", "build a destroyed domain again, or a new one from a DTS fragment"],
  ["v8r-demo xl pause DOMAIN", "pause a domain (xl unpause DOMAIN resumes it)"],
  ["v8r-demo xl console DOMAIN", "attach this terminal to a domain's console (Ctrl-] detaches)"],
  ["v8r-demo config [FILE]", "print the bundled device tree (or write it to FILE)"],
  ["v8r-demo browser", "run in a web browser; --port N, --host ADDR, --app DOMAIN=FILE.wasm"],
];

/** The FAULTS section: the registry's kinds, then what the demo adds to them. */
function faultsSection(): string[] {
  return [
    "FAULTS (--faults SPEC: comma-separated items; random choices follow --seed)",
    ...faultSpecHelp().map((l) => `  ${l}`),
    `  corrupt without PART aims at ${DEFAULT_CORRUPT_PART} (${DEFAULT_CORRUPT_BYTES} bytes unless BYTES is given); PART is a part of`,
    "  the OpenAMP static-vrings layout: status, buffers, vring0, vring1, vringN.desc/.avail/.used, all;",
    "  without REGION every region is hit.",
    "  P is 0..1 or a percentage (30%); TIME is 500ms, 12s, 2m, 1h, 1m30s.",
    "  e.g. --faults drop=0.3,delay=0.1:5ms,dup=0.05,corrupt@12s,crash:zephyr@20s,restart:linux@40s",
  ];
}

/**
 * The short usage printed with a command-line error: one line per command.
 *
 * @example
 * ```ts
 * formatUsage().startsWith("usage:\n  v8r-demo [OPTIONS]"); // true
 * ```
 */
export function formatUsage(): string {
  return `usage:\n${COMMANDS.map(([c]) => `  ${c}\n`).join("")}`;
}

/** Column at which `--help` wraps option descriptions. */
const HELP_WIDTH = 100;

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  out.push(line);
  return out;
}

function optionLabel(o: OptionSpec): string {
  const short = o.short === undefined ? "    " : `-${o.short}, `;
  return `${short}--${o.name}${o.value === undefined ? "" : ` ${o.value}`}`;
}

/**
 * The full help text: commands, every option with its default and an
 * example, the fault syntax and where things are.
 *
 * @example
 * ```ts
 * formatHelp().includes("--virtual-time"); // true
 * ```
 */
export function formatHelp(): string {
  const width = Math.max(...OPTION_TABLE.map((o) => optionLabel(o).length)) + 2;
  const commandWidth = Math.max(...COMMANDS.map(([c]) => c.length)) + 2;
  const lines = [
    "v8r-demo: the Arm v8r64 Xen dom0less virtualization demo in one command",
    "(a Zephyr guest samples its status and sends it over OpenAMP RPMsg to a Linux",
    "guest, which writes the page http://HOST:PORT/zephyr-status.html; / is a live dashboard)",
    "",
    "USAGE",
    ...COMMANDS.map(([c, d]) => `  ${c.padEnd(commandWidth)}${d}`),
    "",
    "OPTIONS",
  ];
  const indent = " ".repeat(width + 2);
  for (const o of OPTION_TABLE) {
    const [first = "", ...rest] = wrap(o.help, HELP_WIDTH - indent.length);
    lines.push(`  ${optionLabel(o).padEnd(width)}${first}`, ...rest.map((l) => indent + l));
    lines.push(`${indent}e.g. ${o.example}`);
  }
  lines.push(
    "",
    ...faultsSection(),
    "",
    "TYPING",
    "  In real-time runs with the consoles on this terminal, lines typed (or piped) on stdin go to the",
    "  Linux shell (type help there for its commands), e.g. (sleep 3; echo uptime) | v8r-demo",
    "",
    "STOPPING",
    "  Ctrl-C or SIGTERM stops the guests, closes the server, flushes the consoles and exits 0 (a run",
    "  of --app programs: with what had failed when it came, see EXIT CODES); a second Ctrl-C exits",
    "  at once with 1. A guest looping without yielding in an --inline or --virtual-time run holds",
    "  the thread those handlers run on: the stall watchdog, which sees the signal too (on Node), ends",
    "  the run within 2 s of it, or else after --stall-timeout (and any shutdown still running 15 s",
    "  after it started).",
    "",
    "EXIT CODES",
    "  0 done, 1 failure, 2 bad command line or a config with lint errors; a run of --app programs:",
    "  the first non-zero exit status of its programs, 1 for one that crashed or was destroyed (on",
    "  Ctrl-C or SIGTERM: only a non-zero exit or a crash counts); killed with SIGKILL",
    "  (137 in a shell) by the stall watchdog, after one line on stderr naming the cause;",
    "  lint: 0 clean (warnings allowed), 1 errors, 2 unreadable file (as xen-dom0less lint)",
  );
  return `${lines.join("\n")}\n`;
}
