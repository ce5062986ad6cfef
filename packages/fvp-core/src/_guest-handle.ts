/** Internal: the host-side {@link GuestHandle} shared by both executors. */
import type { GuestExit, GuestHandle } from "./executor.ts";
import type { FvpTraceEvent, TraceSink } from "./trace-bus.ts";

/** Control messages kept while nobody listens; beyond this the oldest are dropped. */
export const MAX_UNHEARD_MESSAGES = 1024;

/**
 * Host-side state of one guest; the executor supplies how to post and how to
 * stop. Messages the guest sends while no host listener is registered (for
 * one, those it posts during `start()`, before the executor's `start`
 * resolved) are kept and delivered in order to the next listener.
 */
export class HostGuestHandle implements GuestHandle {
  /** The guest's name. */
  readonly name: string;
  /** Resolves when the guest stopped or crashed. */
  readonly exited: Promise<GuestExit>;
  #state: "running" | "stopped" | "crashed" = "running";
  #resolve: (e: GuestExit) => void = () => {};
  readonly #listeners = new Set<(msg: unknown) => void>();
  readonly #unheard: unknown[] = [];
  #flushQueued = false;
  readonly #trace: TraceSink<FvpTraceEvent>;
  /** Sends a message to the guest. */
  send: (msg: unknown) => void = () => {};
  /** Tears the guest down (called once, by stop or crash). */
  teardown: (reason?: string) => Promise<void> = async () => {};

  readonly #cpus: readonly number[];

  /** Track guest `name` (running on CPUs `cpus`), publishing lifecycle events on `trace`. */
  constructor(name: string, trace: TraceSink<FvpTraceEvent>, cpus: readonly number[] = []) {
    this.name = name;
    this.#cpus = cpus;
    this.#trace = trace;
    this.exited = new Promise((r) => {
      this.#resolve = r;
    });
  }

  /** Current state. */
  get state(): "running" | "stopped" | "crashed" {
    return this.#state;
  }

  /** Publish `guest-started`. */
  started(): void {
    if (this.#trace.active) this.#trace.emit({ type: "guest-started", guest: this.name, cpus: [...this.#cpus] });
  }

  /** Stop the guest; idempotent. */
  async stop(reason?: string): Promise<void> {
    if (this.#state !== "running") return;
    this.#state = "stopped";
    await this.teardown(reason);
    if (this.#trace.active) this.#trace.emit(reason === undefined ? { type: "guest-stopped", guest: this.name } : { type: "guest-stopped", guest: this.name, reason });
    this.#resolve({ state: "stopped" });
  }

  /** Record a crash of guest code; tears the guest down. */
  crashed(info: { error: string; stack?: string }): void {
    if (this.#state !== "running") return;
    this.#state = "crashed";
    void this.teardown("crashed");
    if (this.#trace.active) this.#trace.emit({ type: "guest-crashed", guest: this.name, ...info });
    this.#resolve({ state: "crashed", ...info });
  }

  /** Send a message to the guest's control port. */
  post(msg: unknown): void {
    if (this.#state === "running") this.send(msg);
  }

  /** Receive the guest's control messages; messages nobody heard yet follow in a microtask, in order. */
  onMessage(cb: (msg: unknown) => void): () => void {
    this.#listeners.add(cb);
    if (this.#unheard.length > 0) this.#queueFlush();
    return () => {
      this.#listeners.delete(cb);
    };
  }

  /** Deliver a message from the guest to the listeners, or keep it until there is one. */
  deliver(msg: unknown): void {
    if (this.#listeners.size === 0 || this.#unheard.length > 0) {
      if (this.#unheard.length >= MAX_UNHEARD_MESSAGES) this.#unheard.shift();
      this.#unheard.push(msg);
      if (this.#listeners.size > 0) this.#queueFlush();
      return;
    }
    for (const l of [...this.#listeners]) l(msg);
  }

  #queueFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      while (this.#unheard.length > 0 && this.#listeners.size > 0) {
        const msg = this.#unheard.shift();
        for (const l of [...this.#listeners]) l(msg);
      }
    });
  }
}
