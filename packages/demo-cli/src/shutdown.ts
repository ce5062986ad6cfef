/**
 * Orderly shutdown on SIGINT/SIGTERM: run the registered hooks (last
 * registered first), then exit 0 (or the code a hook asked for); a second
 * signal forces exit 1.
 *
 * @module
 */
import { describeError } from "@v8r/fvp-core";

/** The signals that stop the demo. */
export type StopSignal = "SIGINT" | "SIGTERM";

/** Where signals come from (`process` in the CLI, an EventEmitter in tests). */
export interface SignalSource {
  /** Listen for a signal. */
  on(signal: StopSignal, listener: () => void): unknown;
  /** Stop listening. */
  removeListener(signal: StopSignal, listener: () => void): unknown;
}

/** Options of {@link createShutdown}. */
export interface ShutdownOptions {
  /** Where signals come from; none are watched when absent. */
  readonly signals?: SignalSource;
  /** Ends the process. */
  readonly exit: (code: number) => void;
  /** Reports progress and hook failures. */
  readonly log: (line: string, level: "info" | "error") => void;
  /** Longest time all hooks may take before exit 1, ms; default 10000. */
  readonly timeoutMs?: number;
  /** Called once when a shutdown starts, before its hooks run (the stall watchdog's deadline starts). */
  readonly onStop?: () => void;
}

/** A shutdown hook: cleans up; may return the exit code the run should end with. */
export type ShutdownHook = () => void | number | Promise<void | number>;

/** The shutdown controller. */
export interface Shutdown {
  /**
   * Register a hook; hooks run in reverse order of registration. A hook may
   * return an exit code for the run (the highest one asked for wins). Returns
   * a function that unregisters it.
   */
  add(name: string, hook: ShutdownHook): () => void;
  /** Run every hook once (later calls return the same promise) and resolve with the exit code: 0, the highest code a hook returned, or at least 1 when a hook failed or timed out. */
  run(reason: string): Promise<number>;
  /** Run the hooks, then call `exit` with the code. */
  stop(reason: string): Promise<void>;
  /** Whether a shutdown has started. */
  readonly started: boolean;
  /** Stop watching signals (for a process that exits by itself). */
  dispose(): void;
}

/**
 * Build the shutdown controller and watch SIGINT and SIGTERM.
 *
 * @example
 * ```ts
 * const shutdown = createShutdown({ signals: process, exit: (c) => process.exit(c), log: (l) => console.error(l) });
 * shutdown.add("flush consoles", () => mux.flush());
 * shutdown.add("close server", () => server.close());
 * ```
 */
export function createShutdown(options: ShutdownOptions): Shutdown {
  const { signals, exit, log, timeoutMs = 10_000 } = options;
  const hooks: { name: string; hook: ShutdownHook }[] = [];
  let running: Promise<number> | undefined;

  const runHooks = async (): Promise<number> => {
    let code = 0;
    for (const { name, hook } of [...hooks].reverse()) {
      try {
        const asked = await hook();
        if (typeof asked === "number" && asked > code) code = asked;
      } catch (err) {
        code = Math.max(code, 1);
        log(`[v8r-demo] shutting down: ${name} failed: ${describeError(err).error}`, "error");
      }
    }
    return code;
  };

  const run = (reason: string): Promise<number> => {
    if (running !== undefined) return running;
    log(`[v8r-demo] ${reason}: stopping`, "info");
    options.onStop?.();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        log(`[v8r-demo] shutting down took over ${timeoutMs} ms: giving up`, "error");
        resolve(1);
      }, timeoutMs);
    });
    running = Promise.race([runHooks(), timeout]).finally(() => clearTimeout(timer));
    return running;
  };

  const stop = async (reason: string): Promise<void> => {
    const code = await run(reason);
    dispose();
    exit(code);
  };

  const onSignal = (signal: StopSignal): void => {
    if (running !== undefined) {
      log(`[v8r-demo] ${signal} again: exiting now`, "error");
      dispose();
      exit(1);
      return;
    }
    void stop(`${signal} (press Ctrl-C again to force)`);
  };
  const onInt = (): void => onSignal("SIGINT");
  const onTerm = (): void => onSignal("SIGTERM");
  signals?.on("SIGINT", onInt);
  signals?.on("SIGTERM", onTerm);

  function dispose(): void {
    signals?.removeListener("SIGINT", onInt);
    signals?.removeListener("SIGTERM", onTerm);
  }

  return {
    add(name, hook) {
      const entry = { name, hook };
      hooks.push(entry);
      return () => {
        const i = hooks.indexOf(entry);
        if (i >= 0) hooks.splice(i, 1);
      };
    },
    run,
    stop,
    get started() {
      return running !== undefined;
    },
    dispose,
  };
}
