import { PREFIX } from "./_format.ts";

/**
 * The events of the platform's trace bus, by `type`: one registry that each
 * package adds its own events to, so {@link TraceEvent} is a discriminated
 * union of all of them and a consumer that checks `e.type` gets typed fields.
 * fvp-core declares its own here; another package declares its events where
 * it publishes them, by augmenting this interface:
 *
 * ```ts
 * declare module "@v8r/fvp-core" {
 *   interface TraceEventMap {
 *     "xen-booted": { readonly domains: readonly string[]; readonly atMs: number };
 *   }
 * }
 * ```
 */
export interface TraceEventMap {
  /** A region was mapped into the physical address space. */
  "region-mapped": { readonly name: string; readonly base: number; readonly size: number };
  /** A region was unmapped. */
  "region-unmapped": { readonly name: string; readonly base: number; readonly size: number };
  /** An interrupt was raised on a CPU. */
  "irq-raised": { readonly cpu: number; readonly irq: number };
  /** A CPU handled an interrupt. */
  "irq-handled": { readonly cpu: number; readonly irq: number };
  /** A UART printed a line. */
  "uart-output": { readonly uart: string; readonly line: string };
  /** A guest started. */
  "guest-started": { readonly guest: string };
  /** A guest stopped. */
  "guest-stopped": { readonly guest: string; readonly reason?: string };
  /** A guest did not stop in time; its Worker was terminated. */
  "guest-stop-timeout": { readonly guest: string; readonly ms: number };
  /** A guest failed. */
  "guest-crashed": { readonly guest: string; readonly error: string; readonly stack?: string };
}

/** The `type` of a trace event. */
export type TraceEventType = keyof TraceEventMap;

/**
 * An event on the platform's trace bus: `{ type, ...fields }` for one entry
 * of {@link TraceEventMap} (`TraceEvent<"guest-started">` is that one
 * event; `TraceEvent` is the union of all, discriminated by `type`).
 */
export type TraceEvent<K extends TraceEventType = TraceEventType> = K extends TraceEventType ? { readonly type: K } & TraceEventMap[K] : never;

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
