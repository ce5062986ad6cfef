/** Internal: yield to the host event loop so every queued microtask runs first. */

/** A reusable macrotask yielder over one MessageChannel; call `close()` when done. */
export interface Yielder {
  /** Resolve after the current microtask queue has fully drained. */
  next(): Promise<void>;
  /** Release the channel (lets Node exit). */
  close(): void;
}

/** Make a yielder: a MessageChannel when the host has one, else `setTimeout(0)`. */
export function createYielder(): Yielder {
  if (typeof MessageChannel !== "function") {
    return { next: () => new Promise((r) => globalThis.setTimeout(r, 0)), close() {} };
  }
  const ch = new MessageChannel();
  const waiting: Array<() => void> = [];
  ch.port1.onmessage = () => waiting.shift()?.();
  return {
    next() {
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        ch.port2.postMessage(0);
      });
    },
    close() {
      ch.port1.onmessage = null;
      ch.port1.close();
      ch.port2.close();
    },
  };
}
