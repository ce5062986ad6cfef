/**
 * Run a WASI command module (a C program built with v8r-cc) as a guest
 * application, with `@bjorn3/browser_wasi_shim` (Node, Deno, browsers alike):
 * its arguments and environment, stdout and stderr to the guest's console,
 * time and sleeps on the platform clock, the v8r machine port's imports over
 * the shared memory and doorbells the guest OS hands over, and the guest OS's
 * own file system calls. Where the thread may block (a Worker) the program
 * blocks in its waits; where it must not (inline, virtual time) it suspends
 * (Asyncify) and the scheduler runs on.
 *
 * @module
 */
import { ConsoleStdout, type Fd, File, OpenFile, WASI, WASIProcExit } from "@bjorn3/browser_wasi_shim";
import { canSuspend, type MaybeAsync, Suspender } from "./_asyncify.ts";
import { loadBytes } from "./_load-bytes.ts";
import { memoryText } from "./_memory-text.ts";
import { wasiClockImports } from "./_wasi-clock.ts";
import { Waits } from "./_waits.ts";
import type { Clock } from "./device-options.ts";
import { machinePortImports, METAL_LOG_LEVELS, type MachinePortOptions } from "./machine-port.ts";
import { WasiProgramError } from "./wasi-program-error.ts";

/** A host function of a program: a value now, or a promise the program suspends on. */
export type ProgramImport = (...args: never[]) => MaybeAsync<unknown>;

/** What a program is given and where its output goes. */
export interface WasiRunOptions {
  /** argv, the program's name first. */
  readonly args: readonly string[];
  /** Environment, `NAME=value` strings. */
  readonly env?: readonly string[];
  /** Text the program writes on stdout. */
  readonly stdout: (text: string) => void;
  /** Text on stderr (default: like stdout). */
  readonly stderr?: (text: string) => void;
  /** The platform clock: time in ms and timers (fvp-core's Clock fits). */
  readonly clock: Clock;
  /** Wall-clock time at platform time 0, ms since 1970 (default: now minus `clock.now()`). */
  readonly epochMs?: number;
  /**
   * Present where the thread may block (a Worker): block until something
   * happened (an interrupt, whose handler may ring the doorbell) or
   * `timeoutMs` passed; return false when the program must stop. Absent: the
   * program suspends in its waits.
   */
  readonly idle?: (timeoutMs: number) => boolean;
  /** Fill with random bytes (default: crypto.getRandomValues). */
  readonly random?: (bytes: Uint8Array) => void;
  /** The shared memory and doorbells of the machine port (none: platform_init fails). */
  readonly machine?: MachinePortOptions;
  /** Descriptors after stdin, stdout and stderr: preopened directories (fd 3, 4, ...). */
  readonly preopens?: readonly Fd[];
  /**
   * WASI functions to answer differently (a file system): made once the
   * descriptor table exists, given it, the program's memory and the shim's
   * own functions; promises they return suspend the program.
   */
  readonly wasi?: (host: WasiHost) => Readonly<Record<string, ProgramImport>>;
  /** More import modules (a guest OS's own API), or a function making them given the program's host side; promises suspend the program. */
  readonly imports?: ProgramImports | ((host: WasiHost) => ProgramImports);
  /** Stop a program that runs longer than this without waiting, host ms (default 5000; 0: never). */
  readonly watchdogMs?: number;
  /** Runs each stretch of the program (between waits), e.g. to account CPU time. */
  readonly slice?: <T>(run: () => T) => T;
  /** libmetal's log lines (default: on stderr as `metal: <level>: <message>`). */
  readonly log?: (level: string, message: string) => void;
}

/** Import modules of a program, by module name. */
export type ProgramImports = Readonly<Record<string, Readonly<Record<string, ProgramImport>>>>;

/** What {@link WasiRunOptions.wasi} (and a function {@link WasiRunOptions.imports}) is given. */
export interface WasiHost {
  /** The program's memory (valid once it runs). */
  memory(): WebAssembly.Memory;
  /** The UTF-8 text the program passes as (`ptr`, `len`) (a path, JSON): the one reader of program text. */
  text(ptr: number, len: number): string;
  /** The descriptor table: stdin, stdout, stderr, the preopens, then what the program opened (`undefined` once closed). */
  readonly fds: (Fd | undefined)[];
  /** browser_wasi_shim's own functions, to fall back on. */
  readonly original: Readonly<Record<string, (...args: never[]) => unknown>>;
}

