import { type AnyFaultKind, FAULT_KINDS } from "@v8r/xen-dom0less";
import { describe, expect, it } from "vitest";
import { OPTION_TABLE } from "./_option-table.ts";
import { formatHelp } from "./help.ts";
import { DEFAULT_OPTIONS, parseOptions, type DemoOptions } from "./options.ts";
import { UsageError } from "./usage-error.ts";

function usageErrorOf(argv: string[]): UsageError {
  try {
    parseOptions(argv);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`expected a UsageError for ${JSON.stringify(argv)}`);
}

describe("parseOptions: valid command lines", () => {
  it("gives the defaults for an empty command line", () => {
    expect(parseOptions([])).toEqual(DEFAULT_OPTIONS);
    expect(DEFAULT_OPTIONS).toMatchObject({ port: 8080, host: "127.0.0.1", server: "builtin", autorun: true, logFormat: "text", appSet: "ts" });
  });

  it.each<[string[], Partial<DemoOptions>]>([
    [["--port", "9000"], { port: 9000 }],
    [["--port=0"], { port: 0 }],
    [["--port", "65535"], { port: 65_535 }],
    [["--host", "0.0.0.0"], { host: "0.0.0.0" }],
    [["--host", "[::1]"], { host: "::1" }],
    [["--host=localhost"], { host: "localhost" }],
    [["--period", "100"], { periodMs: 100 }],
    [["--period", "60000"], { periodMs: 60_000 }],
    [["--config", "my.dts"], { config: "my.dts" }],
    [["--config", "boot/MY.DTB"], { config: "boot/MY.DTB" }],
    [["--server", "nginx"], { server: "nginx" }],
    [["--server", "docker"], { server: "docker" }],
    [["--server", "none"], { server: "none" }],
    [["--server", "nginx", "--nginx", "/opt/nginx/sbin/nginx"], { server: "nginx", nginx: "/opt/nginx/sbin/nginx" }],
    [["--rootfs", "./rootfs"], { rootfs: "./rootfs" }],
    [["--no-autorun"], { autorun: false }],
    [["--no-idle-gc"], { idleGc: false }],
    [["--inline"], { inline: true, virtualTime: false }],
    [["--virtual-time", "--duration", "1h"], { virtualTime: true, inline: true, durationMs: 3_600_000 }],
    [["--duration=90s", "--virtual-time"], { durationMs: 90_000 }],
    [[], { stallTimeoutMs: 20_000 }],
    [["--stall-timeout", "1m"], { stallTimeoutMs: 60_000 }],
    [["--stall-timeout", "0"], { stallTimeoutMs: 0 }],
    [["--seed", "42"], { seed: 42 }],
    [["--seed", "0xffffffff"], { seed: 0xffff_ffff }],
    [["--faults", "drop=0.3,crash:zephyr@20s"], { faults: { faults: [{ kind: "drop", probability: 0.3 }, { kind: "crash", domain: "zephyr", atMs: 20_000 }] } }],
    [["--consoles", "telnet"], { consoles: "telnet" }],
    [["--quiet"], { quiet: true }],
    [["-q"], { quiet: true }],
    [["--log-format", "json"], { logFormat: "json" }],
    [["--apps", "c"], { appSet: "c" }],
    [["--apps=ts"], { appSet: "ts" }],
    [["--apps", "c", "--app", "linux=echo.wasm"], { appSet: "c", apps: [{ domain: "linux", file: "echo.wasm" }] }],
    [["run", "--inline"], { inline: true, command: { name: "run" } }],
    [["browser"], { port: 8080, host: "127.0.0.1", command: { name: "browser" } }],
    [["browser", "--port", "0", "--host", "0.0.0.0"], { port: 0, host: "0.0.0.0", command: { name: "browser" } }],
  ])("reads %j", (argv, expected) => {
    expect(parseOptions(argv)).toMatchObject(expected);
  });

  it.each<[string[], DemoOptions["command"]]>([
    [["--help"], { name: "help" }],
    [["-h"], { name: "help" }],
    [["--port", "nope", "--help"], { name: "help" }],
    [["--version"], { name: "version" }],
    [["-V"], { name: "version" }],
    [["lint", "my.dts"], { name: "lint", file: "my.dts" }],
    [["lint", "--", "-odd-name.dts"], { name: "lint", file: "-odd-name.dts" }],
    [["xl", "list"], { name: "xl", action: "list" }],
    [["xl", "destroy", "zephyr"], { name: "xl", action: "destroy", domain: "zephyr" }],
    [["xl", "restart", "linux", "--quiet"], { name: "xl", action: "restart", domain: "linux" }],
    [["xl", "list", "--demo", "4242"], { name: "xl", action: "list", demo: 4242 }],
    [["xl", "--demo=77", "destroy", "zephyr"], { name: "xl", action: "destroy", domain: "zephyr", demo: 77 }],
    [["xl", "shutdown", "zephyr"], { name: "xl", action: "shutdown", domain: "zephyr" }],
    [["xl", "reboot", "linux"], { name: "xl", action: "reboot", domain: "linux" }],
    [["xl", "pause", "zephyr"], { name: "xl", action: "pause", domain: "zephyr" }],
    [["xl", "unpause", "zephyr"], { name: "xl", action: "unpause", domain: "zephyr" }],
    [["xl", "console", "linux"], { name: "xl", action: "console", domain: "linux" }],
    [["xl", "create", "zephyr"], { name: "xl", action: "create", domain: "zephyr" }],
    [["xl", "create", "guest.dts"], { name: "xl", action: "create", file: "guest.dts" }],
    [["xl", "create", "./guest"], { name: "xl", action: "create", file: "./guest" }],
    [["config"], { name: "config", file: undefined }],
    [["config", "my.dts"], { name: "config", file: "my.dts" }],
    [["lint", "a.dts", "--log-format", "json"], { name: "lint", file: "a.dts" }],
  ])("reads the command in %j", (argv, command) => {
    expect(parseOptions(argv).command).toEqual(command);
  });
});

