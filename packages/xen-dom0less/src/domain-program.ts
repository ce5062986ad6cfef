/**
 * The domain side of a WASI program that a guest OS runs as its application
 * (`v8r,image` naming a `.wasm`): what the domain gives the program (its
 * arguments from the bootargs, its console, the platform clock, a blocking
 * wait in worker mode, its static shared memory and event channels) and how
 * the program's end shows on Xen's console and in `xl list`. The shape
 * matches what `@v8r/openamp-wasm`'s `program.start()` takes, without this
 * package depending on it.
 *
 * @module
 */
import type { Clock, MemoryWindow } from "@v8r/fvp-core";
import { bootargInt, bootargWords, parseBootargs } from "./bootargs.ts";
import type { DomainContext } from "./domain-context.ts";
import { type DomainProgramChannel, domainProgramChannel, type ProgramMemory } from "./domain-program-channel.ts";

/** A started program, as the guest OS drives it. */
export interface DomainProgramRun {
  /** Resolves with the exit status; rejects with an error whose `code` says why it ended otherwise. */
  readonly exited: Promise<{ readonly code: number }>;
  /** An event came on one of the domain's event channels. */
  ring(): void;
  /** Stop it (the domain is going away). */
  stop(): void;
}

/** What the domain gives a program. */
export interface DomainProgramEnv {
  /** The program's file name, then the words of the bootargs. */
  readonly args: readonly string[];
  /** To the domain's console. */
  readonly stdout: (text: string) => void;
  /** To the domain's console too. */
  readonly stderr: (text: string) => void;
  /** The platform clock as the domain sees it. */
  readonly clock: Clock;
  /** Worker mode: block until an interrupt or the time (the vCPU's WFI); absent inline. */
  readonly idle?: (timeoutMs: number) => boolean;
  /** Runs each stretch of the program, accounting it on the domain's CPU. */
  readonly slice: <T>(run: () => T) => T;
  /** Longest stretch without waiting, host ms (`watchdog_ms=` in the bootargs; default the runner's). */
  readonly watchdogMs?: number;
  /** The static shared memory regions (by `xen,id`) and event channels (ports) of the domain. */
  readonly machine: {
    readonly regions: readonly { readonly name: string; readonly shm: MemoryWindow; readonly physBase: number }[];
    readonly doorbells: readonly number[];
    notify(port: number): void;
  };
  /**
   * The platform channel every program gets, module `v8r_guest`
   * ({@link domainProgramChannel}: trace events out, control messages in),
   * made once the runner knows the program's memory.
   */
  readonly imports: (host: ProgramMemory) => DomainProgramChannel["imports"];
}

/** How the guest OS hands the program its events (default: the domain's static event channels, bound directly). */
export interface DomainProgramEvents {
  /** Call `ring` on each event of the domain's static event channels (a guest OS that owns them binds through its own API). */
  bind?(ring: () => void): void;
  /** Send an event on `port` (default `ctx.evtchn.send`). */
  notify?(port: number): void;
}

/**
 * A domain's program ended by itself (published by {@link runDomainProgram}
 * just before the domain shuts down, stamped with the domain): its exit
 * status, which Xen's console shows as a shutdown (0) or a crash (others).
 */
export interface ProgramExitEvent {
  /** Always `program-exit`. */
  readonly type: "program-exit";
  /** The program's file name. */
  readonly program: string;
  /** Its exit status. */
  readonly code: number;
}

/** A program error that means the domain is going away, not that the program failed. */
const STOPPED = "stopped";

/** The file name of the domain's program (`ctx.program`), for its argv and messages. */
export function programName(ctx: DomainContext): string {
  const url = ctx.program;
  if (url === undefined) return ctx.name;
  return decodeURIComponent(new URL(url).pathname.split("/").pop() || ctx.name);
}

/**
 * Start the domain's program with `start(env)` (which loads it and starts it)
 * and resolve once it runs: every static event channel rings it; when it
 * exits, the domain shuts down with the status on Xen's console (0:
 * poweroff; other values: crash, so the domain's `on_crash` policy applies);
 * when it cannot be loaded or fails (not WASI, a trap, the watchdog, a
 * missing import), the domain crashes with the reason, and nothing else is
 * disturbed. Resolves with the run, or undefined when it did not start.
 * @example
 * ```ts
 * export async function start(ctx: DomainContext) {
 *   await runDomainProgram(ctx, async (env) => (await ctx.clock.hold(loadWasiProgram(new URL(ctx.program!)))).start(env));
 * }
 * ```
 */
export async function runDomainProgram<R extends DomainProgramRun>(
  ctx: DomainContext,
  start: (env: DomainProgramEnv) => R | Promise<R>,
  events: DomainProgramEvents = {},
): Promise<R | undefined> {
  const name = programName(ctx);
  const crash = (e: unknown): void => ctx.shutdown("crash", e instanceof Error ? e.message : String(e));
  let run: R | undefined;
  let channel: DomainProgramChannel | undefined;
  const imports = (host: ProgramMemory): DomainProgramChannel["imports"] => {
    channel?.close();
    channel = domainProgramChannel(ctx, host, () => run?.ring());
    return channel.imports;
  };
  try {
    // events first: the program may send and wait as soon as it starts
    const bind = events.bind ?? ((cb: () => void) => ctx.evtchn.ports().forEach((port) => ctx.evtchn.bind(port, cb)));
    bind(() => run?.ring());
    run = await start(programEnv(ctx, name, events.notify ?? ((port) => ctx.evtchn.send(port)), imports));
  } catch (e) {
    channel?.close();
    crash(e);
    return undefined;
  }
  void run.exited.then(
    ({ code }) => {
      channel?.close();
      const exit: ProgramExitEvent = { type: "program-exit", program: name, code };
      ctx.publish(exit);
      ctx.shutdown(code === 0 ? "poweroff" : "crash", `${name} exited with status ${code}`);
    },
    (e: unknown) => {
      channel?.close();
      if ((e as { code?: unknown } | null)?.code !== STOPPED) crash(e);
    },
  );
  return run;
}