/** How a program ended by itself. */
export interface WasiExit {
  /** Its exit status (0 when main returned 0). */
  readonly code: number;
}

/** A started program. */
export interface WasiRun {
  /** Resolves with the exit status; rejects with a {@link WasiProgramError} when it trapped, spun, was stopped, ... */
  readonly exited: Promise<WasiExit>;
  /** The doorbell rang (call it from the event channel's handler). */
  ring(): void;
  /** Stop the program: it ends at its next wait (exited rejects with code "stopped"). */
  stop(): void;
}

/** Default of {@link WasiRunOptions.watchdogMs}. */
export const DEFAULT_WATCHDOG_MS = 5000;

const defaultRandom = (bytes: Uint8Array): void => void crypto.getRandomValues(bytes as Uint8Array<ArrayBuffer>);

/**
 * A compiled WASI command module, checked: it exports `_start` and its memory.
 * @example
 * ```ts
 * const program = await loadWasiProgram(bytes, "echo.wasm");
 * const run = program.start({ args: ["echo.wasm"], stdout: (t) => console.log(t), clock });
 * console.log((await run.exited).code);
 * ```
 */
export class WasiProgram {
  /** The compiled module (post it to a Worker to run it there). */
  readonly module: WebAssembly.Module;
  /** The program's name in messages (its file name). */
  readonly name: string;
  /** Whether it can suspend (built with v8r-cc: Asyncify). */
  readonly suspendable: boolean;

  /** Prefer {@link loadWasiProgram}; throws WasiProgramError "not-wasi". */
  constructor(module: WebAssembly.Module, name: string) {
    const exports = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
    if (exports.get("_start") !== "function" || exports.get("memory") !== "memory") {
      const what = exports.get("_initialize") === "function" ? "a WASI reactor (no _start)" : exports.get("_start") !== "function" ? "not a WASI command: it exports no _start" : "not a WASI command: it exports no memory";
      throw new WasiProgramError("not-wasi", `[openamp-wasm] ${name} is ${what}; build programs with v8r-cc (or clang --target=wasm32-wasi)`);
    }
    this.module = module;
    this.name = name;
    this.suspendable = canSuspend(module);
  }

  /** Instantiate and run the program; see {@link WasiRunOptions}. */
  start(options: WasiRunOptions): WasiRun {
    return startProgram(this, options);
  }
}

/**
 * Compile `source` (bytes, a compiled module, or a URL read with fetch, or
 * node:fs for a `file:` URL) into a {@link WasiProgram}; `name` is used in
 * messages. Throws WasiProgramError "not-wasm" or "not-wasi".
 */
