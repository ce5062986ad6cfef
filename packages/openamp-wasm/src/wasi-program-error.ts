/** Why a WASI program could not be loaded or did not run to its exit. */
export const WasiProgramErrorCode = {
  /** The bytes are not a WebAssembly module. */
  NOT_WASM: "not-wasm",
  /** A module, but not a WASI command (no `_start` or no exported memory). */
  NOT_WASI: "not-wasi",
  /** It imports something the host does not provide. */
  IMPORT: "import",
  /** It trapped (unreachable, out-of-bounds access, stack overflow, ...). */
  TRAP: "trap",
  /** It ran longer than the watchdog allows without waiting. */
  SPIN: "spin",
  /** It had to wait where its thread must not block, but was not built with v8r-cc (no Asyncify). */
  NO_ASYNCIFY: "no-asyncify",
  /** The host stopped it (the domain was destroyed or restarted). */
  STOPPED: "stopped",
  /** A host function it called failed. */
  HOST: "host",
} as const;

/** One of {@link WasiProgramErrorCode}. */
export type WasiProgramErrorCodeName = (typeof WasiProgramErrorCode)[keyof typeof WasiProgramErrorCode];

/**
 * A WASI program that could not be loaded or ended without exiting: `code`
 * says why; the message names the program and what it was doing.
 * @example
 * ```ts
 * try { await loadWasiProgram(bytes, "app.wasm"); } catch (e) { if (e instanceof WasiProgramError) console.log(e.code); }
 * ```
 */
export class WasiProgramError extends Error {
  /** Why. */
  readonly code: WasiProgramErrorCodeName;
  /** Build the error; `message` says what was being done and what was wrong. */
  constructor(code: WasiProgramErrorCodeName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WasiProgramError";
    this.code = code;
  }
}
