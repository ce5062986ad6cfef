/**
 * The table of command-line options: names, value placeholders, help text
 * and examples. Both the parser and `--help` read it.
 *
 * @module
 */

/** One option of the command line. */
export interface OptionSpec {
  /** Long name without the dashes, e.g. `port`. */
  readonly name: string;
  /** One-letter alias without the dash, if any. */
  readonly short?: string;
  /** Placeholder of the value (`N`, `MS`, ...); absent for a flag. */
  readonly value?: string;
  /** `run`: only when running the demo; `serve`: running it or `browser`; `xl`: only with `xl`; `any`: also for other subcommands. */
  readonly scope: "run" | "serve" | "xl" | "any";
  /** One-line description, with the default. */
  readonly help: string;
  /** May be given more than once (each value counts). */
  readonly repeatable?: true;
  /** A full command line showing the option. */
  readonly example: string;
}

/** Every option `v8r-demo` accepts, in the order `--help` lists them. */
export const OPTION_TABLE: readonly OptionSpec[] = [
  { name: "port", value: "N", scope: "serve", help: "TCP port of the web server, 0..65535, 0 picks a free one (default 8080)", example: "v8r-demo --port 9000" },
  { name: "host", value: "ADDR", scope: "serve", help: "address the web server listens on (default 127.0.0.1); on any other address, other machines get the status page and dashboard read-only: the dashboard's period control only accepts requests from this machine, and the xl control endpoint listens on 127.0.0.1 whatever --host says", example: "v8r-demo --host 0.0.0.0" },
  { name: "period", value: "MS", scope: "run", help: "Zephyr's sampling period in ms, 100..60000 (default: from the config, 1000)", example: "v8r-demo --period 250" },
  { name: "config", value: "FILE", scope: "run", help: "dom0less device tree to boot, .dts or .dtb; linted first, errors exit 2 (default: the bundled v8r64-virtualization.dts)", example: "v8r-demo --config my.dts" },
  { name: "server", value: "KIND", scope: "run", help: "who serves the status page: builtin, nginx (a local nginx process), docker (needs a Docker engine) or none (default builtin)", example: "v8r-demo --server nginx" },
  { name: "nginx", value: "PATH", scope: "run", help: "the nginx binary for --server nginx (default: nginx on PATH, else /usr/sbin/nginx)", example: "v8r-demo --server nginx --nginx /opt/nginx/sbin/nginx" },
  { name: "no-idle-gc", scope: "run", help: "the built-in web server does not collect garbage by itself once a burst of requests is over (by default, after 200 requests or connections within a second, the first second without any runs one full garbage collection, at most every 30 s, so that the memory the burst took goes back to the system)", example: "v8r-demo --no-idle-gc" },
  { name: "rootfs", value: "DIR", scope: "run", help: "directory holding the Linux root filesystem (default: a fresh temporary directory); its path may have spaces, not a double quote", example: "v8r-demo --rootfs ./rootfs" },
  { name: "apps", value: "SET", scope: "run", help: "which demo apps run: ts (rpmsg-host and rpmsg-remote in TypeScript, default) or c (the same apps in C on OpenAMP, WASI programs built with v8r-cc)", example: "v8r-demo --apps c" },
  { name: "app", value: "DOMAIN=FILE", scope: "serve", repeatable: true, help: "run a WASI program (C built with v8r-cc) as DOMAIN's application instead of the demo app; repeatable, any domain of the config; Linux domains (an MMU at EL1) get the root filesystem; once no domain is left running the run ends (in every mode), exiting with the first non-zero exit status (1 for a crash or destroy); v8r-demo browser --app runs them in the page", example: "v8r-demo --app zephyr=ping.wasm --app linux=echo.wasm" },
  { name: "no-autorun", scope: "run", help: "do not start the demo apps or the web server: Linux boots to its console, where you type rpmsg-demo (start the service), nginx or httpd (ask the host for the web server), dmesg, cat, ls, xl list, rpmsg-ctrl", example: "v8r-demo --no-autorun" },
  { name: "inline", scope: "run", help: "run every domain in one thread instead of one Worker each", example: "v8r-demo --inline" },
  { name: "virtual-time", scope: "run", help: "run on simulated time as fast as possible (implies --inline; needs --duration), then print a summary", example: "v8r-demo --virtual-time --duration 1h --seed 1" },
  { name: "duration", value: "TIME", scope: "run", help: "how much simulated time to run: 500ms, 90s, 2m, 1h, 1h30m (only with --virtual-time)", example: "v8r-demo --virtual-time --duration 90s" },
  { name: "stall-timeout", value: "TIME", scope: "run", help: "end the run when the thread that runs the simulation makes no progress for TIME (a guest looping without yielding in an --inline or --virtual-time run blocks timers, --duration and Ctrl-C alike): one line on stderr naming the running domain, then the process is killed (SIGKILL, exit status 137); in Workers mode the stuck domain is crashed instead and the run goes on; 0 turns it off (e.g. to stop at a debugger breakpoint) (default 20s)", example: "v8r-demo --virtual-time --duration 1h --stall-timeout 1m" },
  { name: "seed", value: "N", scope: "run", help: "seed of every random choice (boot ids, faults), 0..4294967295; same seed, same run", example: "v8r-demo --virtual-time --duration 1h --seed 42" },
  { name: "faults", value: "SPEC", scope: "run", help: "inject faults, see FAULTS below", example: "v8r-demo --faults drop=0.3,crash:zephyr@20s" },
  { name: "consoles", value: "MODE", scope: "run", help: "where guest consoles go: stdout (default) or telnet (one TCP port per console, like the FVP's terminals)", example: "v8r-demo --consoles telnet" },
  { name: "demo", value: "PID", scope: "xl", help: "with xl: the process id of the demo to control, needed when several run (xl names them when it cannot tell)", example: "v8r-demo xl list --demo 12345" },
  { name: "quiet", short: "q", scope: "any", help: "print only v8r-demo's own lines and errors, not the guest consoles", example: "v8r-demo --quiet" },
  { name: "log-format", value: "FORMAT", scope: "any", help: "text (default) or json: one {\"t\",\"source\",\"line\"} object per line", example: "v8r-demo --log-format json" },
  { name: "help", short: "h", scope: "any", help: "print this help and exit", example: "v8r-demo --help" },
  { name: "version", short: "V", scope: "any", help: "print the version and exit", example: "v8r-demo --version" },
];

/** Look an option up by long name or one-letter alias. */
export function findOption(name: string, isShort: boolean): OptionSpec | undefined {
  return OPTION_TABLE.find((o) => (isShort ? o.short === name : o.name === name));
}

/** The known long option closest to `name` (edit distance <= 2), for "did you mean". */
export function closestOption(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const o of OPTION_TABLE) {
    const d = editDistance(name, o.name);
    if (d < bestDistance) {
      best = o.name;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
