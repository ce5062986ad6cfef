/**
 * `v8r-cc`: compile and link a C program against the OpenAMP and libmetal
 * API and the v8r machine port (`platform_info.h`) into a WASI command
 * module that runs as a v8r guest application. Node (and Deno) only: it
 * drives Debian's clang (wasm32-wasi, wasi-libc) and binaryen's wasm-opt.
 *
 * ```sh
 * npx v8r-cc -o echo.wasm rpmsg-echo.c -DFOO -Iinc
 * ```
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkToolchain, toolchainFrom, ToolchainError } from "./_toolchain.ts";

/**
 * The imports a v8r-cc program may suspend in (Asyncify): the machine port's
 * waits, libmetal's sleep, and the WASI calls a guest OS may answer later
 * (sleeping, yielding, and the file operations of a root filesystem whose
 * storage is asynchronous).
 */
export const SUSPENDING_IMPORTS: readonly string[] = [
  "v8r_port.wait",
  "v8r_env.sleep_us",
  ...[
    "poll_oneoff",
    "sched_yield",
    "path_open",
    "fd_close",
    "fd_sync",
    "fd_datasync",
    "path_rename",
    "path_unlink_file",
    "path_create_directory",
    "path_remove_directory",
    "path_filestat_get",
  ].map((name) => `wasi_snapshot_preview1.${name}`),
];

/** Stack size of a v8r-cc program (wasm-ld's default is 64 KiB). */
export const STACK_BYTES = 256 * 1024;

/**
 * Where the headers, the machine port and the libraries are: `dist/sysroot/`
 * in the built package (the build copies them there), the package directory
 * when running from the sources.
 */
const SYSROOT: string = ((): string => {
  const built = new URL("sysroot/", import.meta.url);
  return fileURLToPath(existsSync(new URL("include/openamp/open_amp.h", built)) ? built : new URL("../", import.meta.url));
})();

/** Where v8r-cc finds its headers and libraries. */
export const V8R_CC_PATHS: { readonly include: string; readonly machineInclude: string; readonly lib: string } = {
  include: join(SYSROOT, "include"),
  machineInclude: join(SYSROOT, "machine", "include"),
  lib: join(SYSROOT, "lib", "wasm32-wasi"),
} as const;

/** What {@link runV8rCc} writes and reads besides the tools' own output. */
export interface V8rCcIo {
  /** Environment (V8R_CLANG, V8R_WASM_OPT); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where v8r-cc's own messages go; default stderr. */
  readonly error?: (line: string) => void;
  /** Where --help and --version go; default stdout. */
  readonly out?: (text: string) => void;
  /** Working directory of the tools; default the process's. */
  readonly cwd?: string;
}

/** The command line split into v8r-cc's own options and clang's. */
interface Parsed {
  /** clang's options, in order (inputs apart). */
  readonly clangArgs: string[];
  /** Input files in order: sources to compile, and objects or archives to link. */
  readonly inputs: string[];
  readonly output: string | undefined;
  readonly link: boolean;
  readonly watchdog: boolean;
  /** The -O level: clang's, also given to wasm-opt. */
  readonly opt: string;
  /** Whether the user chose it (then it is in clangArgs). */
  readonly userOpt: boolean;
  readonly extraImports: string[];
  readonly help: boolean;
  readonly version: boolean;
}

/** Options after which clang takes a separate value (so the value is not an input file). */
const TAKES_VALUE = new Set(["-I", "-D", "-U", "-L", "-l", "-include", "-isystem", "-iquote", "-idirafter", "-x", "-MF", "-MT", "-MQ", "-Xclang", "-Xlinker", "-mllvm"]);
const NO_LINK = new Set(["-c", "-S", "-E", "-M", "-MM", "-fsyntax-only"]);

function parse(args: readonly string[]): Parsed | string {
  const clangArgs: string[] = [];
  const inputs: string[] = [];
  const extraImports: string[] = [];
  let output: string | undefined;
  let link = true, watchdog = true, opt = "-O2", userOpt = false, help = false, version = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const next = (): string | undefined => args[++i];
    if (a === "-h" || a === "--help") help = true;
    else if (a === "--version") version = true;
    else if (a === "--no-watchdog") watchdog = false;
    else if (a === "--asyncify-import" || a.startsWith("--asyncify-import=")) {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : next();
      if (v === undefined || !/^[\w-]+\.[\w-]+$/.test(v)) return `--asyncify-import needs MODULE.NAME (e.g. my_os.wait), not ${JSON.stringify(v ?? "")}`;
      extraImports.push(v);
    } else if (a === "-o" || (a.startsWith("-o") && a.length > 2)) {
      output = a === "-o" ? next() : a.slice(2);
      if (output === undefined) return "-o needs a file name";
    } else {
      if (NO_LINK.has(a)) link = false;
      if (/^-O/.test(a)) {
        opt = a;
        userOpt = true;
      }
      if (!a.startsWith("-") || a === "-") inputs.push(a);
      else clangArgs.push(a);
      if (TAKES_VALUE.has(a)) {
        const v = next();
        if (v === undefined) return `${a} needs a value`;
        clangArgs.push(v);
      }
    }
  }
  return { clangArgs, inputs, output, link, watchdog, opt, userOpt, extraImports, help, version };
}

