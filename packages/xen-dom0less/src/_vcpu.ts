/**
 * Internal: a domain's vCPU run loop, in the domain's own thread. It services
 * the upcall (event handlers), runs timer callbacks held while the domain was
 * paused, and otherwise sleeps: in worker mode on `Atomics.waitAsync` of the
 * wake word, in inline mode until a kicker queues a service on the platform
 * clock. Errors in guest code it runs crash the domain through the executor's
 * own crash path (rethrown from a platform timer), so there is one crash path.
 */
import type { Clock, CpuHandle } from "@v8r/fvp-core";
import type { EventHandler } from "./domain-context.ts";
import { RunState, Word } from "./_evtchn-layout.ts";
import { registerKicker, wakeVcpu, type WakeMode } from "./_evtchn-wake.ts";
import type { HandlerRunner } from "./event-channel.ts";

/** What a {@link Vcpu} needs. */
export interface VcpuOptions {
  /** Inline or worker wake-up. */
  readonly mode: WakeMode;
  /** Registry key of this domain instance (inline mode). */
  readonly key: string;
  /** The domain's shared event-channel state. */
  readonly state: Int32Array;
  /** Instance number this vCPU belongs to. */
  readonly generation: number;
  /** The executor's clock for this guest (timers die with the guest, errors in them crash it). */
  readonly clock: Clock;
  /** The CPU guest work is accounted on. */
  readonly cpu: CpuHandle;
  /** The upcall handler (the domain's event channels). */
  readonly deliver: (run: HandlerRunner, alive: () => boolean) => number;
  /** Worker mode: how long to poll the wake word before sleeping, in µs (0: sleep at once). */
  readonly spinUs?: number;
}

type WaitAsync = (ta: Int32Array, index: number, value: number) => { async: false; value: string } | { async: true; value: Promise<string> };

const waitAsync: WaitAsync | undefined = (() => {
  const fn = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
  return typeof fn === "function" ? fn.bind(Atomics) : undefined;
})();

/** Upcall rounds per service before yielding to the host event loop. */
const ROUNDS_PER_SERVICE = 64;
/** Immediate re-services (wake word changed while servicing) before a macrotask yield. */
const SPINS_BEFORE_YIELD = 64;

/** One domain's vCPU loop. */
export class Vcpu {
  readonly #o: VcpuOptions;
  #dead = false;
  #scheduled = false;
  #held: Array<() => void> = [];
  #unregister: () => void = () => {};
  /** Made once, so the event channels can reuse their scan hooks across services. */
  readonly #canRun = (): boolean => this.alive && !this.paused;
  readonly #runHandler: HandlerRunner = (handler: EventHandler, port: number) => this.run(() => handler(port));

  /** Build the loop; call {@link Vcpu.start} once the context is ready. */
  constructor(opts: VcpuOptions) {
    this.#o = opts;
  }

  /** Start listening for wake-ups and service anything already pending. */
  start(): void {
    if (this.#o.mode === "inline") {
      this.#unregister = registerKicker(this.#o.key, () => this.#schedule());
      this.#schedule();
    } else {
      this.#watch();
    }
  }

  /** False once the domain crashed, shut down, or was stopped or replaced by the hypervisor. */
  get alive(): boolean {
    const s = this.#o.state;
    return !this.#dead && Atomics.load(s, Word.RUN) !== RunState.STOPPED && Atomics.load(s, Word.GENERATION) === this.#o.generation;
  }

  /** True while the hypervisor holds the domain paused. */
  get paused(): boolean {
    return Atomics.load(this.#o.state, Word.RUN) === RunState.PAUSED;
  }

  /** Keep `cb` until the domain is unpaused. */
  hold(cb: () => void): void {
    this.#held.push(cb);
  }

  /** Wake this vCPU (after a local unmask or bind). */
  kick(): void {
    wakeVcpu(this.#o.mode, this.#o.key, this.#o.state);
  }

  /** Stop running guest code (shutdown requested or crashed). */
  die(): void {
    this.#dead = true;
    this.#held = [];
    this.#unregister();
  }

  /** Run guest code accounted on the vCPU's CPU; an error crashes the domain. */
  run(fn: () => void): void {
    if (!this.alive) return;
    try {
      this.#o.cpu.busy(fn);
    } catch (e) {
      this.crash(e);
    }
  }

  /** Crash the domain with `error` through the executor's crash path. */
  crash(error: unknown): void {
    if (this.#dead) return;
    this.die();
    this.#o.clock.setTimeout(() => {
      throw error;
    }, 0);
  }

  /** Service the upcall and held work now. */
  service(): void {
    if (!this.alive) return this.die();
    if (this.paused) return;
    const held = this.#held;
    this.#held = [];
    for (const cb of held) this.run(cb);
    const s = this.#o.state;
    const canRun = this.#canRun;
    for (let round = 0; round < ROUNDS_PER_SERVICE; round++) {
      if (!canRun() || Atomics.load(s, Word.UPCALL) === 0) return;
      this.#o.deliver(this.#runHandler, canRun);
    }
    if (canRun() && Atomics.load(s, Word.UPCALL) !== 0) this.kick();
  }

  /** Inline mode: queue one service on the platform clock. */
  #schedule(): void {
    if (this.#scheduled || this.#dead) return;
    this.#scheduled = true;
    this.#o.clock.setTimeout(() => {
      this.#scheduled = false;
      this.service();
    }, 0);
  }

  /** Worker mode: service, then wait (without blocking the thread) for the wake word to change. */
  #watch(): void {
    const s = this.#o.state;
    let spins = 0;
    const loop = (): void => {
      if (!this.alive) return this.die();
      const seen = Atomics.load(s, Word.WAKE);
      this.service();
      if (!this.alive) return this.die();
      spinWhile(s, seen, this.#o.spinUs ?? 0);
      if (waitAsync === undefined) {
        globalThis.setTimeout(loop, 1);
        return;
      }
      const r = waitAsync(s, Word.WAKE, seen);
      if (r.async) {
        spins = 0;
        void r.value.then(loop);
      } else if (++spins < SPINS_BEFORE_YIELD) {
        queueMicrotask(loop);
      } else {
        spins = 0;
        globalThis.setTimeout(loop, 0);
      }
    };
    loop();
  }
}

/** Poll the wake word for up to `us` microseconds (a wake from sleep costs tens of µs; polling a few is cheaper). */
function spinWhile(s: Int32Array, seen: number, us: number): void {
  if (us <= 0) return;
  const end = performance.now() + us / 1000;
  while (Atomics.load(s, Word.WAKE) === seen && performance.now() < end) {
    // busy-wait: the peer's notification usually lands within the budget
  }
}
