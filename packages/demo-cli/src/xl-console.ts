/**
 * `v8r-demo xl console DOMAIN`: attach this terminal to a domain's console
 * in the running demo, as `xl console` does: what the console printed so
 * far, then its output as it comes; what is typed goes to the console's
 * input (on a terminal each key at once, in raw mode). Ctrl-] detaches.
 * It ends when the domain goes away or the demo exits.
 *
 * @module
 */
import { ControlError, ControlErrorCode, findDemo, staleDemo, type XlOptions } from "./control-client.ts";
import type { FoundControlState } from "./control-state.ts";

/** Ctrl-]: the escape character of `xl console`. */
export const CONSOLE_ESCAPE = 0x1d;

/** The terminal's input (`process.stdin`). */
export interface XlConsoleInput {
  /** A terminal: switched to raw mode while attached. */
  readonly isTTY?: boolean;
  /** Raw mode on or off (terminals only). */
  setRawMode?(raw: boolean): unknown;
  /** Listen for input. */
  on(event: "data", listener: (chunk: Uint8Array | string) => void): unknown;
  /** Stop listening. */
  removeListener(event: "data", listener: (chunk: Uint8Array | string) => void): unknown;
  /** Let the process exit while it waits for input. */
  pause?(): unknown;
}

/** What {@link attachXlConsole} needs. */
export interface XlConsoleIo {
  /** Where the console's output goes. */
  readonly stdout: { write(text: string): unknown };
  /** Where notes go (attached, detached). */
  readonly stderr: { write(text: string): unknown };
  /** What is typed; absent: read-only. */
  readonly stdin?: XlConsoleInput;
  /** Detaches when aborted (SIGINT when stdin is not a terminal). */
  readonly signal?: AbortSignal;
}

/**
 * Attach to `domain`'s console of the running demo (the only one, or `demo`'s)
 * until Ctrl-], `io.signal`, the domain's end or the demo's. Resolves with
 * why it ended.
 *
 * @throws ControlError when no demo runs, several run and none was named, the domain does not exist, or the demo does not answer
 * @example
 * ```ts
 * await attachXlConsole("linux", undefined, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
 * ```
 */
export async function attachXlConsole(domain: string, demo: number | undefined, io: XlConsoleIo, options: XlOptions = {}): Promise<"detached" | "ended"> {
  const found = await findDemo("console", demo, options);
  const target = `/v1/domains/${encodeURIComponent(domain)}/console`;
  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  io.signal?.addEventListener("abort", onAbort);
  let detached = false;
  const stopInput = forwardInput(io.stdin, (bytes) => void sendInput(found, target, bytes, options), () => {
    detached = true;
    abort.abort();
  });
  try {
    const body = await openStream(found, target, abort.signal);
    if (io.stdin?.isTTY === true) io.stderr.write(`[v8r-demo] attached to ${domain}'s console; Ctrl-] detaches\r\n`);
    const decoder = new TextDecoder();
    for await (const chunk of body) io.stdout.write(decoder.decode(chunk, { stream: true }));
    return "ended";
  } catch (err) {
    if (abort.signal.aborted) return "detached";
    throw err;
  } finally {
    stopInput();
    io.signal?.removeEventListener("abort", onAbort);
    if (detached || io.signal?.aborted === true) io.stderr.write(`\r\n[v8r-demo] detached from ${domain}'s console\n`);
  }
}

async function openStream(found: FoundControlState, target: string, signal: AbortSignal): Promise<AsyncIterable<Uint8Array>> {
  const { path, state } = found;
  let res: Response;
  try {
    res = await fetch(new URL(target, state.url), { headers: { authorization: `Bearer ${state.token}` }, signal });
  } catch (err) {
    if (signal.aborted) throw err;
    throw staleDemo("console", path, state.pid, err);
  }
  if (!res.ok || res.body === null) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new ControlError(res.status === 404 ? ControlErrorCode.noSuchDomain : ControlErrorCode.failed, `[v8r-demo] xl console: ${body.error ?? `the demo answered HTTP ${res.status}`}`);
  }
  return res.body as unknown as AsyncIterable<Uint8Array>;
}

/** Forward typed input (in order); Ctrl-] calls `detach`. Returns the function that stops forwarding. */
function forwardInput(stdin: XlConsoleInput | undefined, send: (bytes: Uint8Array) => void, detach: () => void): () => void {
  if (stdin === undefined) return () => {};
  const raw = stdin.isTTY === true && typeof stdin.setRawMode === "function";
  if (raw) stdin.setRawMode?.(true);
  const encoder = new TextEncoder();
  const listener = (chunk: Uint8Array | string): void => {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    const escape = bytes.indexOf(CONSOLE_ESCAPE);
    if (escape > 0) send(bytes.subarray(0, escape));
    else if (escape < 0 && bytes.length > 0) send(bytes);
    if (escape >= 0) detach();
  };
  stdin.on("data", listener);
  return () => {
    stdin.removeListener("data", listener);
    if (raw) stdin.setRawMode?.(false);
    stdin.pause?.();
  };
}

/** Input is sent one request after the other, so keys arrive in the order typed. */
let inputQueue: Promise<unknown> = Promise.resolve();

function sendInput(found: FoundControlState, target: string, bytes: Uint8Array, options: XlOptions): Promise<unknown> {
  const { state } = found;
  inputQueue = inputQueue
    .then(() =>
      fetch(new URL(target, state.url), {
        method: "POST",
        headers: { authorization: `Bearer ${state.token}`, "content-type": "application/octet-stream" },
        body: bytes.slice(),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      }),
    )
    .then((r) => r.body?.cancel())
    .catch(() => undefined);
  return inputQueue;
}