export async function loadWasiProgram(source: Uint8Array | ArrayBuffer | WebAssembly.Module | URL, name?: string): Promise<WasiProgram> {
  const label = name ?? (source instanceof URL ? source.pathname.split("/").pop() ?? source.href : "program");
  if (source instanceof WebAssembly.Module) return new WasiProgram(source, label);
  const bytes = source instanceof URL ? await loadBytes(source) : source;
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes as BufferSource);
  } catch (cause) {
    throw new WasiProgramError("not-wasm", `[openamp-wasm] ${label} is not a WebAssembly module: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  return new WasiProgram(module, label);
}

function startProgram(program: WasiProgram, o: WasiRunOptions): WasiRun {
  const name = program.name;
  const waits = new Waits({
    clock: o.clock,
    ...(o.idle !== undefined ? { idle: o.idle } : {}),
    hostTime: () => performance.now(),
    watchdogMs: o.watchdogMs ?? DEFAULT_WATCHDOG_MS,
    name,
  });
  const decoder = (): ((b: Uint8Array) => string) => {
    const d = new TextDecoder();
    return (b) => d.decode(b, { stream: true });
  };
  const out = decoder(), err = decoder();
  const stderr = o.stderr ?? o.stdout;
  const fds: Fd[] = [new OpenFile(new File([])), new ConsoleStdout((b) => o.stdout(out(b))), new ConsoleStdout((b) => stderr(err(b))), ...(o.preopens ?? [])];
  const wasi = new WASI([...o.args], [...(o.env ?? [])], fds, { debug: false });
  let memory: WebAssembly.Memory | undefined;
  const mem = (): WebAssembly.Memory => memory!;
  const suspender = new Suspender();
  const noSuspend = (what: string): Error =>
    new WasiProgramError("no-asyncify", `[openamp-wasm] ${name} has to wait in ${what}, but it cannot suspend here (inline mode) because it was not built with v8r-cc (no Asyncify)`);
  const wrapAll = (mod: string, fns: Readonly<Record<string, ProgramImport>>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(fns).map(([n, fn]) => [n, suspender.wrap(`${mod}.${n}`, fn as (...a: unknown[]) => MaybeAsync<unknown>, noSuspend)]));
  const log = o.log ?? ((level: string, message: string) => stderr(`metal: ${level}: ${message}\n`));
  const clockImports = wasiClockImports({ now: () => o.clock.now(), epochMs: o.epochMs ?? Date.now() - o.clock.now(), random: o.random ?? defaultRandom, waits, memory: mem });
  const port = machinePortImports(o.machine, {
    memory: mem,
    waits,
    now: () => o.clock.now(),
    log: (level, message) => log(METAL_LOG_LEVELS[level] ?? "log", message),
    error: (message) => stderr(`${message}\n`),
  });
  const host: WasiHost = { memory: mem, text: (ptr, len) => memoryText(mem(), ptr, len), fds: wasi.fds as (Fd | undefined)[], original: { ...wasi.wasiImport } };
  const more = typeof o.imports === "function" ? o.imports(host) : o.imports;
  // the port's shared-memory accesses always answer at once and run many times per message: given unwrapped
  const imports: WebAssembly.Imports = {
    wasi_snapshot_preview1: { ...wasi.wasiImport, ...wrapAll("wasi_snapshot_preview1", { ...clockImports, ...o.wasi?.(host) }) },
    ...Object.fromEntries(Object.entries({ ...port, ...more }).map(([m, fns]) => [m, fns === port.v8r_shm ? fns : wrapAll(m, fns)])),
  } as WebAssembly.Imports;
  checkImports(program, imports);
  let done = false;
  const exited = (async (): Promise<WasiExit> => {
    try {
      // on a virtual clock, time stands still while the module is instantiated: the program starts at the same point of every run
      const instantiate = (): Promise<WebAssembly.Instance> => WebAssembly.instantiate(program.module, imports);
      const instance = await (o.clock.hold ? o.clock.hold(instantiate) : instantiate());
      memory = instance.exports.memory as WebAssembly.Memory;
      wasi.inst = instance as unknown as WASI["inst"];
      suspender.attach(program.module, instance.exports);
      const entry = instance.exports._start as () => unknown;
      const slice = o.slice ?? (<T>(run: () => T): T => run());
      waits.touch();
      await suspender.run(() => slice(entry), () => waits.touch());
      return { code: 0 };
    } catch (e) {
      if (e instanceof WASIProcExit) return { code: e.code };
      throw classify(name, e);
    } finally {
      done = true;
    }
  })();
  return {
    exited,
    ring: () => {
      if (!done) waits.ring();
    },
    stop: () => waits.stop(new WasiProgramError("stopped", `[openamp-wasm] ${name} was stopped`)),
  };
}

/** The first import the host does not provide, as a WasiProgramError "import". */
function checkImports(program: WasiProgram, imports: WebAssembly.Imports): void {
  for (const i of WebAssembly.Module.imports(program.module)) {
    const mod = imports[i.module] as Record<string, unknown> | undefined;
    if (i.kind === "function" && typeof mod?.[i.name] === "function") continue;
    const hint = i.module.startsWith("wasi_") && i.module !== "wasi_snapshot_preview1" ? " (only wasi_snapshot_preview1 is provided)" : "";
    throw new WasiProgramError("import", `[openamp-wasm] ${program.name} imports ${i.module}.${i.name} (${i.kind}), which this guest does not provide${hint}`);
  }
}

/** A program failure as a WasiProgramError (kept when it is one). */
function classify(name: string, e: unknown): WasiProgramError {
  if (e instanceof WasiProgramError) return e;
  if (e instanceof WebAssembly.RuntimeError) {
    const frame = /at (\S+) \(wasm:/.exec(e.stack ?? "")?.[1];
    return new WasiProgramError("trap", `[openamp-wasm] ${name} trapped: ${e.message}${frame ? ` (in ${frame})` : ""}`, { cause: e });
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new WasiProgramError("trap", `[openamp-wasm] ${name} trapped: ${e.message}`, { cause: e });
  }
  const why = e instanceof Error ? e.message : String(e);
  return new WasiProgramError("host", `[openamp-wasm] ${name} failed in a host call: ${why}`, { cause: e });
}