describe("parseOptions: bad command lines", () => {
  it.each<[string[], string]>([
    [["--prot", "9000"], "unknown option --prot (did you mean --port?)"],
    [["--frobnicate"], "unknown option --frobnicate"],
    [["-x"], "unknown option -x"],
    [["--port"], "--port needs a value N, e.g. 9000"],
    [["--port", "--inline"], "--port needs a value"],
    [["--port", "65536"], "--port must be a whole number from 0 to 65535"],
    [["--port", "-1"], "--port needs a value"],
    [["--port", "80.5"], "--port must be a whole number"],
    [["--port", "1", "--port", "2"], "--port is given twice"],
    [["--host", "a b"], "--host must be an IP address or host name"],
    [["--period", "99"], "--period must be a whole number from 100 to 60000"],
    [["--period", "60001"], "--period must be a whole number from 100 to 60000"],
    [["--config", "my.json"], "--config needs a .dts or .dtb file"],
    [["--server", "apache"], "--server must be one of builtin, nginx, docker, none"],
    [["--nginx", "/usr/sbin/nginx"], "--nginx PATH needs --server nginx"],
    [["--server", "nginx", "--nginx", " "], "--nginx needs a non-empty value"],
    [["--rootfs", ""], "--rootfs needs a non-empty value"],
    [["--inline=yes"], "--inline takes no value"],
    [["--duration", "1h"], "--duration needs --virtual-time"],
    [["--virtual-time"], "--virtual-time needs --duration"],
    [["--virtual-time", "--duration", "0s"], "--duration must be longer than 0"],
    [["--virtual-time", "--duration", "1hour"], "--duration: reading the duration \"1hour\""],
    [["--stall-timeout", "500ms"], "--stall-timeout must be 0 (off) or at least 1s (got \"500ms\")"],
    [["--stall-timeout", "soon"], "--stall-timeout: reading the duration \"soon\""],
    [["--virtual-time", "--duration", "1h", "--no-autorun"], "--no-autorun needs an interactive run"],
    [["--virtual-time", "--duration", "1h", "--consoles", "telnet"], "--consoles telnet needs a run on real time"],
    [["--seed", "4294967296"], "--seed must be a whole number from 0 to 4294967295"],
    [["--faults", "drop=2"], "--faults: reading the fault item \"drop=2\""],
    [["--consoles", "serial"], "--consoles must be one of stdout, telnet"],
    [["--log-format", "xml"], "--log-format must be one of text, json"],
    [["--apps", "rust"], "--apps must be one of ts, c"],
    [["--apps", "c", "--apps", "ts"], "--apps is given twice"],
    [["--apps", "c", "--no-autorun"], "--no-autorun needs the TypeScript apps"],
    [["launch"], "unknown command \"launch\""],
    [["run", "now"], "unexpected argument \"now\" after \"run\""],
    [["lint"], "lint needs a file"],
    [["lint", "a.dts", "b.dts"], "unexpected argument \"b.dts\""],
    [["lint", "a.dts", "--port", "1"], "--port only applies when running the demo or browser, not to \"lint\""],
    [["browser", "--period", "200"], "--period only applies when running the demo, not to \"browser\""],
    [["browser", "--host", "a b"], "--host must be an IP address or host name"],
    [["browser", "now"], "unexpected argument \"now\" after \"browser\""],
    [["xl"], "xl needs list or destroy|restart|shutdown|reboot|pause|unpause|create|console DOMAIN"],
    [["xl", "migrate", "zephyr"], "(got \"migrate\")"],
    [["xl", "create"], "xl create needs a domain name or a device-tree fragment (.dts/.dtb)"],
    [["xl", "list", "zephyr"], "unexpected argument \"zephyr\" after \"xl list\""],
    [["xl", "destroy"], "xl destroy needs a domain name"],
    [["xl", "restart", "a", "b"], "unexpected argument \"b\""],
    [["xl", "list", "--demo", "0"], "--demo must be a whole number from 1 to 2147483647 (got \"0\")"],
    [["xl", "list", "--demo", "me"], "--demo must be a whole number"],
    [["--demo", "42"], "--demo only applies to xl, not to \"run\""],
    [["lint", "a.dts", "--demo", "42"], "--demo only applies to xl, not to \"lint\""],
    [["config", "a.dts", "b.dts"], "unexpected argument \"b.dts\""],
  ])("refuses %j with %j", (argv, reason) => {
    const err = usageErrorOf(argv);
    expect(err.message).toContain(reason);
    expect(err.message.startsWith("[v8r-demo] ")).toBe(true);
    expect(err.message).not.toContain("\n");
    expect(err.exitCode).toBe(2);
  });
});

describe("formatHelp", () => {
  const help = formatHelp();

  it.each(OPTION_TABLE.map((o) => [o.name, o.example] as const))("documents --%s with its example", (name, example) => {
    expect(help).toContain(`--${name}`);
    expect(help).toContain(`e.g. ${example}`);
  });

  it("documents the subcommands and the fault syntax", () => {
    for (const text of ["lint FILE", "xl list", "xl destroy DOMAIN", "xl restart DOMAIN", "xl create NAME|FILE", "xl console DOMAIN", "config [FILE]", "crash:DOMAIN@TIME", "corrupt[:REGION[/PART][:BYTES]]@TIME"]) {
      expect(help).toContain(text);
    }
  });

  it("lists every fault kind of the registry with its syntax and help", () => {
    for (const k of FAULT_KINDS as readonly AnyFaultKind[]) {
      expect(help).toContain(k.syntax);
      expect(help).toContain(k.help.split("\n")[0]);
    }
  });

  it("has every example parse without a usage error", () => {
    for (const o of OPTION_TABLE) {
      const argv = o.example.split(" ").slice(1);
      expect(() => parseOptions(argv)).not.toThrow();
    }
  });

  it("keeps lines within 100 columns", () => {
    for (const line of help.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });
});