const USAGE = `Usage: v8r-cc [options] -o app.wasm file.c [file.c ...]

Compile and link C against OpenAMP, libmetal and the v8r machine port
(#include "platform_info.h") into a WASI command module for a v8r guest
(v8r-demo --app zephyr=app.wasm). Other options go to clang unchanged
(-D, -I, -O, -W, -g, -std=, -l, -c, ...).

Options:
  -o FILE                      output file (default a.wasm; with -c, clang's default)
  --no-watchdog                do not instrument the program for the spin watchdog
  --asyncify-import MOD.NAME   one more import the program may suspend in (repeatable)
  -h, --help                   this text
  --version                    the version of v8r-cc and its tools

Needs Debian's clang lld wasi-libc libclang-rt-dev-wasm32 binaryen
(V8R_CLANG and V8R_WASM_OPT name other binaries).
`;

/**
 * Run v8r-cc with command-line `args`; returns the exit status (clang's or
 * wasm-opt's when they fail, whose messages pass through unchanged; 2 for a
 * usage error; 1 for a missing tool, with one line naming the Debian package).
 * @example
 * ```ts
 * import { runV8rCc } from "@v8r/openamp-wasm/v8r-cc";
 * const status = runV8rCc(["-o", "echo.wasm", "echo.c"]);
 * ```
 */
export function runV8rCc(args: readonly string[], io: V8rCcIo = {}): number {
  const error = io.error ?? ((line: string) => process.stderr.write(`${line}\n`));
  const out = io.out ?? ((text: string) => process.stdout.write(text));
  const p = parse(args);
  if (typeof p === "string") {
    error(`[openamp-wasm] v8r-cc: ${p} (v8r-cc --help for usage)`);
    return 2;
  }
  if (p.help) return out(USAGE), 0;
  const tools = toolchainFrom(io.env ?? process.env);
  if (p.version) {
    const r = spawnSync(tools.clang, ["--version"], { encoding: "utf8" });
    out(`v8r-cc (@v8r/openamp-wasm), OpenAMP 1.10 / libmetal 1.10 API\n${(r.stdout ?? "").split("\n")[0] || "clang: not found"}\n`);
    return 0;
  }
  if (p.inputs.length === 0) {
    error("[openamp-wasm] v8r-cc: no input files (v8r-cc --help for usage)");
    return 2;
  }
  try {
    checkToolchain(tools, p.link);
  } catch (e) {
    if (e instanceof ToolchainError) return error(e.message), 1;
    throw e;
  }
  if (!p.link) return run(tools.clang, [...compileFlags(p), ...p.clangArgs, ...p.inputs, ...(p.output ? ["-o", p.output] : [])], io.cwd);
  return compileAndLink(p, tools, io.cwd);
}

function compileFlags(p: Parsed): string[] {
  return [
    "--target=wasm32-wasi",
    `-I${V8R_CC_PATHS.machineInclude}`,
    `-I${V8R_CC_PATHS.include}`,
    ...(p.userOpt ? [] : [p.opt]),
    ...(p.watchdog ? ["-fsanitize-coverage=bb,trace-pc,no-prune"] : []),
  ];
}

/** Objects and archives go to the linker as they are; anything else is compiled. */
const LINK_INPUT = /\.(o|obj|a|so)$/;

/**
 * Compile each source to an object, link the objects (without -O, so clang
 * does not run wasm-opt itself and drop the function names), then apply
 * Asyncify and optimise with wasm-opt.
 */
function compileAndLink(p: Parsed, tools: ReturnType<typeof toolchainFrom>, cwd: string | undefined): number {
  const tmp = mkdtempSync(join(tmpdir(), "v8r-cc-"));
  try {
    const objects: string[] = [];
    for (const [i, input] of p.inputs.entries()) {
      if (LINK_INPUT.test(input)) {
        objects.push(input);
        continue;
      }
      const obj = join(tmp, `${i}.o`);
      const status = run(tools.clang, [...compileFlags(p), ...p.clangArgs, "-Qunused-arguments", "-c", input, "-o", obj], cwd);
      if (status !== 0) return status;
      objects.push(obj);
    }
    const linked = join(tmp, "linked.wasm");
    const ld = [`-L${V8R_CC_PATHS.lib}`, "-lv8r_machine", "-lopen_amp", "-lmetal", "-Wl,--export=v8r_asyncify_buf", "-Wl,--export=v8r_asyncify_size", `-Wl,-z,stack-size=${STACK_BYTES}`];
    const linkArgs = p.clangArgs.filter((a) => !/^-O/.test(a));
    const status = run(tools.clang, ["--target=wasm32-wasi", ...linkArgs, "-Qunused-arguments", ...objects, ...ld, "-o", linked], cwd);
    if (status !== 0) return status;
    const imports = [...SUSPENDING_IMPORTS, ...p.extraImports].join(",");
    // -g keeps the names section (a trap names the function it happened in); DWARF only when asked for with -g
    const dwarf = p.clangArgs.some((a) => /^-g/.test(a) && a !== "-g0") ? [] : ["--strip-dwarf"];
    const opt = ["--asyncify", `--pass-arg=asyncify-imports@${imports}`, wasmOptLevel(p.opt), "-g", ...dwarf, linked, "-o", p.output ?? "a.wasm"];
    return run(tools.wasmOpt, opt, cwd);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** wasm-opt's level for clang's -O flag (wasm-opt knows -O0..-O4, -Os, -Oz). */
function wasmOptLevel(opt: string): string {
  if (/^-O[0-4sz]$/.test(opt)) return opt;
  if (opt === "-O" || opt === "-Og") return "-O1";
  return opt === "-Ofast" ? "-O3" : "-O2";
}

function run(cmd: string, args: readonly string[], cwd: string | undefined): number {
  const r = spawnSync(cmd, args, { stdio: "inherit", ...(cwd !== undefined ? { cwd } : {}) });
  if (r.error !== undefined) throw r.error;
  return r.status ?? 1;
}
