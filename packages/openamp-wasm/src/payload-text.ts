const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

/** Options of {@link decodePayloadText}. */
export interface DecodePayloadTextOptions {
  /** Throw a TypeError on bytes that are not UTF-8 (default); false replaces them with U+FFFD. */
  readonly fatal?: boolean;
}

/**
 * Decode a received payload as UTF-8 text. Payloads handed to `onMessage`
 * are views into the shared memory region, and browsers' `TextDecoder`
 * refuses views of a SharedArrayBuffer (Node accepts them), so a shared
 * view is copied first; payloads are at most a buffer long, so the copy is
 * small.
 *
 * @example
 * ```ts
 * ep = dev.remote.createEndpoint({ name: "rpmsg-demo", onMessage: (data) => console.log(decodePayloadText(data)) });
 * ```
 */
export function decodePayloadText(data: Uint8Array, opts: DecodePayloadTextOptions = {}): string {
  const shared = typeof SharedArrayBuffer === "function" && data.buffer instanceof SharedArrayBuffer;
  return (opts.fatal === false ? lenient : strict).decode(shared ? data.slice() : data);
}
