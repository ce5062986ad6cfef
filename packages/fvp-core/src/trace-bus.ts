import { PREFIX } from "./_format.ts";

/**
 * What every trace event is: an object with a string `type`. A bus, a sink
 * or a listener is typed by a union of such events; each package exports
 * the union of its own (fvp-core's is {@link FvpTraceEvent}) and the layer
 * that creates the bus composes them, so a listener that checks `e.type`
 * gets typed fields:
 *
 * ```ts
 * type MyEvent = { readonly type: "my.tick"; readonly n: number };
 * const bus = new TraceBus<FvpTraceEvent | MyEvent>();
 * bus.on((e) => { if (e.type === "my.tick") console.log(e.n + 1); });
 * ```
 */
export interface AnyTraceEvent {
  /** What happened, e.g. `guest-started` or `linux.sample`; names the event's fields. */
  readonly type: string;
}

/** The event of union `E` whose `type` is `K`, e.g. `TraceEventOf<FvpTraceEvent, "guest-started">`. */
export type TraceEventOf<E extends AnyTraceEvent, K extends E["type"]> = Extract<E, { readonly type: K }>;

/**
 * The events fvp-core publishes on a platform's trace bus, discriminated by
 * `type`: a region was mapped into or unmapped from the physical address
 * space; an interrupt was raised on a CPU or handled by it; a UART printed a
 * line; a guest started, stopped, did not stop in time (its Worker was
 * terminated) or failed.
 */
export type FvpTraceEvent =
  | { readonly type: "region-mapped"; readonly name: string; readonly base: number; readonly size: number }
  | { readonly type: "region-unmapped"; readonly name: string; readonly base: number; readonly size: number }
  | { readonly type: "irq-raised"; readonly cpu: number; readonly irq: number }
  | { readonly type: "irq-handled"; readonly cpu: number; readonly irq: number }
  | { readonly type: "uart-output"; readonly uart: string; readonly line: string }
  | { readonly type: "guest-started"; readonly guest: string; readonly cpus?: readonly number[] }
  | { readonly type: "guest-stopped"; readonly guest: string; readonly reason?: string }
  | { readonly type: "guest-stop-timeout"; readonly guest: string; readonly ms: number }
  | { readonly type: "guest-crashed"; readonly guest: string; readonly error: string; readonly stack?: string };

/** Something that accepts trace events of union `E`, e.g. a {@link TraceBus} or its Worker-side proxy. */
export interface TraceSink<E extends AnyTraceEvent = AnyTraceEvent> {
  /** False when nobody listens: callers skip building events. */
  readonly active: boolean;
  /** Publish one event. */
  emit(e: E): void;
}

/**
 * A trace bus as its users see it: publish and subscribe to events of union
 * `E`, and the listener count shared with other threads. {@link TraceBus}
 * is one; code that only publishes takes a {@link TraceSink} of its own
 * events instead.
 */
export interface TraceHub<E extends AnyTraceEvent = AnyTraceEvent> extends TraceSink<E> {
  /** Listener count, readable from other threads (index 0). */
  readonly listenerFlag: Int32Array;
  /** Attach a listener; returns a function that detaches it. */
  on(listener: (e: E) => void): () => void;
}

/** Options of {@link TraceBus}. */
export interface TraceBusOptions {
  /** Called when a listener throws; defaults to `console.error`. */
  onListenerError?: (error: unknown) => void;
}

/**
 * Typed publish/subscribe for platform events of union `E` (default
 * fvp-core's own; the layer that creates the bus names the union of every
 * package whose events it carries). Emitting costs one boolean
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
export class TraceBus<E extends AnyTraceEvent = FvpTraceEvent> implements TraceHub<E> {
  /** Listener count, shared with Worker-side proxies (index 0). */
  readonly listenerFlag: Int32Array = new Int32Array(new SharedArrayBuffer(4));
  readonly #listeners = new Set<(e: E) => void>();
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
  on(listener: (e: E) => void): () => void {
    if (typeof listener !== "function") throw new TypeError(`${PREFIX} subscribing to the trace bus: listener is not a function`);
    const wrapped = (e: E): void => listener(e);
    this.#listeners.add(wrapped);
    Atomics.store(this.listenerFlag, 0, this.#listeners.size);
    return () => {
      this.#listeners.delete(wrapped);
      Atomics.store(this.listenerFlag, 0, this.#listeners.size);
    };
  }

  /** Deliver `e` to every listener, in subscription order; a throwing listener does not stop the others. */
  emit(e: E): void {
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
export class RemoteTraceSink<E extends AnyTraceEvent = AnyTraceEvent> implements TraceSink<E> {
  readonly #flag: Int32Array;
  readonly #send: (e: E) => void;

  /** Wrap the bus's {@link TraceBus.listenerFlag} and a function that posts events to it. */
  constructor(listenerFlag: Int32Array, send: (e: E) => void) {
    this.#flag = listenerFlag;
    this.#send = send;
  }

  /** True when the owning bus has listeners. */
  get active(): boolean {
    return Atomics.load(this.#flag, 0) > 0;
  }

  /** Forward `e` when the owning bus has listeners. */
  emit(e: E): void {
    if (this.active) this.#send(e);
  }
}