/** A loaded WASI program as a guest OS starts it (`@v8r/openamp-wasm`'s WasiProgram fits). */
export interface DomainProgramImage<O, R> {
  /** The compiled module (its imports tell {@link envForProgram} what it reads). */
  readonly module: WebAssembly.Module;
  /** Whether it can suspend in its waits (built with v8r-cc). */
  readonly suspendable: boolean;
  /** Start it with `options`. */
  start(options: O): R;
}

/** The runs {@link startDomainWasi} started, by domain instance. */
const RUNS = new WeakMap<DomainContext, DomainProgramRun>();

/**
 * What every guest OS does to run its domain's program (`ctx.program`):
 * load it with `load` (held on the platform clock; `@v8r/openamp-wasm`'s
 * `loadWasiProgram`), start it through {@link runDomainProgram} with the
 * domain's env ({@link envForProgram}) and the guest OS's own options
 * `more(env)` (a file system, its C API), and keep the run for
 * {@link stopDomainWasi}. `owner` (`linux-shim`, ...) prefixes the error of
 * a kernel module that names no program. Resolves with the run, or
 * undefined when it did not start (the domain crashed with the reason).
 * @example
 * ```ts
 * export const start = (ctx: DomainContext) => startDomainWasi(ctx, "my-os", loadWasiProgram, () => ({}));
 * export const stop = stopDomainWasi;
 * ```
 */
export async function startDomainWasi<X extends object, R extends DomainProgramRun>(
  ctx: DomainContext,
  owner: string,
  load: (url: URL, name: string) => Promise<DomainProgramImage<DomainProgramEnv & X, R>>,
  more: (env: DomainProgramEnv) => X,
  events?: DomainProgramEvents,
): Promise<R | undefined> {
  const start = async (env: DomainProgramEnv): Promise<R> => {
    if (ctx.program === undefined) throw new TypeError(`[${owner}] ${ctx.name}: this image runs a WASI program, and the kernel module names none (v8r,image = "<file>.wasm")`);
    const program = await ctx.clock.hold(load(new URL(ctx.program), programName(ctx)));
    return program.start({ ...envForProgram(env, program.module, program.suspendable), ...more(env) });
  };
  const run = await runDomainProgram(ctx, start, events);
  if (run !== undefined) RUNS.set(ctx, run);
  return run;
}

/** The guest OS's `stop` for a program started by {@link startDomainWasi}: it ends at its next wait. */
export function stopDomainWasi(ctx: DomainContext): void {
  RUNS.get(ctx)?.stop();
}

/**
 * `env` for the program `module` (`suspendable`: it can suspend in its
 * waits, as v8r-cc builds them). In worker mode a program blocks its thread
 * in its waits, and a blocked thread takes no message: one that reads the
 * host's control messages (it imports `v8r_guest.control`) and can suspend
 * gets no `idle`, so it suspends and the messages reach it; one that reads
 * them but cannot suspend blocks and gets none, which it is told on stderr.
 * @example
 * ```ts
 * return program.start(envForProgram(env, program.module, program.suspendable));
 * ```
 */
export function envForProgram(env: DomainProgramEnv, module: WebAssembly.Module, suspendable: boolean): DomainProgramEnv {
  if (env.idle === undefined) return env;
  if (!WebAssembly.Module.imports(module).some((i) => i.module === "v8r_guest" && i.name === "control")) return env;
  if (!suspendable) {
    env.stderr(`[xen-dom0less] ${env.args[0] ?? "the program"} reads control messages (v8r_guest_control) but cannot suspend (it was not built with v8r-cc): in a Worker it blocks in its waits, and a blocked thread takes no message, so it will get none\n`);
    return env;
  }
  const { idle: _blocking, ...suspending } = env;
  return suspending;
}

function programEnv(ctx: DomainContext, name: string, notify: (port: number) => void, imports: DomainProgramEnv["imports"]): DomainProgramEnv {
  const cpu = ctx.cpus[0];
  const write = (text: string): void => ctx.console.write(text);
  const regions = ctx.reservedMemory.map((n) => ({ name: n.xenId, shm: ctx.mapSharedMemory(n.xenId), physBase: n.address }));
  const machine = { regions, doorbells: ctx.evtchn.ports(), notify };
  const bootargs = parseBootargs(ctx.bootargs);
  const watchdog = bootargs.has("watchdog_ms") ? { watchdogMs: bootargInt(bootargs, "watchdog_ms", 0, { min: 0, max: 3_600_000 }) } : {};
  const base = { args: [name, ...bootargWords(ctx.bootargs)], stdout: write, stderr: write, clock: ctx.clock, machine, imports, ...watchdog };
  // each stretch of the program is busy time of the vCPU
  const slice = <T>(fn: () => T): T => (cpu ? cpu.busy(fn) : fn());
  const wfi = ctx.waitForInterrupt;
  // inline: the program suspends between stretches
  if (wfi === undefined) return { ...base, slice };
  // worker: the program blocks in its waits, inside its stretch; the WFI is
  // idle time, so the vCPU shows busy (to the stall check) only while it runs
  const idle = (timeoutMs: number): boolean => (cpu ? cpu.waiting(() => wfi(timeoutMs)) : wfi(timeoutMs));
  return { ...base, idle, slice };
}
