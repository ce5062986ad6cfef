/**
 * Internal: suspending a WebAssembly program in an import with binaryen's
 * Asyncify (which v8r-cc applies). An import that returns a Promise unwinds
 * the program's stack into its Asyncify buffer; {@link Suspender.run} awaits
 * the promise and rewinds, and the import returns the promise's value (or
 * throws its rejection) inside the program as if it had blocked.
 */

/** The exports Asyncify adds. */
interface AsyncifyExports {
  asyncify_start_unwind(addr: number): void;
  asyncify_stop_unwind(): void;
  asyncify_start_rewind(addr: number): void;
  asyncify_stop_rewind(): void;
  asyncify_get_state(): number;
}

const ASYNCIFY_FUNCTIONS = ["asyncify_start_unwind", "asyncify_stop_unwind", "asyncify_start_rewind", "asyncify_stop_rewind", "asyncify_get_state"];
/** v8r-cc's runtime exports its Asyncify data block and its size as globals holding their addresses. */
const BUFFER = "v8r_asyncify_buf";
const SIZE = "v8r_asyncify_size";

/** Asyncify's states (2, rewinding, is tracked in JavaScript: see Suspender.wrap). */
const NORMAL = 0;
const UNWINDING = 1;

/** What a host function of a program may return: a value now, or later. */
export type MaybeAsync<T> = T | Promise<T>;

/** Whether a module can suspend: it exports Asyncify's functions and v8r-cc's data block. */
export function canSuspend(module: WebAssembly.Module): boolean {
  const kinds = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  return ASYNCIFY_FUNCTIONS.every((name) => kinds.get(name) === "function") && kinds.get(BUFFER) === "global" && kinds.get(SIZE) === "global";
}

/** The address of the data block, its header written for a new unwind. */
function dataBlock(exports: WebAssembly.Exports): number {
  const memory = exports.memory as WebAssembly.Memory;
  const addr = Number((exports[BUFFER] as WebAssembly.Global).value);
  const dv = new DataView(memory.buffer);
  const size = dv.getUint32(Number((exports[SIZE] as WebAssembly.Global).value), true);
  dv.setUint32(addr, addr + 8, true);
  dv.setUint32(addr + 4, addr + size, true);
  return addr;
}

/** Suspends and resumes one instance. */
export class Suspender {
  #x: AsyncifyExports | undefined;
  #exports: WebAssembly.Exports | undefined;
  #data = 0;
  #pending: Promise<unknown> | undefined;
  /** Set from a rewind's start until the import that suspended is called again (kept here: no call into the program per import). */
  #rewinding = false;
  #result: { ok: true; value: unknown } | { ok: false; error: unknown } = { ok: true, value: 0 };

  /** Attach the instance of `module` (after instantiation); without Asyncify, imports that return promises fail. */
  attach(module: WebAssembly.Module, exports: WebAssembly.Exports): void {
    this.#x = canSuspend(module) ? (exports as unknown as AsyncifyExports) : undefined;
    this.#exports = exports;
  }

  /** Whether the attached instance can suspend. */
  get available(): boolean {
    return this.#x !== undefined;
  }

  /**
   * Wrap a host function: its promise results suspend the program.
   * `noSuspend(name)` builds the error thrown when the program cannot.
   */
  wrap<A extends unknown[]>(name: string, fn: (...args: A) => MaybeAsync<unknown>, noSuspend: (name: string) => Error): (...args: A) => unknown {
    return (...args: A): unknown => {
      const x = this.#x;
      if (this.#rewinding && x !== undefined) {
        this.#rewinding = false;
        x.asyncify_stop_rewind();
        const r = this.#result;
        this.#result = { ok: true, value: 0 };
        if (!r.ok) throw r.error;
        return r.value;
      }
      const out = fn(...args);
      if (!(out instanceof Promise)) return out;
      if (x === undefined) {
        out.catch(() => {}); // nothing will wait for it
        throw noSuspend(name);
      }
      this.#pending = out;
      this.#data = dataBlock(this.#exports!);
      x.asyncify_start_unwind(this.#data);
      return 0; // ignored: the program is unwinding
    };
  }

  /** Call `entry` (an export) until it returns without suspending; `resumed()` runs after each wait. */
  async run(entry: () => unknown, resumed: () => void): Promise<unknown> {
    let value = entry();
    for (;;) {
      const x = this.#x;
      if (x === undefined || x.asyncify_get_state() !== UNWINDING) return value;
      x.asyncify_stop_unwind();
      const pending = this.#pending;
      this.#pending = undefined;
      try {
        this.#result = { ok: true, value: await pending };
      } catch (error) {
        this.#result = { ok: false, error };
      }
      resumed();
      this.#rewinding = true;
      x.asyncify_start_rewind(this.#data);
      value = entry();
    }
  }

  /** True while no suspension is in progress (an export may be called). */
  get idle(): boolean {
    return this.#x === undefined || this.#x.asyncify_get_state() === NORMAL;
  }
}
