import { PREFIX } from "./_format.ts";

/**
 * An event on the platform's trace bus. The listed shapes are the ones
 * fvp-core publishes; other packages may publish their own `type`s.
 */
export type TraceEvent =
  | { type: "region-mapped"; name: string; base: number; size: number }
  | { type: "region-unmapped"; name: string; base: number; size: number }
  | { type: "irq-raised"; cpu: number; irq: number }
  | { type: "irq-handled"; cpu: number; irq: number }
  | { type: "uart-output"; uart: string; line: string }
  | { type: "guest-started"; guest: string }
  | { type: "guest-stopped"; guest: string; reason?: string }
  | { type: "guest-stop-timeout"; guest: string; ms: number }
  | { type: "guest-crashed"; guest: string; error: string; stack?: string }
  | { type: string; [k: string]: unknown };

/** Something that accepts trace events, e.g. a {@link TraceBus} or its Worker-side proxy. */
export interface TraceSink {
  /** False when nobody listens: callers skip building events. */
  readonly active: boolean;
  /** Publish one event. */
  emit(e: TraceEvent): void;
}

/** Options of {@link TraceBus}. */
export interface TraceBusOptions {
  /** Called when a listener throws; defaults to `console.error`. */
  onListenerError?: (error: unknown) => void;
}

/**
 * Typed publish/subscribe for platform events. Emitting costs one boolean
 * check when nobody listens: publishers test {@link TraceBus.active} before
 * building an event. The listener count is mirrored into a 4-byte
 * SharedArrayBuffer so Worker-side publishers can skip work too.
 *
 * @example
 * ```ts
 * const bus = new TraceBus();
 * const off = bus.on((e) => console.log(e.type));
 * bus.emit({ type: "guest-started", guest: "zephyr" });
 * off();
 * ```
 */
export class TraceBus implements TraceSink {
  /** Listener count, shared with Worker-side proxies (index 0). */
  readonly listenerFlag: Int32Array = new Int32Array(new SharedArrayBuffer(4));
  readonly #listeners = new Set<(e: TraceEvent) => void>();
  readonly #onError: (error: unknown) => void;

  /** Create a bus with no listeners. */
  constructor(opts: TraceBusOptions = {}) {
    this.#onError = opts.onListenerError ?? ((e) => console.error(`${PREFIX} a trace listener threw`, e));
  }

  /** True when at least one listener is attached. */
  get active(): boolean {
    return this.#listeners.size > 0;
  }

  /** Attach a listener; returns a function that detaches it. */
  on(listener: (e: TraceEvent) => void): () => void {
    if (typeof listener !== "function") throw new TypeError(`${PREFIX} subscribing to the trace bus: listener is not a function`);
    const wrapped = (e: TraceEvent): void => listener(e);
    this.#listeners.add(wrapped);
    Atomics.store(this.listenerFlag, 0, this.#listeners.size);
    return () => {
      this.#listeners.delete(wrapped);
      Atomics.store(this.listenerFlag, 0, this.#listeners.size);
    };
  }

  /** Deliver `e` to every listener, in subscription order; a throwing listener does not stop the others. */
  emit(e: TraceEvent): void {
    if (this.#listeners.size === 0) return;
    for (const l of [...this.#listeners]) {
      try {
        l(e);
      } catch (err) {
        this.#onError(err);
      }
    }
  }
}

/**
 * A trace sink for another thread: `active` reads the owning bus's shared
 * listener count and `emit` forwards the event through `send`.
 */
export class RemoteTraceSink implements TraceSink {
  readonly #flag: Int32Array;
  readonly #send: (e: TraceEvent) => void;

  /** Wrap the bus's {@link TraceBus.listenerFlag} and a function that posts events to it. */
  constructor(listenerFlag: Int32Array, send: (e: TraceEvent) => void) {
    this.#flag = listenerFlag;
    this.#send = send;
  }

  /** True when the owning bus has listeners. */
  get active(): boolean {
    return Atomics.load(this.#flag, 0) > 0;
  }

  /** Forward `e` when the owning bus has listeners. */
  emit(e: TraceEvent): void {
    if (this.active) this.#send(e);
  }
}
